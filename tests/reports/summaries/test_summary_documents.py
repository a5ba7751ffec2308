"""The summary and the city report as official documents (上行文, GB/T 9704-2012) and their
.xlsx annex, read back: python-docx, openpyxl, and LibreOffice's PDF through poppler."""

import datetime
import io
from urllib.parse import unquote

import docx
import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from shegong.activities.models import Activity
from shegong.reports import services
from shegong.reports.summary_documents import export_city_report, export_summary
from shegong.reports.summary_figures import summary_figures
from tests.campaigns import gbt9704
from tests.system_tools import needs_commands

from .conftest import DEADLINE, EXPECTED, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world, district, district_officer):
    services.reporting_duties_ensure(campaign=world)
    services.summary_save(
        actor=district_officer,
        campaign=world,
        unit=district,
        document_number="秀民报〔2023〕3号",
        signer="张三",
        contact_person="李四",
        contact_phone="68650000",
    )
    summary = services.summary_save(actor=district_officer, campaign=world, unit=district)
    return services.summary_submit(
        actor=district_officer, summary=summary, now=at(DEADLINE - datetime.timedelta(days=3))
    )


def _docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def _texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def test_summary_is_an_upward_report_with_number_left_and_signer_right(submitted):
    document = _docx(export_summary(campaign="haikou-2023", unit="460105", fmt="docx"))
    texts = _texts(document)
    header = next(p for p in document.paragraphs if p.text.startswith("秀民报"))

    assert texts[0] == "秀英区民政局文件"
    assert header.text == "秀民报〔2023〕3号\t签发人：张三"
    assert header.style.name == "发文字号"
    title = next(p for p in document.paragraphs if p.style.name == "公文标题")
    assert (
        title.text.replace("\n", "") == "秀英区民政局关于2023年社会工作主题宣传活动开展情况的报告"
    )
    assert "海口市民政局：" in texts  # 主送: the city it reports to
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、工作开展情况",
        "二、主要做法",
        "三、特色亮点",
        "四、存在问题",
        "五、下一步打算",
    ]
    assert "附件：主要数据统计表" in texts
    assert "附件" in texts  # the annex's own page
    assert "2023年4月7日" in texts  # 成文日期: the day it was submitted
    assert "（联系人：李四，联系电话：68650000）" in texts
    assert texts[-1].endswith("2023年4月7日印发")
    assert document.core_properties.author == "秀英区民政局"


def test_the_command_writes_what_the_console_button_downloads(
    submitted, district_officer, login, tmp_path
):
    client = login(district_officer)
    for fmt in ("docx", "xlsx"):
        path = tmp_path / f"summary.{fmt}"
        call_command(
            "export_document", "summary", campaign="haikou-2023", unit="460105",
            output=str(path), stdout=io.StringIO(),
        )  # fmt: skip
        button = client.get(f"/console/summaries/haikou-2023/460105/export.{fmt}")
        disposition = button["Content-Disposition"]
        assert disposition.startswith(f'attachment; filename="haikou-2023-summary-460105.{fmt}";')
        title = "秀英区民政局关于2023年社会工作主题宣传活动开展情况的报告"
        suffix = "（数据统计表）" if fmt == "xlsx" else ""
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{title}{suffix}.{fmt}"
        if fmt == "docx":
            assert _texts(_docx(path.read_bytes())) == _texts(_docx(button.content))
        else:

            def cells(data):
                return [
                    list(r)
                    for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
                ]

            assert cells(path.read_bytes()) == cells(button.content)


@needs_commands("libreoffice", "pdftotext", "pdfinfo", "pdffonts", "pdftoppm")
def test_summary_pdf_passes_the_notices_layout_checks(submitted, tmp_path):
    rendering = gbt9704.read(
        export_summary(campaign="haikou-2023", unit="460105", fmt="pdf"), tmp_path
    )

    gbt9704.check_layout(
        rendering,
        title="秀英区民政局关于2023年社会工作主题宣传活动开展情况的报告",
        issuer="秀英区民政局",
        date=datetime.date(2023, 4, 7),
        headings=(
            "一、工作开展情况",
            "二、主要做法",
            "三、特色亮点",
            "四、存在问题",
            "五、下一步打算",
        ),
    )
    # The 上行文 line: 发文字号 at the left edge (one character in), 签发人 at the right.
    _, header = next(
        (page, line) for page, line in rendering.lines if line.text.startswith("秀民报")
    )
    assert header.text.replace(" ", "") == "秀民报〔2023〕3号签发人：张三"
    assert abs(header.left - gbt9704.LEFT - gbt9704.CHAR) < 3
    assert abs(gbt9704.RIGHT - header.right - gbt9704.CHAR) < 3
    text = "".join(line.text for _, line in rendering.lines)
    assert "全区共开展宣传活动3场" in text


def test_city_report_adds_accepted_district_summaries_and_the_citys_own_work(
    world, city, district, sibling_district, sibling_officer, city_admin, submitted
):
    services.summary_accept(actor=city_admin, summary=submitted)
    # 龙华区 submitted but not accepted: its figures are not counted.
    other = services.summary_save(actor=sibling_officer, campaign=world, unit=sibling_district)
    services.summary_submit(actor=sibling_officer, summary=other, now=at(DEADLINE))
    Activity.objects.create(
        unit=city, campaign=world, kind="bus_ad", title="市局公交广告", participants=0,
        views=1000, starts_at=at(datetime.date(2023, 3, 23)),
    )  # fmt: skip
    services.reporting_plan_set(
        actor=city_admin,
        campaign=world,
        stations_report=False,
        stations_days_before=3,
        city_report_to="海南省民政厅",
    )
    # A change to 秀英区's ledger after acceptance does not reach the city report.
    Activity.objects.create(
        unit=district, campaign=world, kind="onsite", title="采用后补录", participants=500,
        starts_at=at(datetime.date(2023, 3, 23)),
    )  # fmt: skip

    book = load_workbook(io.BytesIO(export_city_report(campaign="haikou-2023", fmt="xlsx")))
    figures = {r[0]: r[1] for r in book["主要数据"].iter_rows(min_row=3, values_only=True)}
    table = [list(r) for r in book["各区情况"].iter_rows(values_only=True)]
    document = _docx(export_city_report(campaign="haikou-2023", fmt="docx"))
    text = "\n".join(_texts(document))
    figure_table, district_table = document.tables
    annex = {row.cells[0].text: row.cells[1].text for row in figure_table.rows[1:]}
    districts = {row.cells[0].text: [c.text for c in row.cells] for row in district_table.rows}

    assert figures["开展宣传活动（场）"] == EXPECTED["activities"] + 1
    assert figures["参与群众（人次）"] == EXPECTED["participants"]
    assert figures["线上浏览、观看、阅读（次）"] == EXPECTED["reach"] + 1000
    header = table[0]
    rows = {row[0]: row for row in table[1:]}
    column = header.index("宣传活动（场）")
    assert rows["秀英区民政局"][1] == "已采用"
    assert rows["秀英区民政局"][column] == 3
    assert rows["龙华区民政局"][1] == "已报送"
    assert rows["龙华区民政局"][column] is None
    assert rows["海口市民政局（市本级）"][column] == 1
    assert rows["合计"][column] == figures["开展宣传活动（场）"] == 4
    assert "海南省民政厅：" in text
    assert annex["开展宣传活动（场）"] == "4"
    assert districts["单位"][:3] == ["单位", "报送状态", "活动场次"]
    assert districts["龙华区民政局"][1:3] == ["已报送", "—"]
    assert districts["秀英区民政局"][1:3] == ["已采用", "3"]
    assert districts["海口市民政局（市本级）"][2] == "1"
    assert districts["合计"][2] == "4"
    assert _texts(document)[0] == "海口市民政局文件"


def test_city_report_downloads_for_the_city_only(submitted, city_admin, district_officer, login):
    city = login(city_admin).get("/console/summaries/haikou-2023/city-report/export.docx")
    officer = login(district_officer).get("/console/summaries/haikou-2023/city-report/export.docx")

    assert city["Content-Type"].endswith("wordprocessingml.document")
    assert "开展情况的报告" in "".join(_texts(_docx(city.content)))
    assert officer.status_code == 403


def test_export_document_names_what_is_wrong(world, tmp_path):
    from django.core.management.base import CommandError

    def run(**options):
        call_command("export_document", "summary", output=str(tmp_path / "a.docx"), **options)

    with pytest.raises(CommandError, match="没有标识为 nope 的宣传活动方案"):
        run(campaign="nope", unit="460105")
    with pytest.raises(CommandError, match="请用 --unit 指定单位代码"):
        run(campaign="haikou-2023")
    with pytest.raises(CommandError, match="没有代码为 999 的单位"):
        run(campaign="haikou-2023", unit="999")
    with pytest.raises(CommandError, match="市级报告请用 export_document city-report"):
        run(campaign="haikou-2023", unit="460100")


def test_summary_figures_in_the_annex_equal_the_figures_counted(submitted, district):
    book = load_workbook(
        io.BytesIO(export_summary(campaign="haikou-2023", unit="460105", fmt="xlsx"))
    )
    rows = {r[0]: r[1] for r in book["主要数据"].iter_rows(min_row=3, values_only=True)}

    for figure in summary_figures(district, submitted.campaign):
        assert rows[figure["label"]] == figure["value"]


@needs_commands("libreoffice", "pdftotext", "pdfinfo", "pdffonts", "pdftoppm")
def test_city_report_pdf_passes_the_layout_checks_with_its_district_table(
    submitted, city_admin, tmp_path
):
    from django.utils import timezone

    services.summary_accept(actor=city_admin, summary=submitted)
    rendering = gbt9704.read(export_city_report(campaign="haikou-2023", fmt="pdf"), tmp_path)

    gbt9704.check_layout(
        rendering,
        title="海口市民政局关于2023年社会工作主题宣传活动开展情况的报告",
        issuer="海口市民政局",
        date=timezone.localdate(),  # a draft is dated the day it is printed
        headings=(
            "一、工作开展情况",
            "二、主要做法",
            "三、特色亮点",
            "四、存在问题",
            "五、下一步打算",
        ),
    )
    lines = [line.text.replace(" ", "") for _, line in rendering.lines]
    assert "省民政厅：" in lines  # the plan's default addressee
    assert any(text.startswith("秀英区民政局已采用3") for text in lines)
    assert any(text.startswith("合计") for text in lines)


@needs_commands("libreoffice")
def test_summary_pdf_is_made_as_a_job_for_its_owner(
    submitted, district_officer, sibling_officer, login, settings, tmp_path
):
    from shegong.jobs.models import Job
    from tests.jobs.helpers import run_queued_jobs

    settings.MEDIA_ROOT = tmp_path
    client = login(district_officer)
    url = "/console/summaries/haikou-2023/460105/export.pdf"
    assert "生成 PDF" in client.get(url).content.decode()  # a GET writes nothing
    assert not Job.objects.exists()

    response = client.post(url)
    [job] = run_queued_jobs()

    assert response["Location"] == f"/console/jobs/{job.pk}/"
    assert job.state == Job.State.DONE, job.message
    assert job.result_name == "haikou-2023-summary-460105.pdf"
    pdf = b"".join(client.get(f"/console/jobs/{job.pk}/download/").streaming_content)
    assert pdf.startswith(b"%PDF")
    assert login(sibling_officer).get(f"/console/jobs/{job.pk}/download/").status_code == 404
