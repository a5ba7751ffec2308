#!/usr/bin/env bash
# The demo, served the way production is (`make demo` runs this after installing):
# migrate, load the demo data, collect static files, then run side by side
#   - granian (the production WSGI server; WhiteNoise serves /static/ inside it), DEBUG off;
#   - the task worker (manage.py db_worker): posters, documents, notifications;
#   - the periodic jobs (manage.py run_periodic --loop 300).
# Demo logins work because DEMO_MODE is on; settings.py refuses DEMO_MODE on a public host or a
# database not named as a demo one. Absolute links (QR codes, posters, e-mails) use SITE_URL,
# made from PORT. Ctrl-C (or SIGTERM, or any one process dying) stops all of them.
#
# Environment: PORT (8000), PY (.venv/bin/python), WEB_WORKERS (2), DATABASE_URL (SQLite under
# var/ by default), DEMO_SKIP_SEED=1 to serve what the database already holds.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
GRANIAN=${GRANIAN:-$(dirname "$PY")/granian}
PORT=${PORT:-8000}
mkdir -p var

# A secret key of this machine's demo, made once and kept under var/ (never committed).
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s var/demo-secret-key ] ||
    "$PY" -c 'import secrets; print(secrets.token_urlsafe(60))' >var/demo-secret-key
  SECRET_KEY=$(cat var/demo-secret-key)
fi
export SECRET_KEY PORT
export DEBUG=0 DEMO_MODE=1
export SITE_URL="http://127.0.0.1:$PORT"
export ALLOWED_HOSTS=127.0.0.1,localhost
# Plain http on loopback: no redirect to https, cookies sent over http, no HSTS pinned.
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0

"$PY" manage.py migrate --noinput
[ "${DEMO_SKIP_SEED:-0}" = 1 ] || "$PY" manage.py seed_demo
PY="$PY" scripts/collectstatic.sh

# Background jobs of a script ignore the terminal's SIGINT: the trap passes it on as SIGTERM.
trap 'trap - INT TERM EXIT; kill $(jobs -p) 2>/dev/null; wait' INT TERM EXIT
# The worker reports every task it runs: into a file, so the demo logins above stay in view.
"$PY" manage.py db_worker >>var/demo-worker.log 2>&1 &
"$PY" manage.py run_periodic --loop 300 >/dev/null &
# In a session of its own: granian's workers must hear of a shutdown from their main process
# only (a terminal's Ctrl-C reaching a worker directly left it hanging); the trap passes it on.
setsid "$GRANIAN" --interface wsgi shegong.wsgi:application --host 127.0.0.1 --port "$PORT" \
  --workers "${WEB_WORKERS:-2}" --blocking-threads 1 --no-ws --log-level warning &
echo
echo "shegong: http://127.0.0.1:$PORT/  (console: http://127.0.0.1:$PORT/console/)"
echo "task worker log: var/demo-worker.log. Ctrl-C stops the server, the worker and the periodic jobs."
# Whichever process ends first (a port in use, a crash, Ctrl-C) ends the others too.
wait -n
