#!/usr/bin/env bash
# The engine beside PostgreSQL + PostGIS and Redis on this machine (docs/BENCHMARKS.md).
#
#   tests/Alternance.Benchmarks/peers.sh [--scale 1] [--seconds 6] [--rounds 3] [--no-http] [--no-append] [...]
#
# Installs what is missing (Debian: postgresql, postgresql-*-postgis-3, redis-server), starts a private PostgreSQL
# cluster and a Redis server on loopback, on free ports, in a temporary folder, runs the `peers` benchmark mode
# against them (arguments are passed on), appends its table to docs/BENCHMARKS.md, then stops both servers and
# deletes the folder, whatever happens. Nothing is left running and nothing is written outside the temporary folder
# but the table.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
pg_version="$(basename "$(dirname "${pg_bin:-/x/none/bin}")")"
if [ -z "$pg_bin" ] || ! command -v redis-server >/dev/null \
    || [ ! -f "/usr/share/postgresql/$pg_version/extension/postgis.control" ]; then
  echo "Installing PostgreSQL, PostGIS and Redis (apt-get)..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  pg_version="$(basename "$(dirname "$pg_bin")")"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$pg_version-postgis-3" >/dev/null
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

work="$(mktemp -d "${TMPDIR:-/tmp}/alternance-peers.XXXXXX")"
chmod 755 "$work"
pg_port="$(free_port)"
redis_port="$(free_port)"
redis_pid=""
pg_started=""

# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user the package created.
pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  set +e
  if [ -n "$pg_started" ]; then pg "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null; fi
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir "$work/pg"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$work/pg"; fi
pg "$pg_bin/initdb" -D "$work/pg" -U bench --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log"
# Tuned as in ../shared/notes/PEERS-BASELINE.md: memory for the whole table, no parallel plans, no JIT; durability
# off only to speed up the load (the measured workload is read-only).
pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 \
  -c shared_buffers=1GB -c effective_cache_size=4GB -c work_mem=16MB -c maintenance_work_mem=512MB \
  -c random_page_cost=1.1 -c jit=off -c max_parallel_workers_per_gather=0 -c max_connections=100 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0" start >/dev/null
pg_started=1

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --logfile "$work/redis.log" --daemonize no &
redis_pid=$!
for _ in $(seq 50); do
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then break; fi
  sleep 0.1
done

append=(--append docs/BENCHMARKS.md)
args=()
for a in "$@"; do
  if [ "$a" = "--no-append" ]; then append=(); else args+=("$a"); fi
done

dotnet build tests/Alternance.Benchmarks -c Release -nologo -v q -clp:ErrorsOnly
dotnet tests/Alternance.Benchmarks/bin/Release/net10.0/Alternance.Benchmarks.dll peers \
  --postgres "Host=127.0.0.1;Port=$pg_port;Username=bench;Database=postgres" \
  --redis "127.0.0.1:$redis_port" \
  --command "tests/Alternance.Benchmarks/peers.sh${*:+ $*}" \
  "${append[@]}" "${args[@]}"
