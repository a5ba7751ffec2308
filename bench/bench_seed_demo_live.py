"""Time, queries and rows of `manage.py seed_demo`: a fresh database, a second run, and
`--refresh-live` a month later (the test sweeps seed the demo, so it must stay quick).

Runs against a throw-away SQLite database and media directory (or DATABASE_URL when set), so
it never touches the demo data: `python bench/bench_seed_demo_live.py`.
"""

import datetime
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP.name}/bench.sqlite3")
os.environ["MEDIA_ROOT"] = f"{TMP.name}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def rows() -> int:
    return sum(model.objects.count() for model in apps.get_models())


def timed(label: str, *args: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        call_command("seed_demo", *args, stdout=io.StringIO())
        elapsed = time.perf_counter() - started
    print(f"{label:<34} {elapsed:6.2f} s  {len(queries):6d} queries  {rows():6d} rows")


def main() -> None:
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    timed("seed_demo, fresh database", f"--today={today}")
    timed("seed_demo, second run", f"--today={today}")
    later = today + datetime.timedelta(days=30)
    timed("seed_demo --refresh-live, +30 days", f"--today={later}", "--refresh-live")


if __name__ == "__main__":
    main()
