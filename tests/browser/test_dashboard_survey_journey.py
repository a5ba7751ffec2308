"""A citizen answers the awareness survey on a phone; the city admin sees the answer on the
dashboard, filters by district and downloads the .xlsx; a district officer sees only their
district. axe-core finds no WCAG 2.1 AA violation on the survey or the dashboard."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from shegong.campaigns.models import KpiTarget
from shegong.survey.services import survey_create
from tests.browser.test_helpdesk_a11y import axe_violations
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def survey(city):
    today = datetime.date.today()  # noqa: DTZ011 — the server's day is what counts; dates only
    campaign = CampaignFactory(
        slug="campaign-now",
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5),
        summary_deadline=today + datetime.timedelta(days=15),
        issuer=city,
        document_number="海民发〔2026〕1号",
    )
    KpiTarget.objects.create(campaign=campaign, kind="awareness_rate", target=60)
    return survey_create(
        actor=None,
        campaign=campaign,
        slug="awareness",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )


def _login(page, url, username, password):
    page.goto(f"{url}/console/dashboard/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="数据看板")).to_be_visible()


def test_citizen_answers_and_the_dashboards_show_it(
    live_server,
    phone_page,
    browser,
    survey,
    station,
    sibling_station,
    city_admin,
    district_officer,
    password,
):
    page = phone_page
    for elder in (0, 1):
        page.goto(f"{live_server.url}/survey/awareness/?elder={elder}")
        assert axe_violations(page, elder=bool(elder)) == [], f"survey elder={elder}"

    # A citizen on a phone, elder mode on, answers.
    page.get_by_label("知道", exact=True).check()
    page.locator("input[name=knows_station][value=yes]").check()
    page.locator("input[name=used_service][value=no]").check()
    page.get_by_label("公交车身广告").check()
    page.get_by_label("您住在哪个区、哪个乡镇（街道）？").select_option(station.code)
    page.get_by_label("60 岁及以上").check()
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_role("heading", name="感谢参与调查")).to_be_visible()

    # The city admin's dashboard, on a phone.
    admin = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = admin.new_page()
    _login(page, live_server.url, "city", password)
    awareness = page.locator("#awareness-title").locator("..")
    expect(awareness).to_contain_text("活动期间 1 份，知晓率 100.0%")
    kpi = page.locator(".kpis li", has_text="社会工作知晓率")
    expect(kpi).to_contain_text("100")
    expect(kpi).to_contain_text("完成 167%")
    expect(page.locator("table.dash").first).to_contain_text("龙华区民政局")
    assert axe_violations(page, elder=False) == [], "dashboard"

    # Filter by district: the table lists its stations.
    page.get_by_label("单位", exact=True).select_option(station.parent.code)
    page.get_by_role("button", name="筛选").click()
    table = page.locator("table.dash").first
    expect(table).to_contain_text("秀英街道社工站")
    expect(table).not_to_contain_text("龙华区民政局")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel（.xlsx）").click()
    book = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    rows = list(book["分单位"].iter_rows(values_only=True))
    assert rows[0][0] == "单位"
    names = [row[0] for row in rows[1:]]
    assert "秀英街道社工站" in names
    assert "中山街道社工站" not in names
    survey_sheet = {row[0]: row for row in book["知晓度"].iter_rows(values_only=True)}
    assert survey_sheet["秀英街道社工站"][3:] == (1, 100.0)

    # The segment filters: the survey's age groups (the answer was 60+), kept with the
    # district; the page still fits the phone.
    page.get_by_label("答卷年龄段").select_option("18_34")
    page.get_by_role("button", name="筛选").click()
    awareness = page.locator("#awareness-title").locator("..")
    expect(awareness).to_contain_text("活动期间 0 份")
    expect(page.locator("table.dash").first).to_contain_text("秀英街道社工站")
    page.get_by_label("答卷年龄段").select_option("60_plus")
    page.get_by_label("活动人群").select_option("focus:elderly")
    page.get_by_role("button", name="筛选").click()
    expect(awareness).to_contain_text("活动期间 1 份，知晓率 100.0%")
    expect(page.locator("main")).to_contain_text("仅一老")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel（.xlsx）").click()
    book = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    ages = [row[0] for row in book["知晓度"].iter_rows(values_only=True)]
    assert "60 岁及以上" in ages
    assert "18–34 岁" not in ages
    admin.close()

    # The district officer of 秀英区 sees their district and its stations, not 龙华区.
    officer = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = officer.new_page()
    _login(page, live_server.url, "officer", password)
    expect(page.locator("main")).to_contain_text("范围：秀英区民政局")
    expect(page.locator("table.dash").first).to_contain_text("秀英街道社工站")
    expect(page.locator("main")).not_to_contain_text("中山街道")
    officer.close()


def test_superuser_nation_dashboard_on_a_phone(live_server, phone_page, survey, station, password):
    from shegong.accounts.models import User
    from tests.factories import UserFactory, city_unit, district_unit

    district_unit(city_unit("460200", "三亚市民政局"), "460202", "海棠区")
    UserFactory(username="root", role=User.Role.CITY_ADMIN, is_superuser=True)
    page = phone_page
    _login(page, live_server.url, "root", password)
    expect(page.locator("main")).to_contain_text("范围：全国（各城市）")
    table = page.locator("table.dash").first
    expect(table).to_contain_text("三亚市民政局")
    assert axe_violations(page, elder=False) == [], "nation dashboard"

    page.get_by_role("link", name="海口市民政局").click()
    expect(page.locator("main")).to_contain_text("范围：全市")
    expect(page.locator("table.dash").first).to_contain_text("秀英区民政局")
    expect(page.locator("table.dash").first).not_to_contain_text("海棠区")
