"""The audit log as a city clerk reads it: sentences, an action chosen from a list, links."""

import pytest
from playwright.sync_api import expect

from shegong.core.audit import audit_record
from shegong.helpdesk.services import helprequest_accept, helprequest_submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_city_reads_who_did_what_and_opens_the_record(
    live_server, phone_page, city_admin, district_officer, station, password
):
    request = helprequest_submit(
        for_whom="self",
        category="elderly",
        description="母亲独居，需要上门探访",
        area=station,
        contact_name="李女士",
        phone="13800138000",
    )
    helprequest_accept(actor=district_officer, request=request, note="已电话联系")
    audit_record(actor=city_admin, action="unit.update", target=station, scope_path=station.path)
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("city")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/console/audit/")
    page.get_by_label("操作").select_option(label="受理")
    page.get_by_role("button", name="筛选").click()

    rows = page.locator("table.audit tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"受理了求助「求助 {request.display_code}」")
    expect(rows.first).to_contain_text("状态：待受理 → 已受理")
    expect(page.locator("table.audit")).not_to_contain_text("helprequest.accepted")
    rows.first.get_by_role("link", name=f"「求助 {request.display_code}」").click()
    expect(page).to_have_url(f"{live_server.url}/console/helpdesk/{request.code}/")
