"""Console pages, the ledger export and the import at a city's scale, on PostgreSQL.

Fills a database of its own exactly as ``bench_dashboard.py`` does (1,000 stations, 1,000,000
activities, 100,000 help requests …) plus 200,000 audit entries, and prints one table: each
console page's server time (Django's test client: view, queries, template; no network), the
ledger export as a job (rows/s, peak memory of the process), and a 10,000-row import as a job.
Drops the database at the end (BENCH_KEEP=1 keeps it).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shegong_console \\
        .venv/bin/python bench/bench_console.py
    BENCH_ACTIVITIES=100000 …   (smaller runs, as for bench_dashboard.py)

The database named in DATABASE_URL is dropped and created again: never point it at real data.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shegong_console")

import bench_dashboard as filled

AUDIT = int(os.getenv("BENCH_AUDIT", "200000"))
IMPORT_ROWS = int(os.getenv("BENCH_IMPORT_ROWS", "10000"))


def add_audit(world) -> float:
    from django.db import connection

    from shegong.core.models import AuditEntry

    district = world["district"]
    with connection.cursor() as cursor:
        seconds = filled.insert_series(
            AuditEntry, AUDIT,
            {
                "at": "now() - g * interval '1 minute'", "action": "'activity.update'",
                "target_id": "g::text", "target_repr": "'活动' || g", "changes": "'{}'::jsonb",
                "scope_path": f"CASE WHEN g % 20 = 0 THEN '{district.path}' ELSE '990000/' END",
            },
            cursor,
        )  # fmt: skip
        cursor.execute("ANALYZE core_auditentry")
    return seconds


def export_job(user) -> tuple[float, int, int]:
    """The city-wide ledger export as the worker runs it: seconds, rows, peak RSS (MB)."""
    from shegong.jobs.models import Job
    from shegong.jobs.services import job_execute, job_start

    job = job_start(
        owner=user, kind="activities.ledger_export", title="导出活动台账", params={"query": ""}
    )
    started = time.perf_counter()
    job_execute(job_id=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    job.result.delete()
    return seconds, job.rows_done, peak


def import_job(user) -> float:
    from bench_activities_import import build
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shegong.jobs.models import Job
    from shegong.jobs.services import job_execute, job_start
    from shegong.orgs.models import Unit

    codes = list(Unit.objects.stations().values_list("code", flat=True)[:50])
    data = build(IMPORT_ROWS, codes)
    started = time.perf_counter()
    job = job_start(
        owner=user,
        kind="activities.ledger_import",
        title="导入活动台账",
        params={"campaign": None, "needs_source": True},
        source=SimpleUploadedFile("bench.xlsx", data),
    )
    job_execute(job_id=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == Job.State.DONE, (job.message, job.report.get("errors", [])[:3])
    return seconds


def main() -> None:
    filled.recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    try:
        started = time.perf_counter()
        world = filled.load()
        audit = add_audit(world)
        loaded = time.perf_counter() - started
        from shegong.reports.dashboard_rollups import rollup_rebuild

        rollup_rebuild(campaign=world["campaign"])
        from django.db import connection

        # What autovacuum does within a minute of a bulk load: the visibility map lets the KPI
        # counts read their index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE activities_activity")
        slug = world["campaign"].slug
        from shegong.activities.models import Activity
        from shegong.core.keyset import cursor_of

        # Page 1,000 of the city's 台账, reached as the "next page" links reach it.
        last = Activity.objects.order_by("-starts_at", "-id").values_list("starts_at", "id")
        page_1000 = cursor_of(*last[999 * 50 - 1])
        pages = [
            ("console home", "city", "/console/"),
            ("console home", "district", "/console/"),
            ("ledger, page 1", "city", "/console/activities/"),
            ("ledger, page 1000", "city", f"/console/activities/?after={page_1000}"),
            ("ledger, page 1", "district", "/console/activities/"),
            ("budget report", "city", "/console/activities/budget/"),
            ("campaign page (KPIs)", "city", f"/console/campaigns/{slug}/"),
            ("progress matrix", "city", f"/console/campaigns/{slug}/matrix/"),
            ("help queue", "city", "/console/helpdesk/"),
            ("help queue", "district", "/console/helpdesk/"),
            ("audit log", "city", "/console/audit/"),
            ("audit log", "district", "/console/audit/"),
        ]
        only = os.getenv("BENCH_PAGES")
        rows = []
        for name, role, url in pages:
            if only and only not in name:
                continue
            client = Client()
            client.force_login(world["users"][role])
            client.get(url)  # warm: templates, connection
            median, best, queries = filled.timed_get(client, url)
            rows.append((f"{name} ({role})", median, best, queries))
        export = export_job(world["users"]["city"]) if not only else None
        imported = import_job(world["users"]["city"]) if not only else None

        print(f"\nbench_console on PostgreSQL ({filled.DBNAME}), {os.cpu_count()} CPUs")
        print(
            f"data: {filled.STATIONS:,} stations, {filled.ACTIVITIES:,} activities, "
            f"{filled.HELP:,} help requests, {AUDIT:,} audit entries; loaded in {loaded:.0f} s "
            f"(audit {audit:.1f} s)"
        )
        print(f"{'page':<34} {'median ms':>10} {'best ms':>9} {'queries':>8}  target")
        for name, median, best, queries in rows:
            print(f"{name:<34} {median:>10.1f} {best:>9.1f} {queries:>8}  < 300 ms")
        if export:
            seconds, count, peak = export
            print(
                f"ledger export job (city): {count:,} rows in {seconds:.1f} s = "
                f"{count / seconds:,.0f} rows/s, peak RSS {peak} MB"
            )
        if imported:
            print(f"ledger import job: {IMPORT_ROWS:,} rows in {imported:.1f} s  (< 20 s)")
        from figures import report as figure  # bench/figures.py: `make bench`'s table

        for name, median, _best, _queries in rows:
            figure(name, median, "ms", target="< 300 ms at 1M activities", ok=median < 300)
        if export:
            seconds, count, peak = export
            figure("ledger export job", count / seconds, "rows/s", target="", ok=None)
            figure("ledger export job, peak RSS", peak, "MB", target="constant", ok=None)
        if imported:
            figure(
                f"ledger import job, {IMPORT_ROWS:,} rows",
                imported,
                "s",
                target="< 20 s for 10,000 rows",
                ok=imported < 20 if IMPORT_ROWS == 10_000 else None,
            )
    finally:
        if os.getenv("BENCH_KEEP") != "1":
            filled.drop_database()


if __name__ == "__main__":
    main()
