#!/usr/bin/env bash
# Starts, stops and inspects a local WalletGrains cluster on loopback:
#   one Redis server (AOF on) as the shared store, N silo processes (Mode=Silo) and one gateway
#   process (Mode=Gateway), all run from a Release publish of src/WalletGrains.Server.
#
# Usage: infra/local-cluster.sh start|stop|status|build
#   start   builds the publish if it is missing, starts whatever is not running yet (so it also
#           restarts a single silo that died), waits until the gateway's /health/ready answers 200
#   stop    stops the gateway, then the silos one by one (SIGTERM, wait, SIGKILL only after
#           WG_STOP_TIMEOUT), then Redis; stopping a stopped cluster does nothing
#   status  lists each process, its PID and its health; exits 0 only when all are up and ready
#   build   republishes the server into the state directory (only while the cluster is stopped)
#
# Settings (environment variables, all optional):
#   WG_STATE_DIR             state directory: PIDs, logs, Redis data, build    (<repo>/.cluster)
#   WG_APP_DIR               where the Release publish lives                    ($WG_STATE_DIR/app)
#   WG_GATEWAY_URL           the gateway's URL                                  (http://127.0.0.1:5080)
#   WG_SILOS                 number of silos                                    (3)
#   WG_REDIS_PORT            Redis port on 127.0.0.1                            (6390)
#   WG_REDIS_FSYNC           Redis appendfsync: always | everysec               (always)
#   WG_SILO_PORT_BASE        silo-to-silo port of silo 1, +1 per silo           (11111)
#   WG_SILO_GATEWAY_PORT_BASE client gateway port of silo 1, +1 per silo        (30000)
#   WG_SILO_HTTP_PORT_BASE   HTTP health port of silo 1, +1 per silo            (5181)
#   WG_CLUSTER_ID, WG_SERVICE_ID  Orleans cluster identity                      (walletgrains)
#   WG_START_TIMEOUT, WG_STOP_TIMEOUT  seconds to wait per process              (180, 60)
#   Auth__OperatorToken      operator token for the gateway; when unset, one is generated once into
#                            $WG_STATE_DIR/operator-token (mode 600) and reused. It is never printed.
#   Expiry__SweepPeriod and any other WalletGrains setting in the environment reach every process.
#   status and stop read the same WG_* settings: give them the ones start had.
#
# Needs: dotnet (SDK for the build), redis-server and redis-cli (Debian: apt-get install redis-server),
# curl, setsid (util-linux).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

state_dir=${WG_STATE_DIR:-$repo_root/.cluster}
silos=${WG_SILOS:-3}
gateway_url=${WG_GATEWAY_URL:-http://127.0.0.1:5080}
redis_port=${WG_REDIS_PORT:-6390}
redis_fsync=${WG_REDIS_FSYNC:-always}
silo_port_base=${WG_SILO_PORT_BASE:-11111}
silo_gateway_port_base=${WG_SILO_GATEWAY_PORT_BASE:-30000}
silo_http_port_base=${WG_SILO_HTTP_PORT_BASE:-5181}
cluster_id=${WG_CLUSTER_ID:-walletgrains}
service_id=${WG_SERVICE_ID:-walletgrains}
start_timeout=${WG_START_TIMEOUT:-180}
stop_timeout=${WG_STOP_TIMEOUT:-60}

die() {
  printf 'local-cluster: %s\n' "$*" >&2
  exit 1
}

say() {
  printf '%s\n' "$*"
}

for n in "$silos" "$redis_port" "$silo_port_base" "$silo_gateway_port_base" "$silo_http_port_base" "$start_timeout" "$stop_timeout"; do
  [[ $n =~ ^[0-9]+$ ]] || die "expected a number, got '$n'"
done
((silos >= 1)) || die "WG_SILOS must be at least 1"
case $redis_fsync in
  always | everysec) ;;
  *) die "WG_REDIS_FSYNC must be 'always' or 'everysec'" ;;
esac

# The gateway URL's port, for the "port already taken" check.
gateway_hostport=${gateway_url#*://}
gateway_hostport=${gateway_hostport%%/*}
gateway_port=${gateway_hostport##*:}
if [[ $gateway_port == "$gateway_hostport" || ! $gateway_port =~ ^[0-9]+$ ]]; then
  die "WG_GATEWAY_URL must name a port, e.g. http://127.0.0.1:5080"
fi
gateway_url=${gateway_url%/}

mkdir -p "$state_dir"
state_dir=$(cd "$state_dir" && pwd)
app_dir=${WG_APP_DIR:-$state_dir/app}
run_dir=$state_dir/run
log_dir=$state_dir/logs
redis_dir=$state_dir/redis
token_file=$state_dir/operator-token
app_dll=WalletGrains.Server.dll

store_connection="127.0.0.1:${redis_port}"

init_state_dir() {
  mkdir -p "$run_dir" "$log_dir" "$redis_dir"
  # The state directory ignores itself, wherever it is created inside a work tree.
  [[ -f $state_dir/.gitignore ]] || printf '*\n' >"$state_dir/.gitignore"
}

silo_names() {
  local i
  for ((i = 1; i <= silos; i++)); do
    printf 'silo-%d\n' "$i"
  done
}

# ---- processes ---------------------------------------------------------------------------------

pid_of() {
  local file=$run_dir/$1.pid
  [[ -f $file ]] && cat "$file"
  return 0
}

marker_of() {
  if [[ $1 == redis ]]; then printf 'redis-server'; else printf '%s' "$app_dll"; fi
}

# True when the PID is alive (not a zombie) and runs the expected program.
pid_alive() {
  local pid=$1 marker=$2 state
  [[ -n $pid && -r /proc/$pid/stat ]] || return 1
  state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z && $state != X ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

is_running() {
  pid_alive "$(pid_of "$1")" "$(marker_of "$1")"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" 2>/dev/null || true
}

tail_log() {
  say "---- last lines of $log_dir/$1.log ----" >&2
  tail -n 25 "$log_dir/$1.log" >&2 || true
}

# Waits until a command succeeds while the process stays alive.
wait_until() {
  local name=$1 what=$2
  shift 2
  local deadline=$((SECONDS + start_timeout))
  until "$@"; do
    if ! is_running "$name"; then
      tail_log "$name"
      die "$name exited before it was $what"
    fi
    if ((SECONDS >= deadline)); then
      tail_log "$name"
      die "$name was not $what after ${start_timeout}s"
    fi
    sleep 1
  done
}

http_ok() {
  [[ $(http_status "$1") == 200 ]]
}

redis_ok() {
  [[ $(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null) == PONG ]]
}

log_header() {
  printf '=== %s: starting %s\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$1" >>"$log_dir/$1.log"
}

# ---- build -------------------------------------------------------------------------------------

publish() {
  command -v dotnet >/dev/null || die "dotnet is not on PATH (the .NET 10 SDK builds the server)"
  say "publishing src/WalletGrains.Server (Release) into $app_dir ..."
  mkdir -p "$app_dir"
  # Intermediate files go under the state directory, never into the work tree's bin/ and obj/.
  dotnet publish "$repo_root/src/WalletGrains.Server" -c Release -o "$app_dir" \
    --artifacts-path "$state_dir/build" -nologo -v quiet >"$log_dir/publish.log" 2>&1 || {
    tail -n 40 "$log_dir/publish.log" >&2
    die "publish failed (full output: $log_dir/publish.log)"
  }
}

ensure_published() {
  [[ -f $app_dir/$app_dll ]] || publish
}

# ---- start -------------------------------------------------------------------------------------

check_tools() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-cli)
  command -v curl >/dev/null || missing+=(curl)
  command -v setsid >/dev/null || missing+=(setsid)
  command -v dotnet >/dev/null || missing+=(dotnet)
  if ((${#missing[@]} > 0)); then
    die "missing: ${missing[*]}. On Debian: sudo apt-get install redis-server curl util-linux (dotnet: the .NET 10 SDK)"
  fi
}

ensure_token() {
  if [[ -n ${Auth__OperatorToken:-} ]]; then
    token_source="taken from your Auth__OperatorToken environment variable"
    return
  fi
  if [[ ! -s $token_file ]]; then
    (
      umask 077
      printf 'op_%s' "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >"$token_file"
    )
  fi
  chmod 600 "$token_file"
  token_source="in $token_file"
}

start_redis() {
  if is_running redis; then
    say "redis      already running (pid $(pid_of redis))"
    return
  fi
  port_in_use "$redis_port" && die "port $redis_port is taken by another program (set WG_REDIS_PORT)"
  log_header redis
  (
    cd "$redis_dir"
    exec setsid redis-server --bind 127.0.0.1 --port "$redis_port" --protected-mode yes \
      --dir "$redis_dir" --appendonly yes --appendfsync "$redis_fsync" \
      --save '' --daemonize no --logfile '' </dev/null >>"$log_dir/redis.log" 2>&1
  ) &
  printf '%s\n' "$!" >"$run_dir/redis.pid"
  wait_until redis "answering PING" redis_ok
  say "redis      started (pid $(pid_of redis)) on 127.0.0.1:$redis_port, AOF appendfsync=$redis_fsync"
}

# start_app NAME VAR=VALUE...: runs the server with these settings, detached, logging to NAME.log.
start_app() {
  local name=$1
  shift
  mkdir -p "$state_dir/$name"
  log_header "$name"
  (
    cd "$state_dir/$name"
    # Exported rather than passed on a command line, so no setting (the token included) shows in ps.
    for assignment in "$@"; do
      export "${assignment?}"
    done
    export ASPNETCORE_CONTENTROOT="$app_dir" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
    # Orleans' placement retries log every attempt at Information; keep the logs readable.
    export Logging__LogLevel__Polly="${Logging__LogLevel__Polly:-Warning}"
    exec setsid dotnet "$app_dir/$app_dll" </dev/null >>"$log_dir/$name.log" 2>&1
  ) &
  printf '%s\n' "$!" >"$run_dir/$name.pid"
}

silo_number() {
  printf '%s' "${1#silo-}"
}

silo_http_url() {
  printf 'http://127.0.0.1:%d' "$((silo_http_port_base + $(silo_number "$1") - 1))"
}

start_silo() {
  local name=$1 i
  i=$(silo_number "$name")
  local silo_port=$((silo_port_base + i - 1))
  local client_port=$((silo_gateway_port_base + i - 1))
  local http_url
  http_url=$(silo_http_url "$name")
  local port
  for port in "$silo_port" "$client_port" "${http_url##*:}"; do
    port_in_use "$port" && die "port $port for $name is taken by another program"
  done
  start_app "$name" Mode=Silo "Urls=$http_url" \
    "Cluster__StoreConnectionString=$store_connection" "Cluster__ClusterId=$cluster_id" \
    "Cluster__ServiceId=$service_id" "Cluster__SiloPort=$silo_port" "Cluster__GatewayPort=$client_port" \
    Cluster__AdvertisedAddress=127.0.0.1
  say "$name     started (pid $(pid_of "$name")): silo 127.0.0.1:$silo_port, client gateway :$client_port, health $http_url"
}

start_gateway() {
  if is_running gateway; then
    say "gateway    already running (pid $(pid_of gateway))"
    return
  fi
  port_in_use "$gateway_port" && die "port $gateway_port for the gateway is taken by another program (set WG_GATEWAY_URL)"
  local token=${Auth__OperatorToken:-}
  [[ -n $token ]] || token=$(<"$token_file")
  start_app gateway Mode=Gateway "Urls=$gateway_url" \
    "Cluster__StoreConnectionString=$store_connection" "Cluster__ClusterId=$cluster_id" \
    "Cluster__ServiceId=$service_id" "Auth__OperatorToken=$token"
  say "gateway    started (pid $(pid_of gateway)) on $gateway_url"
}

# Checks every port of every process that is not running yet, before anything starts.
preflight_ports() {
  local name port busy=()
  if ! is_running redis && port_in_use "$redis_port"; then busy+=("redis:$redis_port (WG_REDIS_PORT)"); fi
  while read -r name; do
    is_running "$name" && continue
    local i
    i=$(silo_number "$name")
    for port in $((silo_port_base + i - 1)) $((silo_gateway_port_base + i - 1)) $((silo_http_port_base + i - 1)); do
      if port_in_use "$port"; then busy+=("$name:$port"); fi
    done
  done < <(silo_names)
  if ! is_running gateway && port_in_use "$gateway_port"; then busy+=("gateway:$gateway_port (WG_GATEWAY_URL)"); fi
  if ((${#busy[@]} > 0)); then
    die "ports already taken by other programs: ${busy[*]}; choose others with the WG_* settings"
  fi
}

cmd_start() {
  check_tools
  init_state_dir
  preflight_ports
  ensure_published
  ensure_token
  start_redis
  local name started=()
  while read -r name; do
    if is_running "$name"; then
      say "$name     already running (pid $(pid_of "$name"))"
    else
      start_silo "$name"
      started+=("$name")
    fi
  done < <(silo_names)
  for name in "${started[@]}"; do
    wait_until "$name" "ready ($(silo_http_url "$name")/health/ready)" http_ok "$(silo_http_url "$name")/health/ready"
    say "$name     ready"
  done
  start_gateway
  wait_until gateway "ready ($gateway_url/health/ready)" http_ok "$gateway_url/health/ready"
  say "gateway    ready"
  say ""
  say "WalletGrains cluster is up."
  say "  API:            $gateway_url   (docs: $gateway_url/docs)"
  say "  operator token: $token_source"
  say "                  e.g. OP=\$(cat $token_file)"
  say "  store:          redis://$store_connection, data in $redis_dir"
  say "  logs:           $log_dir/{redis,silo-N,gateway}.log"
  say "  PID files:      $run_dir"
  say "  stop it with:   $0 stop"
}

# ---- stop --------------------------------------------------------------------------------------

stop_one() {
  local name=$1 pid label
  label=$(printf '%-10s' "$name")
  pid=$(pid_of "$name")
  if ! is_running "$name"; then
    [[ -z $pid ]] || say "$label was not running (stale PID file removed)"
    rm -f "$run_dir/$name.pid"
    return
  fi
  stopped_any=1
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + stop_timeout))
  while pid_alive "$pid" "$(marker_of "$name")"; do
    if ((SECONDS >= deadline)); then
      say "$label did not stop within ${stop_timeout}s of SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$run_dir/$name.pid"
  say "$label stopped (pid $pid)"
}

cmd_stop() {
  stopped_any=0
  [[ -d $run_dir ]] || {
    say "nothing to stop (no $run_dir)"
    return
  }
  stop_one gateway
  # Silos leave one at a time, last first, so each hands its grains to silos that stay.
  local name
  while read -r name; do
    stop_one "$name"
  done < <(silo_names | sort -r -t- -k2 -n)
  # Any silo left over from a run with more silos.
  local file
  for file in "$run_dir"/silo-*.pid; do
    [[ -e $file ]] || continue
    name=$(basename "$file" .pid)
    stop_one "$name"
  done
  stop_one redis
  ((stopped_any)) || say "nothing was running"
}

# ---- status ------------------------------------------------------------------------------------

cmd_status() {
  local all_ok=0 name pid health url
  printf '%-10s %-8s %-8s %s\n' NAME PID STATE HEALTH
  if is_running redis; then
    if redis_ok; then health="PONG on 127.0.0.1:$redis_port"; else health="no PONG on 127.0.0.1:$redis_port" && all_ok=1; fi
    printf '%-10s %-8s %-8s %s\n' redis "$(pid_of redis)" running "$health"
  else
    printf '%-10s %-8s %-8s %s\n' redis - stopped -
    all_ok=1
  fi
  while read -r name; do
    url=$(silo_http_url "$name")
    if is_running "$name"; then
      pid=$(pid_of "$name")
      printf '%-10s %-8s %-8s %s\n' "$name" "$pid" running "ready=$(http_status "$url/health/ready") ($url/health/ready)"
      http_ok "$url/health/ready" || all_ok=1
    else
      printf '%-10s %-8s %-8s %s\n' "$name" - stopped -
      all_ok=1
    fi
  done < <(silo_names)
  if is_running gateway; then
    printf '%-10s %-8s %-8s %s\n' gateway "$(pid_of gateway)" running "ready=$(http_status "$gateway_url/health/ready") ($gateway_url/health/ready)"
    http_ok "$gateway_url/health/ready" || all_ok=1
  else
    printf '%-10s %-8s %-8s %s\n' gateway - stopped -
    all_ok=1
  fi
  say "state: $state_dir"
  return "$all_ok"
}

cmd_build() {
  local name
  while read -r name; do
    if is_running "$name"; then die "stop the cluster before rebuilding ($name is running)"; fi
  done < <(printf 'gateway\nredis\n'; silo_names)
  init_state_dir
  publish
  say "published into $app_dir"
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  build) cmd_build ;;
  *)
    say "usage: $0 start|stop|status|build   (settings: see the top of this script or infra/README.md)" >&2
    exit 2
    ;;
esac
