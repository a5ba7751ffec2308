import pytest
from playwright.sync_api import expect

from tests.directory.conftest import make_listing

pytestmark = pytest.mark.django_db(transaction=True)


def test_station_worker_updates_listing_and_citizen_sees_it(
    live_server, phone_page, station_worker, station, password
):
    make_listing(station)
    page = phone_page
    page.goto(f"{live_server.url}/console/")
    page.get_by_label("用户名").fill("worker")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()

    page.locator("nav.menu summary").click()  # a phone: the menu is folded
    page.get_by_role("link", name="社工站名录", exact=True).click()
    page.get_by_role("link", name="秀英街道社工站").click()
    page.get_by_label("联系电话").fill("0898-66668888")
    page.locator("#id_staff-1-name").fill("陈小芳")
    page.locator("#id_staff-1-role").fill("驻站社工")
    page.get_by_role("button", name="保存并确认核实").click()
    expect(page.get_by_text("名录已保存，公众页面已更新。")).to_be_visible()

    page.goto(f"{live_server.url}/stations/460105001/")
    expect(page.get_by_role("link", name="拨打电话 0898-66668888")).to_be_visible()
    expect(page.locator(".staff")).to_contain_text("陈小芳 · 驻站社工 · 助理社会工作师")


def test_listing_phone_without_area_code_is_refused_before_the_public_dials_it(
    live_server, phone_page, station_worker, station, password
):
    make_listing(station)
    page = phone_page
    page.goto(f"{live_server.url}/console/")
    page.get_by_label("用户名").fill("worker")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{live_server.url}/console/directory/stations/460105001/")
    page.get_by_label("联系电话").fill("6010500")
    page.get_by_role("button", name="保存并确认核实").click()

    expect(page.locator("#id_phone_error")).to_contain_text("座机号码“6010500”缺少区号")
    expect(page.get_by_role("link", name="联系电话：座机号码“6010500”缺少区号")).to_be_visible()
    expect(page.get_by_label("联系电话")).to_have_value("6010500")  # kept as typed
    page.goto(f"{live_server.url}/stations/460105001/")
    expect(page.locator('a[href="tel:6010500"]')).to_have_count(0)
