"""Time ``manage.py seed_demo`` takes on a fresh database, and again (idempotent: it should
cost less the second time). Runs against a throw-away SQLite database (or DATABASE_URL):
`python bench/bench_seed_demo.py`. The suite seeds the demo several times (the site sweeps,
the demo tests); this figure is what each of those costs.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
os.environ.setdefault("MEDIA_ROOT", f"{TMP.name}/media")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    for label in ("first run (empty database)", "second run (idempotent)"):
        started = time.perf_counter()
        call_command("seed_demo", stdout=io.StringIO())
        print(f"seed_demo {label}: {time.perf_counter() - started:.2f} s")
    print("  (was a test's limit: < 15 s for the first run)")


if __name__ == "__main__":
    main()
