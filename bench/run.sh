#!/usr/bin/env bash
# The benchmark suite (bench/README.md): installs wrk and redis-server when missing, builds Release, runs every row and
# writes bench/results/latest.json and bench/results/latest.md.
#   bench/run.sh           full run (about 10 minutes)
#   bench/run.sh --quick   small sizes, to prove the suite works (CI runs this)
#   bench/run.sh --rows server --profile import,assign   samples the server's CPU during those rows (needs perf)
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
if [[ " $* " == *" --profile "* ]]; then
  command -v perf >/dev/null || missing+=(linux-perf)
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi

for project in src/WalletGrains.Server bench/PeerGateway bench/WalletGrains.Bench; do
  dotnet build "$project" -c Release -nologo -v quiet
done

exec dotnet bench/WalletGrains.Bench/bin/Release/net10.0/WalletGrains.Bench.dll run "$@"
