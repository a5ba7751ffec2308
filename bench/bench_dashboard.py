"""The campaign dashboard over a city's worth of records, on PostgreSQL: prints timings.

Fills a database of its own with 1,000 stations, 1,000,000 activities, 100,000 help requests,
200,000 QR scans and 50,000 survey answers (SPEC §9), straight into the models' own tables
with INSERT … SELECT FROM generate_series (a few seconds for a million rows), rebuilds the
roll-ups, and asks for the city's, a district's and a station's dashboard through Django's
test client (server time: view, queries and template, no network). Drops the database at
the end (BENCH_KEEP=1 keeps it).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shegong_dashboard \\
        .venv/bin/python bench/bench_dashboard.py
    BENCH_ACTIVITIES=100000 …   (smaller runs; BENCH_STATIONS, BENCH_HELP, BENCH_ANSWERS too)

The database named in DATABASE_URL is dropped and created again: never point it at real data.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shegong_dashboard")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
os.environ["DEBUG"] = "1"

URL = urlparse(os.environ["DATABASE_URL"])
if not URL.scheme.startswith("postgres"):
    sys.exit("bench_dashboard.py measures PostgreSQL: set DATABASE_URL=postgres://…")
DBNAME = URL.path.lstrip("/")

# BENCH_SCALE=national: 30,000 stations in 300 cities, 10,000,000 activities, 1,000,000 help
# requests (the national scale); BENCH_FACTOR=N divides the records (not the units)
# by N, for a machine that cannot load ten million rows in reasonable time.
NATIONAL = os.getenv("BENCH_SCALE") == "national"
FACTOR = max(1, int(os.getenv("BENCH_FACTOR", "1")))
CITIES = int(os.getenv("BENCH_CITIES", "300" if NATIONAL else "1"))
STATIONS = int(os.getenv("BENCH_STATIONS", "30000" if NATIONAL else "1000"))
PER_CITY = STATIONS // CITIES
DISTRICTS_PER_CITY = max(1, PER_CITY // 50) if not NATIONAL else 10
DISTRICTS = DISTRICTS_PER_CITY * CITIES
ACTIVITIES = int(os.getenv("BENCH_ACTIVITIES", "10000000" if NATIONAL else "1000000")) // FACTOR
HELP = int(os.getenv("BENCH_HELP", "1000000" if NATIONAL else "100000")) // FACTOR
SCANS = int(os.getenv("BENCH_SCANS", "2000000" if NATIONAL else "200000")) // FACTOR
ANSWERS = int(os.getenv("BENCH_ANSWERS", "500000" if NATIONAL else "50000")) // FACTOR
TASKS = 2 if NATIONAL else 10  # per campaign
MEDIA = ACTIVITIES // 20
SUBMISSIONS = ACTIVITIES // 50
RUNS = 7


def recreate_database() -> None:
    import psycopg

    admin = URL._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DBNAME}"')
        conn.execute(f'CREATE DATABASE "{DBNAME}"')


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin = URL._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DBNAME}"')


def insert_series(model, count: int, values: dict, cursor) -> float:
    """INSERT INTO model's table SELECT … FROM generate_series(1, count) g: ``values`` maps
    column names to SQL expressions of ``g``; other columns take the field's default (or
    NULL, or now() for timestamps). Returns the seconds it took."""
    from django.db.models import NOT_PROVIDED

    columns, expressions, params = [], [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        column = f.column
        columns.append(f'"{column}"')
        if column in values:
            expressions.append(values[column].replace("%", "%%"))  # modulo, not a placeholder
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            expressions.append("now()")
        elif f.default is not NOT_PROVIDED or (f.empty_strings_allowed and not f.null):
            expressions.append("%s")
            params.append(f.get_db_prep_value(f.get_default(), cursor.db))
        elif f.null:
            expressions.append("NULL")
        else:
            raise ValueError(f"{model.__name__}.{f.name} needs a value")
    started = time.perf_counter()
    cursor.execute(  # the bench's own constants, no outside input
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(expressions)} FROM generate_series(1, {int(count)}) AS g",
        params,
    )
    return time.perf_counter() - started


def load() -> dict:
    import datetime

    from django.db import connection

    from shegong.accounts.models import User
    from shegong.activities.models import Activity, MediaCoverage, Submission
    from shegong.campaigns.models import Campaign, KpiTarget, Task, TaskProgress
    from shegong.directory.models import QrLink, QrScanDay, Service, StaffMember, StationListing
    from shegong.helpdesk.models import HelpRequest
    from shegong.orgs.models import Unit
    from shegong.survey.models import Answer, Survey

    # Stations are numbered city by city (PER_CITY each, DISTRICTS_PER_CITY districts per
    # city), so a record's station, district, city and campaign follow from g in SQL.
    cities = Unit.objects.bulk_create(
        Unit(
            code=f"9{c:03d}00", division_code=f"9{c:03d}00", name=f"基准{c}市民政局",
            area_name=f"基准{c}市", area_kind="city", level="city", path=f"9{c:03d}00/",
        )
        for c in range(CITIES)
    )  # fmt: skip
    districts = Unit.objects.bulk_create(
        Unit(
            code=f"9{c:03d}{d:02d}", division_code=f"9{c:03d}{d:02d}", name=f"第{d}区民政局",
            area_name=f"第{d}区", area_kind="district", level="district", parent=cities[c],
            path=f"{cities[c].path}9{c:03d}{d:02d}/",
        )
        for c in range(CITIES)
        for d in range(1, DISTRICTS_PER_CITY + 1)
    )  # fmt: skip

    def district_of(s: int):
        city, rank = divmod(s, PER_CITY)
        return districts[city * DISTRICTS_PER_CITY + rank % DISTRICTS_PER_CITY]

    stations = Unit.objects.bulk_create(
        (
            Unit(
                code=f"{district_of(s).code}{s:05d}", division_code=f"{s:012d}",
                name=f"第{s}街道社工站", area_name=f"第{s}街道", area_kind="street",
                level="station", parent=district_of(s),
                path=f"{district_of(s).path}{district_of(s).code}{s:05d}/",
            )
            for s in range(STATIONS)
        ),
        batch_size=5000,
    )  # fmt: skip
    first_station = min(unit.pk for unit in stations)
    starts = datetime.date(2023, 3, 21)
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            slug=f"bench-{c}", name="基准宣传活动", theme="推进“五社联动”", starts_on=starts,
            ends_on=datetime.date(2023, 4, 30), summary_deadline=datetime.date(2023, 5, 10),
            issuer=cities[c], document_number=f"基民发〔2023〕{c + 1}号",
        )
        for c in range(CITIES)
    )  # fmt: skip
    campaign = campaigns[0]
    KpiTarget.objects.bulk_create(
        KpiTarget(campaign=each, kind=kind, target=target)
        for each in campaigns
        for kind, target in (
            ("activities", ACTIVITIES // 2 // CITIES), ("participants", ACTIVITIES * 10 // CITIES),
            ("media_reports", MEDIA // CITIES), ("stations_listed", PER_CITY), ("stories", 300),
            ("awareness_rate", 60), ("tasks_done", PER_CITY * TASKS // 2),
        )
    )  # fmt: skip
    users = {
        "city": User.objects.create(username="b-city", role="city_admin", unit=cities[0]),
        "district": User.objects.create(
            username="b-district", role="district_officer", unit=districts[0]
        ),
        "station": User.objects.create(
            username="b-station", role="station_worker", unit=stations[0]
        ),
        "superuser": User.objects.create(username="b-root", role="city_admin", is_superuser=True),
    }
    # The campaign of station (g % STATIONS): campaigns were created city by city too.
    of_campaign = f"({campaign.pk} + (g % {STATIONS}) / {PER_CITY})"
    station = f"({first_station} + (g % {STATIONS}))"
    day = "(DATE '2023-03-21' + (g % 41))"
    when = f"({day} + time '09:00' + (g % 480) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai'"
    seconds = {}
    with connection.cursor() as cursor:
        seconds["activities"] = insert_series(
            Activity, ACTIVITIES,
            {
                "unit_id": station, "campaign_id": of_campaign,
                "kind": "'onsite'", "title": "'社区宣传活动' || g", "starts_at": when,
                "participants": "(g % 97)",
                "status": "(ARRAY['approved','approved','approved','featured','submitted',"
                "'draft','returned'])[1 + g % 7]",
            },
            cursor,
        )  # fmt: skip
        created = f"({when})"
        seconds["help requests"] = insert_series(
            HelpRequest, HELP,
            {
                "code": "'B' || lpad(g::text, 7, '0')", "for_whom": "'self'",
                "category": "'elderly'", "description": "'需要上门探访。'", "area_id": station,
                "unit_id": station, "campaign_id": of_campaign, "phone": "'13800138000'",
                "phone_last4": "'8000'", "consent_at": created, "created_at": created,
                "respond_by": f"{created} + interval '1 day'",
                "first_response_at": f"CASE WHEN g % 5 = 0 THEN NULL "
                f"ELSE {created} + (g % 50) * interval '1 hour' END",
                "status": "CASE WHEN g % 5 = 0 THEN 'new' ELSE 'accepted' END",
            },
            cursor,
        )  # fmt: skip
        seconds["media"] = insert_series(
            MediaCoverage, MEDIA,
            {
                "unit_id": station, "outlet": "'海口日报'", "type": "'newspaper'",
                "title": "'报道' || g", "url": "''", "published_on": day,
            },
            cursor,
        )  # fmt: skip
        seconds["submissions"] = insert_series(
            Submission, SUBMISSIONS,
            {
                "unit_id": station, "outlet": "'中国社会工作'", "title": "'稿件' || g",
                "submitted_on": day, "url": "''",
                "status": "(ARRAY['submitted','adopted','published','rejected'])[1 + g % 4]",
            },
            cursor,
        )  # fmt: skip
        seconds["listings"] = insert_series(
            StationListing, STATIONS,
            {
                "unit_id": f"({first_station} + g - 1)", "slug": "'s' || g",
                "hsds_id": "gen_random_uuid()", "name": "'社工站' || g",
                "summary": "'服务老人和儿童。'", "address": "'某街道1号'",
                "phone": "'0898-66666666'", "process_steps": "'来站\n登记'",
                "last_verified_on": "DATE '2023-03-01' + (g % 200)",
            },
            cursor,
        )  # fmt: skip
        first_listing = StationListing.objects.order_by("pk").values_list("pk", flat=True)[0]
        listing = f"({first_listing} + (g % {STATIONS}))"
        insert_series(
            Service, STATIONS * 2,
            {
                "listing_id": listing, "hsds_id": "gen_random_uuid()", "name": "'探访'",
                "category": "'elderly'", "target_group": "'老人'", "description": "'上门'",
            },
            cursor,
        )  # fmt: skip
        insert_series(
            StaffMember, STATIONS - STATIONS // 10,
            {"listing_id": f"({first_listing} + g - 1)", "name": "'社工'", "role": "'站长'"},
            cursor,
        )  # fmt: skip
        tasks = Task.objects.bulk_create(
            Task(campaign=each, level="station", title=f"任务{n}", due_on=starts)
            for each in campaigns
            for n in range(TASKS)
        )
        # Progress row g - 1: station (g - 1) % STATIONS, that station's campaign's task
        # number (g - 1) / STATIONS (tasks were made campaign by campaign, TASKS each).
        insert_series(
            TaskProgress, STATIONS * TASKS,
            {
                "task_id": f"({tasks[0].pk} + ((g - 1) % {STATIONS}) / {PER_CITY} * {TASKS}"
                f" + (g - 1) / {STATIONS})",
                "unit_id": f"({first_station} + (g - 1) % {STATIONS})",
                "status": "(ARRAY['done','in_progress','not_started'])[1 + g % 3]",
            },
            cursor,
        )  # fmt: skip
        links = QrLink.objects.bulk_create(
            QrLink(code=f"b{n:05d}", channel=f"渠道{n % 40}", target="/", unit=stations[n])
            for n in range(STATIONS)
        )
        days = 20
        per_row = max(1, SCANS // (STATIONS * days))
        seconds["qr scan days"] = insert_series(
            QrScanDay, STATIONS * days,
            {
                "link_id": f"({links[0].pk} + (g - 1) % {STATIONS})",
                "day": f"DATE '2023-03-21' + (g - 1) / {STATIONS}", "count": str(per_row),
            },
            cursor,
        )  # fmt: skip
        surveys = Survey.objects.bulk_create(
            Survey(
                campaign=each, slug=f"bench-{c}", opens_on=datetime.date(2023, 2, 19),
                closes_on=datetime.date(2023, 4, 30),
            )
            for c, each in enumerate(campaigns)
        )  # fmt: skip
        answer_day = "(DATE '2023-02-19' + (g % 70))"
        seconds["survey answers"] = insert_series(
            Answer, ANSWERS,
            {
                "survey_id": f"({surveys[0].pk} + (g % {STATIONS}) / {PER_CITY})",
                "answered_at": f"({answer_day} + time '10:00') AT TIME ZONE 'Asia/Shanghai'",
                "answered_on": answer_day, "area_id": station,
                "district_id": f"(SELECT parent_id FROM orgs_unit WHERE id = {station})",  # noqa: S608
                "age_group": "(ARRAY['u18','18_34','35_59','60_plus'])[1 + g % 4]",
                "knows_social_work": "(ARRAY['yes','heard','no'])[1 + g % 3]",
                "knows_station": "'no'", "used_service": "'no'",
            },
            cursor,
        )  # fmt: skip
        cursor.execute("ANALYZE")
    return {
        "campaign": campaign,
        "campaigns": campaigns,
        "users": users,
        "district": districts[0],
        "load": seconds,
    }


def timed_get(client, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), min(times), len(queries)


def main() -> None:
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    try:
        started = time.perf_counter()
        world = load()
        loaded = time.perf_counter() - started

        from shegong.reports.dashboard_rollups import rollup_rebuild

        started = time.perf_counter()
        runs = [rollup_rebuild(campaign=each) for each in world["campaigns"]]
        rebuild = time.perf_counter() - started
        run_rows = sum(run.rows for run in runs)
        per_city = statistics.median(run.seconds for run in runs)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        pages = [
            ("city admin", "/console/dashboard/"),
            ("city admin, one district", f"/console/dashboard/?unit={world['district'].code}"),
            ("city admin, a period", "/console/dashboard/?date_from=2023-04-01&date_to=2023-04-10"),
            ("city admin, a segment", "/console/dashboard/?segment=focus%3Aelderly"),
            ("district officer", "/console/dashboard/"),
            ("station worker", "/console/dashboard/"),
            ("city admin, .xlsx", "/console/dashboard/export.xlsx"),
        ]
        if CITIES > 1:
            pages += [
                ("superuser, the nation", "/console/dashboard/"),
                ("superuser, nation, a period", "/console/dashboard/?date_from=2023-04-01"),
                ("superuser, one city", "/console/dashboard/?unit=900000"),
                ("superuser, nation .xlsx", "/console/dashboard/export.xlsx"),
            ]
        rows = []
        for role, url in pages:
            client = Client()
            client.force_login(world["users"][role.split()[0].rstrip(",")])
            client.get(url)  # warm: templates, connection
            median, best, queries = timed_get(client, url)
            rows.append((role, url, median, best, queries))

        print(f"\nbench_dashboard on PostgreSQL ({DBNAME}), {os.cpu_count()} CPUs")
        print(
            f"data: {STATIONS:,} stations in {DISTRICTS:,} districts of {CITIES} cities "
            f"(records divided by BENCH_FACTOR={FACTOR}), {ACTIVITIES:,} activities, "
            f"{HELP:,} help requests, {SCANS:,} QR scans, {ANSWERS:,} survey answers, "
            f"{MEDIA:,} media reports, {SUBMISSIONS:,} 投稿"
        )
        print(
            f"load: {loaded:.1f} s ("
            + ", ".join(f"{k} {v:.1f} s" for k, v in world["load"].items())
            + ")"
        )
        print(
            f"roll-up rebuild: {rebuild:.2f} s for {len(runs)} campaign(s) "
            f"(median {per_city:.2f} s each), {run_rows:,} unit-day rows"
        )
        print(f"{'dashboard':<28} {'median ms':>10} {'best ms':>9} {'queries':>8}  target")
        for role, _url, median, best, queries in rows:
            target = {"city admin": "< 300 ms", "superuser, the nation": "< 1 s"}.get(role, "")
            print(f"{role:<28} {median:>10.1f} {best:>9.1f} {queries:>8}  {target}")
    finally:
        if os.getenv("BENCH_KEEP") != "1":
            drop_database()


if __name__ == "__main__":
    main()
