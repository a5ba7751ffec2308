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
