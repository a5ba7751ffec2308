#!/usr/bin/env bash
# collectstatic into var/static (hashed names and .gz copies for WhiteNoise and nginx), only
# when a static source file is newer than the last run: hashing and compressing takes ~10 s.
# Run with the environment of the server it is for (DEBUG off). PY: .venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
manifest=var/static/staticfiles.json
site_packages=$("$PY" -c 'import django, pathlib; print(pathlib.Path(django.__file__).parent.parent)')
if [ ! -f "$manifest" ] ||
  [ -n "$(find shegong "$site_packages/django/contrib/admin" "$site_packages/django_htmx" \
    -path '*/static/*' -newer "$manifest" -print -quit)" ]; then
  "$PY" manage.py collectstatic --noinput >/dev/null
fi
