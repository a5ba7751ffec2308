"""The drafted summary's figures, counted by hand on the fixture (conftest.EXPECTED), and the
same numbers in the page, the ledger links, the .xlsx annex and the .docx text."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import docx
import pytest
from openpyxl import load_workbook

from shegong.activities.models import Activity
from shegong.reports import services
from shegong.reports.summary_documents import export_summary, summary_for
from shegong.reports.summary_figures import summary_figures

from .conftest import EXPECTED, START, at

pytestmark = pytest.mark.django_db


def values(figures):
    return {figure["key"]: figure["value"] for figure in figures}


def test_summary_figures_equal_the_hand_count(world, district):
    assert values(summary_figures(district, world)) == EXPECTED


def test_a_station_counts_only_its_own_records(world, station):
    got = values(summary_figures(station, world))

    assert got["activities"] == 2
    assert got["participants"] == 40
    assert got["stations"] == 1
    assert got["media_reports"] == 0  # the report is the district's own
    assert got["help_received"] == 2


def test_the_page_shows_every_figure_and_links_activity_figures_to_the_filtered_ledger(
    world, district_officer, login
):
    client = login(district_officer)
    page = client.get(f"/console/summaries/{world.slug}/460105/").content.decode()

    for key, value in EXPECTED.items():
        row = re.search(rf'<tr data-key="{key}"[^>]*>(.*?)</tr>', page, re.S)
        assert row, key
        assert re.search(rf">{value}<", row[1]), (key, row[1])
    link = re.search(r'<tr data-key="kind_onsite"[^>]*>.*?href="([^"]+)"', page, re.S)[1]
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query == {"unit": ["460105"], "campaign": [world.slug], "kind": ["onsite"]}
    ledger = client.get(link.replace("&amp;", "&")).content.decode()
    assert "秀英街道关爱老人义诊" in ledger
    assert "秀英街道张贴服务海报" not in ledger  # a poster, not an on-site event
    assert "中山街道龙华专属活动" not in ledger


def test_the_ledger_link_of_the_activity_total_lists_exactly_the_counted_rows(
    world, district_officer, login
):
    client = login(district_officer)
    page = client.get(f"/console/summaries/{world.slug}/460105/").content.decode()
    link = re.search(r'<tr data-key="activities"[^>]*>.*?href="([^"]+)"', page, re.S)[1]
    ledger = client.get(link.replace("&amp;", "&")).content.decode()

    for title in ("秀英街道关爱老人义诊", "秀英街道张贴服务海报", "益播间秀英社工在身边"):
        assert title in ledger
    assert "秀英区不属于方案的活动" not in ledger
    assert "中山街道龙华专属活动" not in ledger


@pytest.mark.parametrize(
    ("key", "shown", "hidden"),
    [
        ("media_reports", "秀英社工见报", ["秀英四月报道", "龙华专属报道"]),
        ("submissions_adopted", "秀英稿件乙", ["秀英稿件丙", "龙华专属稿件"]),
        ("cases", "秀英独居老人守护案例", ["秀英草稿案例"]),
        ("five_social_partners", "秀英志愿服务队", ["秀英小学"]),
        ("qr_scans", "秀英公交站", ["龙华公交"]),
        ("help_in_time", "AAAA-1111", ["AAAA-2222", "BBBB-3333"]),
    ],
)
def test_other_figures_link_to_a_page_of_the_records_they_count(
    world, district_officer, login, key, shown, hidden
):
    client = login(district_officer)
    page = client.get(f"/console/summaries/{world.slug}/460105/records/{key}/").content.decode()

    assert shown in page
    for text in hidden:
        assert text not in page
    assert f"共 {EXPECTED[key] if key != 'qr_scans' else 1} 条" in page


def test_the_draft_is_written_in_plain_sentences_from_the_figures(world, district):
    summary = services.summary_draft(campaign=world, unit=district)

    assert summary.work.startswith("3月21日至31日，全区共开展宣传活动3场，其中现场活动1场")
    assert "参与群众40人次，参与志愿者5人次" in summary.work
    assert "2个社工站中，1个社工站的服务名录信息完整" in summary.work
    assert "收到群众求助2件，按时首次响应1件" in summary.work
    assert summary.methods.startswith("一是聚焦“一老一小”，开展“一老”主题活动1场")
    assert "2家“五社”伙伴参与（村（社区）、志愿服务队）" in summary.methods
    assert "“益播间秀英社工在身边”" in summary.highlights  # the featured activity
    assert "“秀英独居老人守护案例”" in summary.highlights
    assert "《秀英稿件乙》被海南民政采用" in summary.highlights
    assert "仍有1个社工站的服务名录信息不完整" in summary.problems
    assert "有1件群众求助未在时限内首次响应" in summary.problems
    assert summary.plans.startswith("一是")


def test_a_district_without_stations_gets_a_draft_that_says_nothing_of_stations(world, city):
    from tests.factories import district_unit

    lonely = district_unit(city, "460199", "无站区")
    summary = services.summary_draft(campaign=world, unit=lonely)

    assert values(summary_figures(lonely, world))["stations"] == 0
    assert "社工站中" not in summary.work
    assert "宣传活动0场" in summary.work


def test_figures_are_frozen_on_submit_and_the_page_shows_the_live_difference(
    world, district, district_officer, login
):
    summary = services.summary_save(actor=district_officer, campaign=world, unit=district)
    services.summary_submit(actor=district_officer, summary=summary, now=at(START))
    Activity.objects.create(
        unit=district, campaign=world, kind="onsite", title="报送后补录", participants=5,
        starts_at=at(START),
    )  # fmt: skip
    summary.refresh_from_db()

    assert values(summary.figures)["activities"] == 3
    page = login(district_officer).get(f"/console/summaries/{world.slug}/460105/").content.decode()
    row = re.search(r'<tr data-key="activities" class="changed">(.*?)</tr>', page, re.S)[1]
    assert ">3<" in row
    assert "现为 4" in row
    # The exported document reports what was submitted, not the ledger of today.
    workbook = load_workbook(
        io.BytesIO(export_summary(campaign=world.slug, unit="460105", fmt="xlsx"))
    )
    rows = {r[0]: r[1] for r in workbook["主要数据"].iter_rows(min_row=3, values_only=True)}
    assert rows["开展宣传活动（场）"] == 3


def test_the_xlsx_annex_and_the_docx_carry_the_same_figures(world, district):
    figures = summary_figures(district, world)
    labels = {figure["key"]: figure["label"] for figure in figures}
    workbook = load_workbook(
        io.BytesIO(export_summary(campaign=world.slug, unit="460105", fmt="xlsx"))
    )
    rows = {r[0]: r[1] for r in workbook["主要数据"].iter_rows(min_row=3, values_only=True)}
    document = docx.Document(
        io.BytesIO(export_summary(campaign=world.slug, unit="460105", fmt="docx"))
    )
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    (annex,) = document.tables
    cells = {row.cells[0].text: row.cells[1].text for row in annex.rows[1:]}

    for key, value in EXPECTED.items():
        assert rows[labels[key]] == value, key
        assert cells[labels[key]] == str(value), key
    assert "全区共开展宣传活动3场" in text
    # The contest's figures are counted ones (0 here: no call), not a "模块上线后" note.
    assert "征集活动模块上线后自动统计" not in [*rows.values(), *cells.values()]


def test_the_draft_in_the_document_is_the_units_saved_text(world, district, district_officer):
    services.summary_save(
        actor=district_officer, campaign=world, unit=district, highlights="一是秀英特色做法。"
    )
    document = docx.Document(
        io.BytesIO(export_summary(campaign=world.slug, unit="460105", fmt="docx"))
    )
    text = [paragraph.text for paragraph in document.paragraphs]

    assert "一是秀英特色做法。" in text
    assert summary_for(world, district).highlights == "一是秀英特色做法。"
