#!/usr/bin/env bash
# The deployed topology on one machine: Azurite (Azure Table membership + Azure Blob grain state), 3 silos and
# 2 API nodes in client mode, all on loopback. Everything it writes (logs, Azurite's data, generated feeds, mail,
# pids) goes under deploy/local/run/.
#
#   deploy/local/cluster.sh start     build, start Azurite, the silos, load the dataset (first start only), the API nodes
#   deploy/local/cluster.sh stop      stop every process (SIGTERM, then SIGKILL after 30 s); the data stays
#   deploy/local/cluster.sh status    what runs, and each process' health
#   deploy/local/cluster.sh clean     stop, then delete deploy/local/run/ (the next start loads the dataset again)
#   deploy/local/cluster.sh queries   every query of the Grafana dashboard, asked of the local Prometheus: series found
#
# When Prometheus is installed (Debian: apt-get install prometheus), start also runs it on 127.0.0.1:9090, scraping
# every process every 5 s, for the Grafana dashboard (deploy/grafana) or its own graphs.
#
# Settings (environment): SCALE (dataset scale, default 1), SILOS (default 3), APIS (default 2), NO_BUILD=1,
# API_ARGS (more settings for the API nodes, e.g. --RateLimiting:Enabled=false).
# Ports: API nodes 8080, 8090, ...; silos' probe/metrics ports 8181, 8182, ...; silo-to-silo 11111..., gateways
# 30000...; Azurite 10000-10002.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$here/run"
logs="$run/logs"
SCALE="${SCALE:-1}"
SILOS="${SILOS:-3}"
APIS="${APIS:-2}"

connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"
partner_key="local-partner-key-0123456789"
admin_key="local-admin-key-0123456789"

# What every process of this cluster shares (the names deploy/k8s sets).
export Cluster__Clustering=AzureStorage
export Cluster__Storage=AzureBlob
export Cluster__AzureStorageConnectionString="$connection"
export Cluster__ServiceId=alternance-local
export Cluster__ClusterId=alternance-local
export Cluster__BlobContainer=alternance-local
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

api_dll="$root/api/bin/Release/net10.0/Alternance.Api.dll"
silo_dll="$root/silo/bin/Release/net10.0/Alternance.Silo.dll"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ok() { # name url seconds
  local deadline=$((SECONDS + $3))
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    if ((SECONDS > deadline)); then echo "$1 did not answer $2 within $3 s: see $logs/$1.log" >&2; exit 1; fi
    sleep 0.5
  done
}

start_process() { # name command...
  local name=$1; shift
  if [ -f "$run/$name.pid" ] && kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
    echo "$name already runs (pid $(cat "$run/$name.pid"))"; return
  fi
  nohup "$@" >"$logs/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
}

start() {
  mkdir -p "$logs" "$run/azurite" "$run/mail"
  if [ "${NO_BUILD:-}" != 1 ]; then
    echo "building (Release)..."
    dotnet build "$root/Cluster.sln" -c Release -v q -nologo >"$logs/build.log" 2>&1 || { echo "build failed: $logs/build.log" >&2; exit 1; }
  fi

  if port_open 10000; then
    echo "Azurite: one already listens on 127.0.0.1:10000, using it"
  else
    (cd "$root/tests/tools" && npm install --no-audit --no-fund --loglevel=error >"$logs/npm.log" 2>&1) \
      || { echo "npm install of azurite failed: $logs/npm.log" >&2; exit 1; }
    start_process azurite "$root/tests/tools/node_modules/.bin/azurite" --skipApiVersionCheck --location "$run/azurite" \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1
    for _ in $(seq 1 60); do port_open 10002 && break; sleep 0.5; done
  fi

  for i in $(seq 1 "$SILOS"); do
    start_process "silo$i" dotnet "$silo_dll" run --urls "http://127.0.0.1:$((8180 + i))" \
      --Cluster:SiloPort=$((11110 + i)) --Cluster:GatewayPort=$((29999 + i))
  done
  for i in $(seq 1 "$SILOS"); do wait_ok "silo$i" "http://127.0.0.1:$((8180 + i))/health/ready" 120; done
  echo "silos ready: $SILOS"

  if [ ! -f "$run/loaded-$SCALE" ]; then
    if [ ! -f "$run/feeds-$SCALE/companies.jsonl.gz" ]; then
      echo "generating the bundled dataset (scale $SCALE)..."
      dotnet "$silo_dll" generate --out "$run/feeds-$SCALE" --scale "$SCALE" --gzip >>"$logs/load.log" 2>&1
    fi
    for feed in formations peJobs recruiters companies; do
      echo "importing $feed..."
      dotnet "$silo_dll" import "$feed" "$run/feeds-$SCALE/$feed.jsonl.gz" --mode replace --timeout 60 \
        --Cluster:GatewayPort=30000 >>"$logs/load.log" 2>&1 || { echo "import of $feed failed: $logs/load.log" >&2; exit 1; }
    done
    touch "$run/loaded-$SCALE"
  fi

  for j in $(seq 1 "$APIS"); do
    port=$((8070 + 10 * j))
    Partners__local__ApiKey="$partner_key" Admin__ApiKey="$admin_key" Mail__Folder="$run/mail" \
      Mail__PublicUrl="http://127.0.0.1:$port" \
      start_process "api$j" dotnet "$api_dll" --urls "http://127.0.0.1:$port" --Cluster:Mode=Client ${API_ARGS:-}
  done
  for j in $(seq 1 "$APIS"); do wait_ok "api$j" "http://127.0.0.1:$((8070 + 10 * j))/health/ready" 120; done

  if command -v prometheus >/dev/null; then
    {
      echo "global: { scrape_interval: 5s, evaluation_interval: 5s }"
      echo "scrape_configs:"
      echo "  - job_name: alternance-silo"
      echo "    static_configs: [{ targets: [$(for i in $(seq 1 "$SILOS"); do printf "'127.0.0.1:%d'," $((8180 + i)); done | sed 's/,$//')] }]"
      echo "  - job_name: alternance-api"
      echo "    static_configs: [{ targets: [$(for j in $(seq 1 "$APIS"); do printf "'127.0.0.1:%d'," $((8070 + 10 * j)); done | sed 's/,$//')] }]"
    } >"$run/prometheus.yml"
    start_process prometheus prometheus --config.file="$run/prometheus.yml" --storage.tsdb.path="$run/prometheus" \
      --web.listen-address=127.0.0.1:9090
  fi

  echo
  for j in $(seq 1 "$APIS"); do echo "API node $j: http://127.0.0.1:$((8070 + 10 * j))  (API docs /api-docs, dashboard /dashboard/)"; done
  echo "partner key: $partner_key   admin key: $admin_key"
  [ -f "$run/prometheus.pid" ] && echo "Prometheus: http://127.0.0.1:9090 (scrapes every process)"
  echo "logs: $logs   stop: deploy/local/cluster.sh stop"
}

stop() {
  local names=() pids=()
  for name in prometheus $(seq -f "api%g" 1 9) $(seq -f "silo%g" 9 -1 1) azurite; do
    [ -f "$run/$name.pid" ] || continue
    local pid; pid=$(cat "$run/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; names+=("$name"); pids+=("$pid"); fi
    rm -f "$run/$name.pid"
    # API nodes first, then silos, then the storage they write to.
    if [ "$name" = api9 ] || [ "$name" = silo1 ]; then wait_all; names=(); pids=(); fi
  done
  wait_all
}

wait_all() {
  local deadline=$((SECONDS + 30))
  for k in "${!pids[@]}"; do
    while kill -0 "${pids[$k]}" 2>/dev/null; do
      if ((SECONDS > deadline)); then echo "${names[$k]} still runs after 30 s: SIGKILL"; kill -KILL "${pids[$k]}" 2>/dev/null; break; fi
      sleep 0.2
    done
    echo "stopped ${names[$k]}"
  done
}

status() {
  for name in azurite $(seq -f "silo%g" 1 9) $(seq -f "api%g" 1 9) prometheus; do
    [ -f "$run/$name.pid" ] || continue
    local pid; pid=$(cat "$run/$name.pid")
    local state=stopped
    kill -0 "$pid" 2>/dev/null && state="running (pid $pid)"
    local health=""
    case $name in
      silo*) health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((8180 + ${name#silo}))/health/ready" || true) ;;
      api*) health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((8070 + 10 * ${name#api}))/health/ready" || true) ;;
    esac
    echo "$name: $state${health:+, /health/ready $health}"
  done
}

# Grafana is not needed to check its dashboard: each panel's PromQL (with Grafana's interval variables set to 1m) is
# asked of the Prometheus that scrapes this cluster.
queries() {
  curl -fsS -o /dev/null http://127.0.0.1:9090/-/ready || { echo "no Prometheus on 127.0.0.1:9090 (apt-get install prometheus, then start)" >&2; exit 1; }
  jq -r '.. | objects | select(has("expr")) | .expr' "$root/deploy/grafana/alternance-cluster.json" |
    sed 's/\$__rate_interval/1m/g; s/\$__interval/1m/g' |
    while read -r query; do
      printf '%4s series  %s\n' "$(curl -s --get --data-urlencode "query=$query" http://127.0.0.1:9090/api/v1/query | jq '.data.result | length')" "$query"
    done
}

case "${1:-}" in
  queries) queries ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  clean) stop; rm -rf "$run"; echo "removed $run" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
