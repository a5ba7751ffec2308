"""Each role's daily path from 工作台, on a phone and on a desktop, without a dead end (issue
#16): the home's figures lead to lists that agree with them, a record's page offers the next
action its state allows, and the grouped menu reaches the role's other pages (folded behind one
菜单 button on a phone, never scrolling sideways; open on a desktop). Demo data, demo accounts."""

import re

import pytest
from playwright.sync_api import expect

from shegong.helpdesk.services import helprequest_submit
from shegong.orgs.models import Unit
from tests.site_walk import seed_demo_with_staff

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "shegong-demo-2023"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo_with_staff("city.admin", "district.460105", "station.460105001.1", "judge.1")


def _page(browser, size):
    context = browser.new_context(locale="zh-CN", **size)
    return context.new_page()


def _sign_in(page, base: str, username: str):
    page.goto(f"{base}/accounts/login/?next=/console/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()


def _fits(page):
    """Nothing scrolls sideways: the page is no wider than the screen."""
    width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, f"{page.url} scrolls sideways by {width}px"


def _menu(page, label: str):
    """Go to a menu entry as a person would: on a phone, open the 菜单 first."""
    summary = page.locator("nav.menu summary")
    link = page.locator("nav.menu").get_by_role("link", name=label, exact=True)
    if summary.is_visible():
        expect(link).to_be_hidden()  # folded: the page starts with its content
        summary.click()
    expect(link).to_be_visible()
    _fits(page)
    link.click()
    expect(page.locator("nav.menu")).to_be_visible()
    _fits(page)


def _menu_entries(page) -> list[str]:
    return page.locator("nav.menu a").all_text_contents()


def _waiting(page, label: str) -> int:
    item = page.locator("ul.waiting li", has_text=label)
    count = int(item.locator("strong").inner_text())
    item.get_by_role("link").click()
    expect(page.get_by_test_id("list-total")).to_have_text(str(count))
    return count


def _header_names_person_and_unit_once(page, unit: str):
    header = page.locator("header.topbar").inner_text()
    assert header.count(unit) == 1, header


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_city_admin_reviews_a_districts_activity_and_reads_the_figures(
    live_server, browser, demo, size
):
    page = _page(browser, size)
    _sign_in(page, live_server.url, "city.admin")
    _header_names_person_and_unit_once(page, "海口市民政局")
    assert _menu_entries(page)[0] == "工作台"
    _fits(page)

    assert _waiting(page, "待审核的活动") > 0
    page.locator("table tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_test_id("activity-status")).to_have_text("待审核")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("activity-status")).to_have_text("已通过")
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)

    _menu(page, "数据看板")
    expect(page.get_by_role("heading", name="数据看板")).to_be_visible()
    _menu(page, "总结报送")
    expect(page.get_by_role("heading", name="总结报送")).to_be_visible()
    _menu(page, "审计日志")
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    _menu(page, "工作台")
    page.context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_district_officer_returns_a_stations_activity_and_opens_a_request(
    live_server, browser, demo, size
):
    page = _page(browser, size)
    _sign_in(page, live_server.url, "district.460105")
    _header_names_person_and_unit_once(page, "秀英区民政局")
    _fits(page)

    assert _waiting(page, "待审核的活动") > 0
    page.locator("table tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_label("退回意见")).to_be_hidden()
    page.get_by_text("退回修改").click()
    page.get_by_label("退回意见").fill("请补充活动照片。")
    page.get_by_role("button", name="确认退回").click()
    expect(page.get_by_test_id("activity-status")).to_have_text("已退回")

    _menu(page, "求助")
    expect(page.get_by_role("heading", name="求助", exact=True)).to_be_visible()
    page.locator("table tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_test_id("status")).to_be_visible()
    _fits(page)
    _menu(page, "总结报送")
    expect(page.get_by_role("heading", name="总结报送")).to_be_visible()
    _menu(page, "活动方案")
    expect(page.get_by_role("heading", name="宣传活动方案")).to_be_visible()
    page.context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_station_worker_accepts_a_request_then_records_activities(live_server, browser, demo, size):
    request = helprequest_submit(
        for_whom="neighbour",
        category="elderly",
        description="楼上独居老人最近没见出门。",
        area=Unit.objects.get(code="460105001"),
        contact_name="李先生",
        phone="13800138000",
        ip="10.9.8.7",
    )
    page = _page(browser, size)
    _sign_in(page, live_server.url, "station.460105001.1")
    _header_names_person_and_unit_once(page, "秀英街道社工站")
    assert "单位" not in _menu_entries(page)  # a station's unit list is itself
    _fits(page)

    assert _waiting(page, "待受理的求助") > 0
    page.get_by_role("link", name=request.display_code).click()
    actions = page.locator("details.action > summary")
    expect(actions).to_have_text(["受理", "不予受理", "转介", "添加记录"])
    actions.first.click()
    page.locator("details[open]").get_by_label("处理说明").fill("已受理，明天上门。")
    page.get_by_role("button", name="确认受理").click()
    expect(page.get_by_test_id("status")).to_have_text("已受理")
    expect(actions).to_have_text(["开始处理", "办结", "不予受理", "转介", "添加记录"])
    _fits(page)

    _menu(page, "活动台账")
    expect(page.get_by_role("heading", name="活动台账")).to_be_visible()
    _menu(page, "社工站名录")
    expect(page.get_by_role("heading", name="社工站名录")).to_be_visible()
    _menu(page, "工作台")
    page.context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_judge_goes_from_the_home_to_the_review_queue_and_nowhere_wrong(
    live_server, browser, demo, size
):
    page = _page(browser, size)
    _sign_in(page, live_server.url, "judge.1")
    assert _menu_entries(page) == ["工作台", "作品评审"]
    expect(page.locator("main")).not_to_contain_text("管辖范围")
    _fits(page)

    page.get_by_role("link", name="进入作品评审").click()
    expect(page.get_by_role("heading", name="作品评审")).to_be_visible()
    _fits(page)

    # A staff page typed in by hand says what it is for and leads back.
    page.goto(f"{live_server.url}/console/activities/")
    expect(page.get_by_test_id("refusal")).to_contain_text("评委账号不能打开")
    expect(page.locator("main")).not_to_contain_text(re.compile("可以查看这项内容"))
    page.get_by_role("link", name="返回工作台").click()
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    page.context.close()
