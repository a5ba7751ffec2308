# shegong — see README.md. `make demo` and `make test` are the two commands.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test check fmt bench messages install clean system-packages system-packages-runtime

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP) system-packages-runtime

# Debian packages outside Python (LibreOffice, fonts, chromium, poppler, zbar): installed when
# missing and we may, otherwise named. See scripts/system-packages.sh.
system-packages:
	@scripts/system-packages.sh

system-packages-runtime:
	@scripts/system-packages.sh --runtime

demo: $(STAMP) system-packages-runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "shegong: http://127.0.0.1:$(PORT)/  (console: http://127.0.0.1:$(PORT)/console/)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker & \
	  $(PY) manage.py run_periodic --loop 300 >/dev/null & \
	  DEBUG=1 $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

# The whole suite. Browser tests run when Debian's chromium is installed; otherwise they are
# skipped and the run says so plainly.
test: $(STAMP) system-packages
	@if [ -x /usr/bin/chromium ]; then \
	  $(PY) -m pytest; \
	else \
	  echo "NOTE: /usr/bin/chromium not found: skipping the browser tests (apt-get install chromium)."; \
	  $(PY) -m pytest -m "not browser"; \
	fi

check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Recompile the translation catalogs (needs gettext's msgfmt; the .mo files are committed).
messages:
	find shegong -path '*/locale/*/LC_MESSAGES/django.po' -exec sh -c 'msgfmt -o "$${1%.po}.mo" "$$1"' _ {} \;

clean:
	rm -rf var/static .pytest_cache
