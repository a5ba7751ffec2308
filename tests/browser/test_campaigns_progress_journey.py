import datetime

import pytest
from playwright.sync_api import expect

from shegong.campaigns.models import TaskProgress
from shegong.campaigns.services import task_create
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def district_task(city, station, second_station, sibling_station):
    campaign = CampaignFactory(
        slug="test-2023",
        starts_on=datetime.date(2023, 3, 21),
        ends_on=datetime.date(2023, 3, 31),
        summary_deadline=datetime.date(2023, 4, 10),
        issuer=city,
        recipients="各区民政局",
    )
    for level, title in (("district", "因地制宜开展特色宣传活动"), ("station", "张贴服务清单")):
        task_create(
            actor=None, campaign=campaign, level=level, title=title, due_on=campaign.ends_on
        )
    return campaign.tasks.get(level="district")


def test_district_officer_updates_own_progress_in_place(
    live_server, phone_page, district_officer, district_task, password
):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.locator("nav.menu summary").click()  # a phone: the menu is folded
    page.get_by_role("link", name="活动方案").click()
    page.get_by_role("link", name="进度矩阵").click()
    # htmx binds the filters once the page has loaded; a change before that would be lost.
    page.wait_for_load_state("load")
    matrix = page.get_by_test_id("progress-matrix")
    expect(matrix).to_contain_text("秀英区民政局")
    expect(matrix).not_to_contain_text("龙华区民政局")

    # Stations of the district are visible but read-only; the sibling district's are absent.
    page.get_by_label("层级").select_option("station")
    expect(matrix).to_contain_text("海秀街道社工站")
    expect(matrix).not_to_contain_text("中山街道社工站")
    expect(matrix.get_by_role("link", name="未开始", exact=True)).to_have_count(0)
    matrix.get_by_role("link", name="未开始（只读）").first.click()
    expect(page.locator("#editor")).to_contain_text("由秀英街道社工站自行更新。")

    page.get_by_label("层级").select_option("district")
    # Wait for the htmx swap to finish before clicking into the new rows.
    expect(matrix).not_to_contain_text("海秀街道社工站")
    expect(matrix).to_contain_text("完成率 0%")
    url_before = page.url
    matrix.get_by_role("link", name="未开始", exact=True).click()
    editor = page.locator("#editor")
    editor.get_by_label("状态").select_option("done")
    editor.get_by_label("进展说明").fill("在万绿园开展现场宣传")
    editor.get_by_role("button", name="保存进度").click()

    expect(page.get_by_role("status")).to_contain_text("进度已保存")
    expect(matrix.get_by_role("link", name="已完成", exact=True)).to_be_visible()
    expect(matrix).to_contain_text("完成率 100%")
    assert page.url == url_before or "level=district" in page.url  # updated in place
    row = TaskProgress.objects.get(task=district_task, unit=district_officer.unit)
    assert row.status == "done"
    assert row.note == "在万绿园开展现场宣传"


def test_progress_saved_from_its_own_page_with_the_real_completion_date(
    live_server, phone_page, district_officer, district_task, password
):
    """Opened in a new tab or from a bookmark, the progress page is a plain form that saves;
    a task finished on time in 2023 and entered today is not shown late."""
    row = TaskProgress.objects.get(task=district_task, unit=district_officer.unit)
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/console/campaigns/test-2023/progress/{row.pk}/")
    page.get_by_label("状态").select_option("done")
    page.get_by_label("进展说明").fill("在万绿园开展现场宣传")
    page.get_by_label("完成日期").fill("2023-03-28")
    page.get_by_role("button", name="保存进度").click()

    expect(page.get_by_role("status")).to_contain_text("进度已保存")
    matrix = page.get_by_test_id("progress-matrix")
    expect(matrix.get_by_role("link", name="已完成", exact=True)).to_be_visible()
    expect(matrix).to_contain_text("3/28")
    expect(matrix).not_to_contain_text("逾期")
    row.refresh_from_db()
    assert row.status == "done"
    assert row.done_on == datetime.date(2023, 3, 28)
    assert row.on_time


def test_long_form_errors_are_summarised_at_the_top_and_focused(
    live_server, phone_page, city_admin, district_task, password
):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("city")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/console/campaigns/test-2023/tasks/new/")
    page.get_by_label("完成期限").fill("")
    page.get_by_label("交付成果").fill("台账" * 200)
    page.get_by_role("button", name="下达").click()

    summary = page.get_by_role("alert").filter(has_text="处需要修改")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # a phone's reader and keyboard start at the summary
    expect(summary).to_contain_text("任务：请填写任务名称。")
    expect(summary).to_contain_text("完成期限：请填写完成期限。")
    box = summary.bounding_box()
    assert box is not None
    assert box["y"] < 844  # on the first screen, not under the fields
    summary.get_by_role("link", name="任务：请填写任务名称。").click()
    expect(page.locator("#id_title")).to_be_focused()  # the link took the clerk to the box


def test_station_matrix_summary_line_is_on_the_first_screen_of_a_desktop(
    live_server, browser, city_admin, district, district_task, password
):
    from tests.factories import station_unit

    for n in range(40):
        station_unit(district, f"460105{200 + n:03d}", f"测试{n}街道")
    district_task.campaign.tasks.get(level="station").delete()
    task_create(
        actor=None,
        campaign=district_task.campaign,
        level="station",
        title="张贴服务清单",
        due_on=district_task.due_on,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("city")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/console/campaigns/test-2023/matrix/?level=station")
    caption = page.locator(".matrix caption")
    expect(caption).to_contain_text("个单位")
    # Where the text itself is drawn (the caption's box is as wide as the table).
    left, right, table_width = page.evaluate(
        """() => { const c = document.querySelector('.matrix caption');
        const r = document.createRange(); r.selectNodeContents(c);
        const box = r.getBoundingClientRect();
        return [box.left, box.right, document.querySelector('.matrix').scrollWidth]; }"""
    )
    context.close()
    assert table_width > 1280  # the table does overflow the screen
    assert left >= 0
    assert right <= 1280


def test_notice_downloads_under_its_chinese_name(
    live_server, phone_page, station_worker, district_task, password
):
    campaign = district_task.campaign
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("worker")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/console/campaigns/{campaign.slug}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载印发通知（.docx）").click()

    assert download.value.suggested_filename == f"{campaign.name}.docx"


def test_city_issues_a_task_to_chosen_stations_then_moves_its_due_date(
    live_server, phone_page, city_admin, station, station_worker, district_task, password
):
    from shegong.accounts.models import Notification
    from shegong.campaigns.models import Task

    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("city")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/console/campaigns/test-2023/tasks/new/")
    page.get_by_label("下达到").select_option("station")
    page.locator("#id_title").fill("进医院张贴服务清单")
    page.get_by_label("完成期限").fill("2023-03-30")
    page.get_by_label(station.name).check()
    page.get_by_role("button", name="下达").click()
    expect(page.get_by_role("status")).to_contain_text("已下达到 1 个单位")

    page.get_by_role("link", name="修改或撤回“进医院张贴服务清单”").click()
    page.get_by_label("完成期限").fill("2023-03-29")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_role("status")).to_contain_text("已通知承担的单位")

    task = Task.objects.get(title="进医院张贴服务清单")
    assert list(task.progress.values_list("unit", flat=True)) == [station.pk]
    assert task.due_on == datetime.date(2023, 3, 29)
    assert (
        not Notification.objects.exclude(recipient__unit=station)
        .filter(message__contains="进医院张贴服务清单")
        .exists()
    )
