#!/usr/bin/env bash
# `make cluster-stop`: ends what cluster/up.sh started, each process by its own pid file, and keeps the data.
# The balancer first, the databases last, so no request meets a half-stopped cluster.
set -uo pipefail
cd "$(dirname "$0")/.."
DIR=$(pwd)/.cluster
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}

stop_pid_file() {  # SIGTERM, then up to 30 s for the process to finish what it is doing
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(head -1 "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -f "$file"
}

[ -d "$DIR" ] || exit 0
stop_pid_file "$DIR/run/nginx.pid"
for file in "$DIR"/run/app-*.pid "$DIR/run/worker-supervisor.pid" "$DIR/run/worker.pid" "$DIR/run/redis.pid" "$DIR/pgbouncer/pgbouncer.pid"; do
  stop_pid_file "$file"
done
for node in replica primary; do
  if [ -f "$DIR/pg/$node/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/$node" -m fast -w stop >/dev/null
  fi
done
echo "==> Stopped (data kept in .cluster/; remove it for a fresh cluster)"
