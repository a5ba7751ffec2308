import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_district_officer_sees_own_stations_and_not_sibling(
    live_server, phone_page, district_officer, station, second_station, sibling_station, password
):
    page = phone_page
    page.goto(f"{live_server.url}/console/")

    # Not logged in: the console sends us to the Chinese login page.
    expect(page.get_by_role("heading", name="登录工作台")).to_be_visible()
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_test_id("user-unit")).to_have_text("秀英区民政局")

    page.locator("nav.menu summary").click()  # a phone: the menu is folded
    page.get_by_role("link", name="单位", exact=True).click()
    table = page.locator("table")
    expect(table).to_contain_text("秀英街道社工站")
    expect(table).to_contain_text("海秀街道社工站")
    expect(table).not_to_contain_text("中山街道社工站")

    response = page.goto(f"{live_server.url}/console/units/{sibling_station.code}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()

    page.goto(f"{live_server.url}/console/")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录工作台")).to_be_visible()
    page.goto(f"{live_server.url}/console/units/")
    expect(page.get_by_role("heading", name="登录工作台")).to_be_visible()
