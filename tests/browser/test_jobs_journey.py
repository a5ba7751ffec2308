"""A district officer exports the ledger as a job: the bar moves, then the file downloads;
with JavaScript (htmx polling) and without it (the page refreshes itself)."""

import pytest
from django.test import override_settings
from openpyxl import load_workbook
from playwright.sync_api import expect

from shegong.jobs.models import Job
from shegong.jobs.services import Progress, job_execute
from tests.activities.conftest import make_activity

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, password):
    page.goto(f"{live_server.url}/console/")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
@override_settings(LEDGER_EXPORT_SYNC_ROWS=1)
def test_officer_watches_the_export_and_downloads_it(
    live_server, browser, district_officer, station, sibling_station, password, javascript
):
    for i in range(4):
        make_activity(station, title=f"秀英导出活动{i}")
    make_activity(sibling_station, title="龙华不应导出")
    context = browser.new_context(locale="zh-CN", java_script_enabled=javascript)
    page = context.new_page()
    _sign_in(page, live_server, password)

    page.goto(f"{live_server.url}/console/activities/")
    page.get_by_role("button", name="导出当前筛选结果").click()
    expect(page.get_by_role("heading", name="导出活动台账")).to_be_visible()
    expect(page.get_by_test_id("job-state")).to_have_text("排队中")

    # The worker's first steps, as its export reports them: the bar follows without a click.
    job = Job.objects.get(owner=district_officer)
    progress = Progress(job)
    progress.total(4)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    progress.advance(2)
    expect(page.get_by_test_id("job-rows")).to_have_text("2 / 4 行", timeout=10_000)
    expect(page.get_by_test_id("job-bar")).to_have_attribute("value", "50")

    job_execute(job_id=job.pk)  # then the worker runs it through
    link = page.get_by_test_id("job-download")
    expect(link).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("job-state")).to_have_text("已完成")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "activities.xlsx"
    with open(download.value.path(), "rb") as saved:
        sheet = load_workbook(saved).active
        titles = sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert titles == [f"秀英导出活动{i}" for i in range(4)]
    context.close()
