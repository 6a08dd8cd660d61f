#!/usr/bin/env bash
# Container entrypoint of the WalletGrains image: runs the server, first filling in the address other
# silos and gateways reach this silo at, unless Cluster__AdvertisedAddress is set:
#   POD_IP (Kubernetes downward API), else this container's own IPv4 address.
set -euo pipefail

if [[ -z ${Cluster__AdvertisedAddress:-} ]]; then
  address=${POD_IP:-}
  if [[ -z $address ]]; then
    host=${HOSTNAME:-$(cat /proc/sys/kernel/hostname)}
    address=$(getent ahostsv4 "$host" 2>/dev/null | awk '$1 !~ /^127\./ { print $1; exit }' || true)
  fi
  export Cluster__AdvertisedAddress="${address:-127.0.0.1}"
fi

exec dotnet "${WG_APP_DLL:-/app/WalletGrains.Server.dll}" "$@"
