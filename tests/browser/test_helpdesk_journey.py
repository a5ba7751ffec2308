import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_asks_for_help_in_elder_mode_without_javascript_and_worker_closes_it(
    live_server, browser, phone_page, station, station_worker, sibling_station, password
):
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
    )
    citizen = context.new_page()

    # The citizen comes from the station's page (its link carries ?station=) in elder mode.
    citizen.goto(f"{live_server.url}/help/?elder=1&station={station.code}")
    expect(citizen.locator("html")).to_have_class("elder")
    expect(citizen.locator("body")).to_have_css("font-size", "22px")
    expect(citizen.get_by_role("heading", name="我要求助")).to_be_visible()
    expect(citizen.get_by_label("所在区和乡镇（街道）")).to_have_value(station.code)
    submit = citizen.get_by_role("button", name="提交求助")
    assert submit.bounding_box()["height"] >= 60
    assert citizen.get_by_label("联系电话").bounding_box()["height"] >= 60

    citizen.get_by_label("邻居").check()
    citizen.get_by_label("老年人").check()
    citizen.get_by_label("遇到了什么困难").fill("楼上陈阿婆八十多岁独居，最近没见她出门。")
    citizen.get_by_label("联系人称呼").fill("李先生")
    citizen.get_by_label("联系电话").fill("13800138000")
    citizen.get_by_label("我已阅读上面的隐私说明").check()
    submit.click()

    expect(citizen.get_by_role("heading", name="求助已收到")).to_be_visible()
    code = citizen.get_by_test_id("tracking-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    def track():
        citizen.goto(f"{live_server.url}/help/track/")
        citizen.get_by_label("查询码").fill(code)
        citizen.get_by_label("联系电话后四位").fill("8000")
        citizen.get_by_role("button", name="查询").click()
        return citizen.get_by_test_id("status")

    expect(track()).to_have_text("待受理")

    # The station worker accepts it, then closes it.
    worker = phone_page
    worker.goto(f"{live_server.url}/console/helpdesk/")
    worker.get_by_label("用户名").fill("worker")
    worker.get_by_label("密码").fill(password)
    worker.get_by_role("button", name="登录").click()
    expect(worker.locator("table")).to_contain_text("138****8000")
    expect(worker.locator("table")).not_to_contain_text("13800138000")
    worker.get_by_role("link", name=code).click()
    expect(worker.get_by_text("13800138000")).to_be_visible()

    # Each action the state allows is a button opening only its own fields.
    expect(worker.get_by_text("办结结果")).to_be_hidden()
    worker.locator("details.action > summary", has_text="受理").first.click()
    worker.locator("details[open]").get_by_label("处理说明").fill("已受理，社工明天上门探访。")
    worker.get_by_role("button", name="确认受理").click()
    expect(worker.get_by_test_id("status")).to_have_text("已受理")
    expect(worker.locator("details.action > summary", has_text="受理")).to_have_count(
        1
    )  # 不予受理 only

    worker.locator("details.action > summary", has_text="办结").click()
    worker.get_by_label("办结结果").fill("社工已上门，链接了社区助餐和每周探访。")
    worker.get_by_role("button", name="确认办结").click()
    expect(worker.get_by_test_id("status")).to_have_text("已办结")
    expect(worker.locator("details.action > summary")).to_have_text(["添加记录"])

    # The citizen sees it closed, with the public notes.
    expect(track()).to_have_text("已办结")
    expect(citizen.locator("main")).to_contain_text("社工明天上门探访")
    expect(citizen.locator("main")).to_contain_text("链接了社区助餐")
    context.close()
