#!/usr/bin/env bash
# `make dev`: Django's development server (DEBUG on, reloads on change) with the task worker and
# the periodic jobs beside it, demo logins allowed. Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
export PORT=${PORT:-8000} DEBUG=1 DEMO_MODE=1
"$PY" manage.py migrate --noinput

# Background jobs of a script ignore the terminal's SIGINT: the trap passes it on as SIGTERM,
# to the development server's whole process group (its reloader and the server it restarts).
trap 'trap - INT TERM EXIT; kill -- -"$web" $(jobs -p) 2>/dev/null; wait' INT TERM EXIT
"$PY" manage.py db_worker &
"$PY" manage.py run_periodic --loop 300 >/dev/null &
setsid "$PY" manage.py runserver "127.0.0.1:$PORT" &
web=$!
wait -n
