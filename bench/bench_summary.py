"""Time to draft a district summary over 100,000 activities (SPEC §9 target: under 1 s).

Loads the Haikou demo tree into a throw-away SQLite database (or DATABASE_URL when set), adds
ACTIVITIES activities in 秀英区's subtree (with partners, audiences and focus tags), and times
``summary_draft`` (every figure plus the five drafted sections) and the summary page a district
officer opens. `python bench/bench_summary.py [ACTIVITIES]`.
"""

import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from shegong.accounts.models import User  # noqa: E402
from shegong.activities.models import Activity, codes_join  # noqa: E402
from shegong.campaigns.models import Campaign  # noqa: E402
from shegong.orgs.models import Partner, Unit  # noqa: E402
from shegong.reports.services import summary_draft  # noqa: E402

DISTRICT = "460105"


def fill(campaign: Campaign, count: int) -> None:
    district = Unit.objects.get(code=DISTRICT)
    units = list(Unit.objects.filter(path__startswith=district.path))
    kinds = [k for k, _ in Activity.Kind.choices]
    audiences = [["public"], ["service_users", "public"], ["practitioners"]]
    focuses = [["elderly", "five_social"], ["children"], ["five_social"], []]
    start = timezone.make_aware(datetime.datetime(2023, 3, 21, 9))  # noqa: DTZ001
    batch = []
    for n in range(count):
        batch.append(
            Activity(
                unit=units[n % len(units)],
                campaign=campaign,
                kind=kinds[n % len(kinds)],
                title=f"基准活动{n}",
                starts_at=start + datetime.timedelta(minutes=n % 15000),
                audiences=codes_join(audiences[n % 3]),
                focus_tags=codes_join(focuses[n % 4]),
                participants=n % 200,
                volunteers=n % 20,
                views=n % 1000,
                status="approved",
            )
        )
        if len(batch) == 5000:
            Activity.objects.bulk_create(batch)
            batch = []
    Activity.objects.bulk_create(batch)
    partners = list(Partner.objects.filter(unit__path__startswith=district.path)[:50])
    through = Activity.partners.through
    ids = list(
        Activity.objects.filter(title__startswith="基准活动").values_list("pk", flat=True)[::10]
    )
    through.objects.bulk_create(
        [
            through(activity_id=pk, partner_id=partners[i % len(partners)].pk)
            for i, pk in enumerate(ids)
        ],
        ignore_conflicts=True,
    )


def timed(function, runs: int = 5) -> tuple[float, int]:
    function()  # warm caches (templates, the first query's plan)
    times = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    count = len(queries)
    for _ in range(runs - 1):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


def profile(function) -> None:
    """With PROFILE=1: the slowest queries of one run."""
    timings = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql[:300]))

    with connection.execute_wrapper(wrapper):
        function()
    for seconds, sql in sorted(timings, reverse=True)[:5]:
        print(f"  {seconds * 1000:7.0f} ms  {sql}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(slug="haikou-2023")
    started = time.perf_counter()
    if not Activity.objects.filter(title__startswith="基准活动").exists():  # a kept DATABASE_URL
        fill(campaign, count)
        with connection.cursor() as cursor:  # statistics, as autovacuum would gather them
            cursor.execute("ANALYZE")
    total = Activity.objects.filter(
        campaign=campaign, unit__path__startswith=Unit.objects.get(code=DISTRICT).path
    ).count()
    added = time.perf_counter() - started
    print(f"activities in {DISTRICT}'s subtree: {total:,} (added in {added:.1f} s)")
    district = Unit.objects.get(code=DISTRICT)
    if os.environ.get("PROFILE"):
        profile(lambda: summary_draft(campaign=campaign, unit=district))
    draft_time, draft_queries = timed(lambda: summary_draft(campaign=campaign, unit=district))
    print(
        f"draft a district summary (figures + sections): {draft_time * 1000:.0f} ms median, "
        f"{draft_queries} queries (target < 1000 ms)"
    )
    officer = User.objects.get(username=f"district.{DISTRICT}")
    User.objects.filter(pk=officer.pk).update(is_demo=False)
    client = Client()
    client.force_login(officer)
    url = f"/console/summaries/{campaign.slug}/{DISTRICT}/"
    page_time, page_queries = timed(lambda: client.get(url))
    print(
        f"summary page as the district officer: {page_time * 1000:.0f} ms median, "
        f"{page_queries} queries"
    )
    print(f"database: {connection.vendor}")
    from figures import report  # bench/figures.py: the line `make bench`'s table reads

    report(
        f"district summary drafted over {count:,} activities ({connection.vendor})",
        draft_time * 1000,
        "ms",
        target="< 1 s",
        ok=draft_time < 1,
    )


if __name__ == "__main__":
    main()
