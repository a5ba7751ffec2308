import datetime
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from shegong.accounts.models import Notification
from shegong.activities.models import Activity
from shegong.jobs.models import Job
from shegong.jobs.services import Progress, job_execute, job_start
from tests.activities.conftest import make_activity

from .helpers import run_queued_jobs


def _start_export(client, query=None) -> Job:
    response = client.post("/console/activities/export.xlsx", query or {})
    assert response.status_code == 302
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert response["Location"] == f"/console/jobs/{job.pk}/"
    return job


@override_settings(LEDGER_EXPORT_SYNC_ROWS=1)
def test_large_export_runs_as_a_job_and_downloads_only_for_its_owner(
    login, district_officer, sibling_officer, station_worker, station, sibling_station
):
    make_activity(station, title="秀英海报")
    make_activity(station, title="秀英直播", kind="live_stream")
    make_activity(sibling_station, title="龙华海报")
    client = login(district_officer)

    # A GET (a bookmarked link) writes nothing: it offers to start the job.
    page = client.get("/console/activities/export.xlsx").content.decode()
    assert "开始导出" in page
    assert not Job.objects.exists()
    job = _start_export(client)
    page = client.get(f"/console/jobs/{job.pk}/").content.decode()
    assert "排队中" in page
    assert 'http-equiv="refresh"' in page  # without JavaScript the page refreshes itself
    assert client.get(f"/console/jobs/{job.pk}/download/").status_code == 404  # not yet

    [job] = run_queued_jobs()

    assert job.state == Job.State.DONE
    assert (job.rows_done, job.rows_total) == (2, 2)
    page = client.get(f"/console/jobs/{job.pk}/").content.decode()
    assert "共导出 2 条活动" in page
    assert 'http-equiv="refresh"' not in page
    response = client.get(f"/console/jobs/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sorted(r[2] for r in sheet.iter_rows(min_row=2, values_only=True)) == [
        "秀英海报",
        "秀英直播",
    ]
    for other in (sibling_officer, station_worker):
        assert login(other).get(f"/console/jobs/{job.pk}/download/").status_code == 404
        assert login(other).get(f"/console/jobs/{job.pk}/").status_code == 404
    [note] = Notification.objects.filter(recipient=district_officer)
    assert note.url == f"/console/jobs/{job.pk}/"
    assert "导出活动台账" in note.message


@override_settings(LEDGER_EXPORT_SYNC_ROWS=1)
def test_htmx_asks_for_the_progress_part_until_the_job_is_done(login, district_officer, station):
    make_activity(station)
    make_activity(station)
    client = login(district_officer)
    job = _start_export(client)

    part = client.get(f"/console/jobs/{job.pk}/", headers={"HX-Request": "true"}).content
    assert b'hx-trigger="every 1s"' in part
    assert b"<html" not in part
    run_queued_jobs()
    part = client.get(f"/console/jobs/{job.pk}/", headers={"HX-Request": "true"}).content
    assert b"hx-trigger" not in part
    assert b"/download/" in part


def test_progress_advances_as_rows_are_done(district_officer):
    job = Job.objects.create(kind="activities.ledger_export", title="t", owner=district_officer)
    progress = Progress(job)

    progress.total(10_000)
    progress.advance(2_500)
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total, job.percent) == (2_500, 10_000, 25)


@override_settings(LEDGER_EXPORT_SYNC_ROWS=1)
def test_a_failed_job_says_why_and_can_be_retried(login, district_officer, station, settings):
    make_activity(station)
    make_activity(station)
    client = login(district_officer)
    job = _start_export(client)
    kept = settings.STORAGES
    settings.STORAGES = {
        **kept,
        "default": {"BACKEND": "tests.jobs.broken_storage.BrokenStorage"},
    }
    [job] = run_queued_jobs()

    assert job.state == Job.State.FAILED
    page = client.get(f"/console/jobs/{job.pk}/").content.decode()
    assert "处理时出错" in page
    assert "重试" in page
    assert "未完成" in Notification.objects.get(recipient=district_officer).message

    settings.STORAGES = kept
    response = client.post(f"/console/jobs/{job.pk}/retry/")
    assert response["Location"] == f"/console/jobs/{job.pk}/"
    [job] = run_queued_jobs()
    assert job.state == Job.State.DONE
    assert job.attempts == 2
    assert client.post(f"/console/jobs/{job.pk}/retry/", follow=True).status_code == 200
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE  # a done job is not run again


def test_jobs_list_shows_only_ones_own(login, district_officer, sibling_officer):
    Job.objects.create(kind="activities.ledger_export", title="我的导出", owner=district_officer)
    Job.objects.create(kind="activities.ledger_export", title="别人的导出", owner=sibling_officer)

    page = login(district_officer).get("/console/jobs/").content.decode()

    assert "我的导出" in page
    assert "别人的导出" not in page


@override_settings(LEDGER_EXPORT_SYNC_ROWS=1)
def test_expired_jobs_are_deleted_with_their_files_by_the_periodic_run(
    login, district_officer, station
):
    make_activity(station)
    make_activity(station)
    job = _start_export(login(district_officer))
    [job] = run_queued_jobs()
    storage, name = job.result.storage, job.result.name
    assert storage.exists(name)

    out = StringIO()
    soon = timezone.now() + datetime.timedelta(days=1)
    call_command("run_periodic", "--now", soon.isoformat(), stdout=out)
    assert Job.objects.filter(pk=job.pk).exists()
    later = timezone.now() + datetime.timedelta(days=8)
    call_command("run_periodic", "--now", later.isoformat(), stdout=out)

    assert "expired jobs deleted with their files: 1" in out.getvalue()
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not storage.exists(name)


def test_export_over_the_sheet_limit_spills_to_further_sheets(district_officer, station):
    for i in range(7):
        make_activity(station, title=f"活动{i:02d}")
    job = job_start(
        owner=district_officer,
        kind="activities.ledger_export",
        title="导出活动台账",
        params={"query": "", "rows_per_sheet": 3},
    )

    job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert "共 3 个工作表" in job.message
    book = load_workbook(job.result.open("rb"))
    assert book.sheetnames == ["活动台账", "活动台账 (2)", "活动台账 (3)"]
    titles = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("单位代码", "活动形式", "活动名称")  # each sheet has the header
        titles += [r[2] for r in rows[1:]]
    assert sorted(titles) == [f"活动{i:02d}" for i in range(7)]


@pytest.mark.django_db(transaction=True)
@override_settings(LEDGER_EXPORT_SYNC_ROWS=0)
def test_the_task_worker_runs_the_job(login, district_officer, station):
    make_activity(station, title="工人导出")
    job = _start_export(login(district_officer))

    call_command("db_worker", "--batch", verbosity=0)

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert Activity.objects.count() == 1


@override_settings(LEDGER_EXPORT_SYNC_ROWS=1)
def test_export_job_keeps_the_filter_on_screen(login, district_officer, station):
    make_activity(station, title="秀英海报一", kind="poster")
    make_activity(station, title="秀英海报二", kind="poster")
    make_activity(station, title="秀英直播", kind="live_stream")
    client = login(district_officer)
    page = client.get("/console/activities/?kind=poster").content.decode()
    assert '<input type="hidden" name="kind" value="poster">' in page

    _start_export(client, {"kind": "poster"})
    [job] = run_queued_jobs()

    sheet = load_workbook(job.result.open("rb")).active
    titles = sorted(r[2] for r in sheet.iter_rows(min_row=2, values_only=True))
    assert titles == ["秀英海报一", "秀英海报二"]


def test_small_export_is_written_at_once(login, district_officer, station):
    make_activity(station, title="秀英海报")

    response = login(district_officer).post("/console/activities/export.xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()


def test_export_progress_counts_every_activity_once(district_officer, station, monkeypatch):
    from shegong.activities import excel

    monkeypatch.setattr(excel, "CHUNK_ROWS", 3)  # chunks of 3 over 6 activities: exact multiples
    for i in range(6):
        make_activity(station, title=f"活动{i}")
    job = job_start(
        owner=district_officer, kind="activities.ledger_export", title="导出", params={}
    )

    job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert (job.rows_done, job.rows_total) == (6, 6)
    assert "共导出 6 条活动" in job.message
