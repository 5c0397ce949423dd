#!/usr/bin/env bash
# `make cluster`: the production layout on one machine, every piece on 127.0.0.1 with its own port, its data and pid
# files under .cluster/ (ignored by git). A PostgreSQL primary and a streaming hot standby made with pg_basebackup,
# PgBouncer in transaction mode in front of the primary, two gunicorn app servers and one db_worker with the
# production settings, nginx balancing the two app servers, and a redis for the shared cache.
#
# Running it again starts what is not running and keeps the data. `make cluster-stop` ends what this started, by
# its pid files. The environment the app runs with is written to .cluster/env (`set -a; . .cluster/env`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=$ROOT/.cluster
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PRIMARY_PORT=${PRIMARY_PORT:-5441}
REPLICA_PORT=${REPLICA_PORT:-5442}
POOLER_PORT=${POOLER_PORT:-6441}
REDIS_PORT=${REDIS_PORT:-6443}
BALANCER_PORT=${BALANCER_PORT:-8440}
APP_PORTS=(${APP_PORTS:-8441 8442})
DATABASE=ansinh
# The synthetic city the drills hand out from (manage.py generate_city): 0.06 is 60,000 households in 18 wards, enough
# households still under the campaign's limit for six loads of 20 s on a fast machine (each load restocks the bags).
CITY_SCALE=${CITY_SCALE:-0.06}

step() { printf '==> %s\n' "$*"; }
as_postgres() { runuser -u postgres -- "$@"; }
running() { [ -f "$1" ] && kill -0 "$(head -1 "$1")" 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 60); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "nothing answers on port $1" >&2
  return 1
}

step "Packages: PgBouncer, nginx, redis (Debian's), the virtualenv"
missing=()
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x "$PG_BIN/pg_basebackup" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PATH=$PATH:/usr/sbin
make --no-print-directory install

mkdir -p "$DIR/run" "$DIR/log" "$DIR/redis" "$DIR/nginx"
install -d -o postgres -g postgres "$DIR/pg" "$DIR/pg/sock"
[ -f "$DIR/secret_key" ] || (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n/+=' >"$DIR/secret_key")

cat >"$DIR/env" <<EOF
DEBUG=0
SECRET_KEY=$(cat "$DIR/secret_key")
ALLOWED_HOSTS=127.0.0.1,localhost
SECURE_SSL_REDIRECT=0
SECURE_HSTS_SECONDS=0
TRUSTED_PROXY_COUNT=1
DATABASE_URL=postgres://postgres@127.0.0.1:$POOLER_PORT/$DATABASE
DATABASE_POOLED=1
DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/$DATABASE
ANSINH_TASKS=database
ANSINH_IMPORT_DIR=$DIR/imports
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
CLUSTER_DIRECT_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DATABASE
CLUSTER_BALANCER=http://127.0.0.1:$BALANCER_PORT
CLUSTER_APP_PORTS="${APP_PORTS[*]}"
CLUSTER_PRIMARY_PORT=$PRIMARY_PORT
CLUSTER_REPLICA_PORT=$REPLICA_PORT
CLUSTER_POOLER_PORT=$POOLER_PORT
EOF
mkdir -p "$DIR/imports"
set -a
# shellcheck disable=SC1091
. "$DIR/env"
set +a

step "PostgreSQL primary on port $PRIMARY_PORT"
if [ ! -f "$DIR/pg/primary/PG_VERSION" ]; then
  as_postgres "$PG_BIN/initdb" -D "$DIR/pg/primary" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # UTC, so Django sends no `SET TIME ZONE` that a pooled connection would carry to another client; SSD costs, as
  # relief/settings.py asks of a direct connection; a slot, so a stopped replica finds its WAL when it starts again.
  cat >>"$DIR/pg/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$DIR/pg/sock'
timezone = 'UTC'
random_page_cost = 1.1
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
hot_standby_feedback = on
EOF
  echo "host replication postgres 127.0.0.1/32 trust" >>"$DIR/pg/primary/pg_hba.conf"
fi
if ! as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/primary" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/primary" -l "$DIR/pg/primary.log" -w start >/dev/null
fi
psql_primary() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ -z "$(psql_primary -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
  psql_primary -c "CREATE DATABASE $DATABASE"
fi

step "Streaming hot standby on port $REPLICA_PORT (pg_basebackup)"
if [ ! -f "$DIR/pg/replica/PG_VERSION" ]; then
  if [ -z "$(psql_primary -c "SELECT 1 FROM pg_replication_slots WHERE slot_name = 'replica'")" ]; then
    psql_primary -c "SELECT pg_create_physical_replication_slot('replica')" >/dev/null
  fi
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/pg/replica" \
    --write-recovery-conf --wal-method=stream --slot=replica --checkpoint=fast
  echo "port = $REPLICA_PORT" | as_postgres tee -a "$DIR/pg/replica/postgresql.auto.conf" >/dev/null
fi
if ! as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/replica" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/replica" -l "$DIR/pg/replica.log" -w start >/dev/null
fi

step "PgBouncer (transaction pooling) on port $POOLER_PORT"
install -d -o postgres -g postgres "$DIR/pgbouncer"
cat >"$DIR/pgbouncer/pgbouncer.ini" <<EOF
[databases]
$DATABASE = host=127.0.0.1 port=${POOLER_TARGET_PORT:-$PRIMARY_PORT} dbname=$DATABASE

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $POOLER_PORT
unix_socket_dir = $DIR/pgbouncer
auth_type = trust
auth_file = $DIR/pgbouncer/userlist.txt
admin_users = postgres
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
# After a failed login to the server (a primary restarting, a fail-over), try again within a second, not 15.
server_login_retry = 1
pidfile = $DIR/pgbouncer/pgbouncer.pid
logfile = $DIR/pgbouncer/pgbouncer.log
EOF
echo '"postgres" ""' >"$DIR/pgbouncer/userlist.txt"
chown postgres:postgres "$DIR/pgbouncer"/*
if ! running "$DIR/pgbouncer/pgbouncer.pid"; then
  as_postgres pgbouncer -d -q "$DIR/pgbouncer/pgbouncer.ini"
fi
wait_port "$POOLER_PORT"

step "redis on port $REDIS_PORT"
if ! running "$DIR/run/redis.pid"; then
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$DIR/run/redis.pid" \
    --dir "$DIR/redis" --save "" --appendonly no --logfile "$DIR/log/redis.log"
fi

step "Schema (migrate straight to the primary, not through the pooler), static files, the city"
DATABASE_URL=$CLUSTER_DIRECT_URL DATABASE_POOLED=0 .venv/bin/python manage.py migrate --noinput -v 0
if command -v msgfmt >/dev/null; then .venv/bin/python manage.py compilemessages --ignore=.venv -v 0; fi
.venv/bin/python manage.py collectstatic --noinput -v 0
if [ -z "$(psql_primary -d "$DATABASE" -c "SELECT 1 FROM relief_district LIMIT 1")" ]; then
  DATABASE_URL=$CLUSTER_DIRECT_URL DATABASE_POOLED=0 .venv/bin/python manage.py generate_city --scale "$CITY_SCALE"
fi

step "Two app servers (gunicorn) on ports ${APP_PORTS[*]}, one db_worker"
for port in "${APP_PORTS[@]}"; do
  if ! running "$DIR/run/app-$port.pid"; then
    .venv/bin/gunicorn relief.wsgi -c gunicorn.conf.py --bind "127.0.0.1:$port" --workers 2 --threads 4 \
      --pid "$DIR/run/app-$port.pid" --error-logfile "$DIR/log/app-$port.log" --control-socket "$DIR/run/app-$port.ctl" \
      --capture-output \
      --daemon
  fi
done
# Restarted whenever it exits, as systemd or supervisor would in production: a worker exits when its database
# connection fails (PgBouncer or the primary restarting).
if ! running "$DIR/run/worker-supervisor.pid"; then
  nohup bash -c "while true; do .venv/bin/python manage.py db_worker & echo \$! >'$DIR/run/worker.pid'; wait \$!; sleep 1; done" \
    >>"$DIR/log/worker.log" 2>&1 &
  echo $! >"$DIR/run/worker-supervisor.pid"
fi
for port in "${APP_PORTS[@]}"; do wait_port "$port"; done

step "nginx balancing both app servers on port $BALANCER_PORT"
upstreams=$(for port in "${APP_PORTS[@]}"; do printf '    server 127.0.0.1:%s max_fails=1 fail_timeout=5s;\n' "$port"; done)
cat >"$DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $DIR/run/nginx.pid;
error_log $DIR/log/nginx-error.log warn;
events { worker_connections 1024; }
http {
  # Which app server answered each request (the load drill counts the hand-outs each one took).
  log_format upstream '\$upstream_addr \$request_method \$status';
  access_log $DIR/log/nginx-upstream.log upstream;
  client_body_temp_path $DIR/nginx/body;
  proxy_temp_path $DIR/nginx/proxy;
  fastcgi_temp_path $DIR/nginx/fastcgi;
  uwsgi_temp_path $DIR/nginx/uwsgi;
  scgi_temp_path $DIR/nginx/scgi;
  client_max_body_size 25m;
  upstream app {
$upstreams
  }
  server {
    listen 127.0.0.1:$BALANCER_PORT;
    location / {
      proxy_pass http://app;
      # A new connection to the app server per request: with kept-alive ones, gunicorn closing an idle connection
      # (after its 2 s keep-alive) as nginx sends a POST on it resets that POST, which nginx cannot replay.
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A refused connection (an app server down) goes to the other server, a POST too: nothing reached the app.
      # A request an app server took and then lost is not replayed: the client sees 502 and retries with its key.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
  }
}
EOF
if running "$DIR/run/nginx.pid"; then
  nginx -c "$DIR/nginx/nginx.conf" -s reload
else
  nginx -c "$DIR/nginx/nginx.conf"
fi
wait_port "$BALANCER_PORT"

step "Up: http://127.0.0.1:$BALANCER_PORT/ (environment in .cluster/env; make cluster-test runs the drills)"
