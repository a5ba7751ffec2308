"""Console help-request queue and public tracking over many requests: prints timings.

Usage: .venv/bin/python bench/bench_helpdesk_queue.py   (BENCH_HELPDESK_N=100000 for more;
DATABASE_URL=postgres://... to measure PostgreSQL; default: a throw-away SQLite file).
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-helpdesk-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
os.environ["DEBUG"] = "1"  # templates are cached either way (Django >= 4.1)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

N = int(os.getenv("BENCH_HELPDESK_N", "20000"))


def main() -> None:
    if "postgres" in os.environ["DATABASE_URL"]:
        print("PostgreSQL: the database must be empty and migrated by this script.")
    call_command("migrate", verbosity=0)
    from shegong.accounts.models import User
    from shegong.helpdesk.models import HelpRequest
    from shegong.orgs.models import Unit
    from shegong.orgs.services import units_load_divisions

    units_load_divisions()
    stations = list(Unit.objects.stations())
    district = Unit.objects.districts().get(code="460105")
    station = district.children.first()
    users = {
        "city admin": User.objects.create(
            username="b-city", role="city_admin", unit=district.parent
        ),
        "district officer": User.objects.create(
            username="b-district", role="district_officer", unit=district
        ),
        "station worker": User.objects.create(
            username="b-station", role="station_worker", unit=station
        ),
    }
    now = timezone.now()
    started = time.perf_counter()
    batch = []
    for n in range(N):
        unit = stations[n % len(stations)]
        batch.append(
            HelpRequest(
                code=f"B{n:07d}",
                for_whom="self",
                category="elderly",
                description="需要上门探访。",
                area=unit,
                unit=unit,
                contact_name="测试",
                phone=f"139{n:08d}",
                phone_last4=f"{n:08d}"[-4:],
                consent_at=now,
                respond_by=now + timedelta(days=1 - n % 3),
                status=["new", "accepted", "closed"][n % 3],
                urgent=n % 50 == 0,
            )
        )
        if len(batch) == 5000:
            HelpRequest.objects.bulk_create(batch)
            batch = []
    HelpRequest.objects.bulk_create(batch)
    print(f"{N} help requests over {len(stations)} stations, {connection.vendor}")
    print(f"  insert: {time.perf_counter() - started:.1f} s")

    for label, user in users.items():
        client = Client()
        client.force_login(user)
        for path in ("/console/helpdesk/", "/console/helpdesk/?overdue=1"):
            client.get(path)
            times = []
            for _ in range(10):
                t = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
            print(
                f"  {label:<17} {path:<30} median {statistics.median(times):6.1f} ms  "
                f"max {max(times):6.1f} ms"
            )

    client = Client()
    times = []
    for n in range(1, 6):
        t = time.perf_counter()
        client.post("/help/track/", {"code": f"B{n:07d}", "last4": f"{n:08d}"[-4:]})
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"  public /help/track/ (right code)              median {statistics.median(times):6.1f} ms"
    )


if __name__ == "__main__":
    main()
