"""The summary's journey (issue 11): a district officer opens the drafted summary, edits a
section, attaches the 台账 and submits; the city admin returns it with a comment; the officer
resubmits; the city accepts it and downloads the city report."""

import datetime

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.activities.models import Activity
from shegong.reports.models import Summary
from shegong.reports.services import reporting_duties_ensure
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campaign(city, district, sibling_district, station):
    campaign = CampaignFactory(
        slug="haikou-2023",
        name="海口市2023年社会工作主题宣传活动方案",
        starts_on=datetime.date(2023, 3, 21),
        ends_on=datetime.date(2023, 3, 31),
        summary_deadline=datetime.date(2023, 4, 10),
        issuer=city,
        document_number="海民发〔2023〕79号",
    )
    for unit, title, people in (
        (station, "秀英街道关爱老人义诊", 30),
        (district, "秀英区直播", 12),
    ):
        Activity.objects.create(
            unit=unit,
            campaign=campaign,
            kind="onsite",
            title=title,
            participants=people,
            starts_at=timezone.make_aware(datetime.datetime(2023, 3, 22, 9)),  # noqa: DTZ001
            status="approved",
        )
    reporting_duties_ensure(campaign=campaign)
    return campaign


def _login(browser, live_server, username, password):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    return context, page


def test_summary_submitted_returned_resubmitted_accepted_and_city_report_downloaded(
    live_server, browser, campaign, district_officer, city_admin, password
):
    officer_context, officer = _login(browser, live_server, "officer", password)
    # The console home says what is due, and leads to the drafted summary.
    officer.get_by_role("link", name="待报送的工作总结（4月10日截止").click()
    expect(officer.get_by_role("heading", name="秀英区民政局工作总结")).to_be_visible()
    work = officer.get_by_label("一、工作开展情况")
    expect(work).to_have_value(
        "3月21日至31日，全区共开展宣传活动2场，其中现场活动2场；参与群众42人次，"
        "参与志愿者0人次，线上浏览、观看、阅读0次。"
        "面向社会公众的活动0场，面向服务对象的活动0场，面向从业人员的活动0场。"
        "刊发媒体报道0篇，投稿被采用0篇。全区1个社工站中，0个社工站的服务名录信息完整"
        "并在近90天内核实，宣传二维码累计扫码0次。活动期间收到群众求助0件，按时首次响应0件。"
    )
    officer.get_by_label("三、特色亮点").fill("一是义诊进社区，群众反响好。")
    officer.get_by_role("button", name="保存").click()
    expect(officer.get_by_role("status")).to_contain_text("总结已保存。")
    officer.get_by_role("button", name="附上本期活动台账（.xlsx）").click()
    expect(
        officer.get_by_role(
            "link", name="秀英区民政局海口市2023年社会工作主题宣传活动方案活动台账.xlsx"
        )
    ).to_be_visible()
    officer.get_by_test_id("submit-summary").click()
    expect(officer.get_by_test_id("summary-status")).to_have_text("已报送")

    city_context, city = _login(browser, live_server, "city", password)
    city.get_by_role("link", name="待审核的工作总结").click()
    expect(city.get_by_test_id("rate")).to_contain_text("已报1（50%）")
    city.get_by_role("link", name="秀英区民政局").click()
    expect(city.get_by_text("一是义诊进社区，群众反响好。")).to_be_visible()
    city.get_by_text("退回修改").click()  # opens only the 修改意见 field
    city.get_by_label("修改意见").fill("请补充存在问题的具体情况。")
    city.get_by_role("button", name="确认退回").click()
    expect(city.get_by_test_id("summary-status")).to_have_text("已退回")

    officer.goto(f"{live_server.url}/console/")
    officer.get_by_role("link", name="被退回待修改的工作总结").click()
    expect(officer.get_by_test_id("review-comment")).to_have_text("请补充存在问题的具体情况。")
    officer.get_by_label("四、存在问题").fill("一是两个社区的宣传覆盖不足，已制定补救计划。")
    officer.get_by_role("button", name="保存").click()
    officer.get_by_test_id("submit-summary").click()
    expect(officer.get_by_test_id("summary-status")).to_have_text("已报送")

    city.reload()
    city.get_by_role("button", name="采用").click()
    expect(city.get_by_test_id("summary-status")).to_have_text("已采用")
    assert Summary.objects.get(unit__code="460105").status == "accepted"

    city.get_by_role("link", name="← 总结报送").click()
    city.get_by_role("link", name="市级总结报告").click()
    expect(city.get_by_test_id("district-table")).to_contain_text("秀英区民政局")
    with city.expect_download() as download:
        city.get_by_role("link", name="下载报告（.docx）").click()
    report = docx.Document(str(download.value.path()))
    text = "\n".join(paragraph.text for paragraph in report.paragraphs)
    assert "海口市民政局关于2023年社会工作主题宣传活动开展情况的报告" in text.replace("\n", "")
    table = {row.cells[0].text: [c.text for c in row.cells] for row in report.tables[1].rows}
    assert table["秀英区民政局"][1:3] == ["已采用", "2"]
    assert table["龙华区民政局"][1:3] == ["未报送", "—"]
    officer_context.close()
    city_context.close()
