# shegong — see README.md. `make demo` and `make test` are the two commands.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# Python keeps compiled modules in __pycache__ (ignored by git). Some machines set
# PYTHONDONTWRITEBYTECODE, and then every process compiles the project anew: the suite's workers
# and the processes its tests start spent seconds each compiling, and pytest its assertion
# rewriting (collection 8.3 s -> 3.8 s with the cache).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo dev screenshots test test-fast check fmt bench messages install clean system-packages system-packages-runtime

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

# The demo, served as production is: granian + WhiteNoise with DEBUG off, the task worker and
# the periodic jobs beside it; demo logins through DEMO_MODE; links and QR codes use PORT.
demo: $(STAMP) system-packages-runtime
	@PORT=$(PORT) PY=$(PY) scripts/demo.sh

# For developers: Django's development server (DEBUG on, reloads on change) and the worker.
dev: $(STAMP)
	@PORT=$(PORT) PY=$(PY) scripts/dev.sh

# The pictures of docs/guide/, taken from the running demo in Debian's chromium.
screenshots: $(STAMP) system-packages
	$(PY) scripts/screenshots.py

# The whole suite, in TEST_WORKERS processes (pytest-xdist; each module stays in one process,
# so a module's seeded demo is made once), and its wall time. Browser tests run when Debian's
# chromium is installed; otherwise they are skipped and the run says so plainly.
TEST_WORKERS ?= 2
test: $(STAMP) system-packages
	@started=$$(date +%s); \
	if [ -x /usr/bin/chromium ]; then \
	  $(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope; status=$$?; \
	else \
	  echo "NOTE: /usr/bin/chromium not found: skipping the browser tests (apt-get install chromium)."; \
	  $(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope -m "not browser"; status=$$?; \
	fi; \
	echo "make test: $$(( $$(date +%s) - started )) s of wall time"; \
	exit $$status

# The suite without the browser tests, for the edit-test loop: under two minutes of wall time
# on this 2-core machine when it is quiet (README).
test-fast: $(STAMP)
	@started=$$(date +%s); \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope -m "not browser"; status=$$?; \
	echo "make test-fast: $$(( $$(date +%s) - started )) s of wall time"; \
	exit $$status

check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every benchmark under bench/, then one table of the figures against SPEC §9 (bench/run_all.py).
bench: $(STAMP)
	@$(PY) bench/run_all.py

# Recompile the translation catalogs (needs gettext's msgfmt; the .mo files are committed).
messages:
	find shegong -path '*/locale/*/LC_MESSAGES/django.po' -exec sh -c 'msgfmt -o "$${1%.po}.mo" "$$1"' _ {} \;

clean:
	rm -rf var/static .pytest_cache
