# The two commands of the README: `make run` (a working An Sinh with the demo loaded) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# A stamp named after the requirements' checksum: editing a requirements file reinstalls, nothing else does.
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test install setup demo lint format test-postgres bench clean cluster cluster-stop cluster-test

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

setup: install
	$(BIN)/python manage.py migrate --noinput
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi

demo: setup
	DEMO_MODE=1 $(BIN)/python manage.py seed_demo

run: demo
	DEMO_MODE=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ansinh} $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The city-scale benchmark (docs/PERFORMANCE.md): needs PostgreSQL with the city of `manage.py generate_city`, migrated.
# BENCH_ARGS="--only dashboard,search" runs some figures; results land in bench/out/results.json.
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ansinh_city} $(BIN)/python -m bench.run $(BENCH_ARGS)

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
