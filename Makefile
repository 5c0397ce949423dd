# The two commands of the README: `make run` (a working An Sinh with the demo loaded) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# A stamp named after the requirements' checksum: editing a requirements file reinstalls, nothing else does.
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test install setup demo lint format test-postgres bench bench-two-tier clean redis redis-stop cluster cluster-stop cluster-test

$(STAMP): requirements.txt requirements-dev.txt
	@echo "Installing the Python packages into $(VENV) (a minute or two the first time; quiet while it works)..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@
	@echo "Packages installed."

install: $(STAMP)

setup: install
	@echo "Migrating the database..."
	$(BIN)/python manage.py migrate --noinput
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	  else echo "No msgfmt (apt-get install gettext): the admin stays partly in English and the English pages in Vietnamese."; fi

demo: setup
	@echo "Loading the demo district (kept if already there)..."
	DEMO_MODE=1 $(BIN)/python manage.py seed_demo

run: demo
	DEMO_MODE=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The cluster's drills (tests/cluster) are make cluster-test's: they drive the running cluster, not this suite's database.
test: install
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	  else echo "No msgfmt (apt-get install gettext): the admin stays partly in English and the English pages in Vietnamese."; fi
	$(BIN)/python -m pytest --ignore=tests/cluster $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ansinh} $(BIN)/python -m pytest --ignore=tests/cluster $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The city-scale benchmark (docs/PERFORMANCE.md): needs PostgreSQL with the city of `manage.py generate_city`, migrated.
# BENCH_ARGS="--only dashboard,search" runs some figures; results land in bench/out/results.json.
bench: install redis
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ansinh_city} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:$(REDIS_PORT)/1} $(BIN)/python -m bench.run $(BENCH_ARGS)

# Redis, the cache every app server shares (REDIS_URL in relief/settings.py): Debian's redis-server on a port of its
# own, with its pid file and log under var/redis. Started only if nothing answers there yet; nothing is saved to disk.
REDIS_PORT ?= 6390
REDIS_DIR  := $(CURDIR)/var/redis
redis:
	@command -v redis-server >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
	@mkdir -p $(REDIS_DIR)
	@if ! redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping >/dev/null 2>&1; then \
	  redis-server --bind 127.0.0.1 --port $(REDIS_PORT) --daemonize yes --dir $(REDIS_DIR) \
	    --pidfile $(REDIS_DIR)/redis.pid --logfile $(REDIS_DIR)/redis.log --save '' --appendonly no \
	    --maxmemory 256mb --maxmemory-policy allkeys-lru; \
	  for _ in $$(seq 1 50); do redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping >/dev/null 2>&1 && break; sleep 0.1; done; \
	fi
	@redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping >/dev/null && echo "Redis answers: REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/0"

redis-stop:
	@if [ -f $(REDIS_DIR)/redis.pid ]; then kill "$$(cat $(REDIS_DIR)/redis.pid)" && rm -f $(REDIS_DIR)/redis.pid; fi

# The same pages on today's two-tier city (`generate_city --shape two-tier` into ansinh_city_two_tier): one city's
# leader over about 170 wards and communes.
bench-two-tier: install redis
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ansinh_city_two_tier} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:$(REDIS_PORT)/1} $(BIN)/python -m bench.run --only dashboard,queries $(BENCH_ARGS)

# The production layout on this machine (cluster/up.sh: a primary, a streaming replica, PgBouncer, two app servers,
# a db_worker, nginx), its stop, and the drills that prove it (tests/cluster/; CLUSTER_SECONDS sets each load's length).
cluster:
	cluster/up.sh

cluster-stop:
	cluster/down.sh

cluster-test: install
	$(BIN)/python -m pytest tests/cluster -p no:cacheprovider -v $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
