#!/usr/bin/env bash
# Exits 0 when GET http://127.0.0.1:PORT/PATH answers 200; used by the image's HEALTHCHECK and by
# compose. Plain bash (/dev/tcp), so the runtime image needs no curl.
# Usage: walletgrains-healthcheck [PATH] [PORT]      (defaults: /health/ready 8080)
set -euo pipefail

path=${1:-/health/ready}
port=${2:-8080}

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
status=
IFS= read -r -t 10 status <&3 || true
exec 3<&-
case $status in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *)
    printf 'unhealthy: %s answered %s\n' "$path" "${status%$'\r'}" >&2
    exit 1
    ;;
esac
