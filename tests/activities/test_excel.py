import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from shegong.activities.excel import COLUMNS, ledger_import
from shegong.activities.models import Activity
from shegong.core.models import AuditEntry
from shegong.jobs.models import Job
from tests.jobs.helpers import run_queued_jobs

from .conftest import make_activity

HEADERS = [header for header, *_ in COLUMNS]


def workbook(rows, headers=HEADERS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def row(unit="460105001", kind="现场活动", title="社区宣传", when="2023-03-21 09:30", **extra):
    values = {
        "活动地点": "秀英社区",
        "受众": "社会公众、服务对象",
        "宣传重点": "一老、五社联动",
        "参与人数": 120,
        "计划预算（元）": 500,
        "实际支出（元）": 450.5,
        **extra,
    }
    return [unit, kind, title, when] + [values.get(h) for h in HEADERS[4:]]


def import_through_page(client, data: bytes) -> str:
    """Upload on the import page, let the worker run the job, read the job's page."""
    response = client.post(
        "/console/activities/import/", {"file": SimpleUploadedFile("t.xlsx", data)}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/console/jobs/")
    run_queued_jobs()
    return client.get(response["Location"]).content.decode()


def test_template_download_has_the_columns_and_notes(login, station_worker):
    response = login(station_worker).get("/console/activities/template.xlsx")

    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["活动台账"][1]] == HEADERS
    assert book["填写说明"]["A2"].value == "单位代码"


def test_import_creates_draft_activities_with_parsed_values(station_worker, station, campaign):
    report = ledger_import(
        actor=station_worker,
        source=workbook([row(), row(kind="进医院", when=datetime.datetime(2023, 3, 22, 14, 0))]),  # noqa: DTZ001
        campaign=campaign,
    )

    assert report.ok
    assert report.created == 2
    first = Activity.objects.get(kind="onsite")
    assert first.status == Activity.Status.DRAFT
    assert first.campaign == campaign
    assert first.audience_labels == ["社会公众", "服务对象"]
    assert first.focus_labels == ["一老", "五社联动"]
    assert str(first.spend_actual) == "450.50"
    assert AuditEntry.objects.filter(action="activity.import").count() == 1


def test_import_with_errors_writes_nothing_and_reports_each_cell(
    station_worker, station, sibling_station
):
    rows = [
        row(),
        row(unit="", title=""),
        row(unit=sibling_station.code),
        row(kind="舞龙舞狮"),
        row(when="下周二"),
        row(**{"参与人数": -5, "实际支出（元）": "很多"}),
        row(**{"受众": "游客"}),
    ]

    report = ledger_import(actor=station_worker, source=workbook(rows))

    assert not report.ok
    assert Activity.objects.count() == 0
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "单位代码"),
        (3, "活动名称"),
        (4, "单位代码"),
        (5, "活动形式"),
        (6, "活动时间"),
        (7, "参与人数"),
        (7, "实际支出（元）"),
        (8, "受众"),
    }
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert "不在您的管理范围内" in reasons[(4, "单位代码")]
    assert "无法识别“舞龙舞狮”" in reasons[(5, "活动形式")]
    assert reasons[(7, "参与人数")] == "不能为负数。"


def test_district_officer_imports_for_their_stations(district_officer, station, second_station):
    report = ledger_import(
        actor=district_officer, source=workbook([row(), row(unit=second_station.code)])
    )

    assert report.created == 2


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (io.BytesIO(b"this is not a spreadsheet"), "无法读取该文件"),
        (workbook([row()], headers=["名称", "时间"]), "表头缺少这些列：单位代码、活动形式"),
        (workbook([]), "文件中没有数据行"),
    ],
)
def test_import_refuses_unreadable_files(station_worker, source, message):
    with pytest.raises(ValidationError, match=message):
        ledger_import(actor=station_worker, source=source)


def test_import_page_lists_errors_in_chinese(login, station_worker, station):
    content = import_through_page(
        login(station_worker), workbook([row(kind="舞龙舞狮")]).getvalue()
    )

    assert "未导入" in content
    assert "活动形式" in content
    assert "无法识别“舞龙舞狮”" in content
    assert not Activity.objects.exists()


def test_import_page_success_redirects_to_the_ledger(login, station_worker, station):
    content = import_through_page(
        login(station_worker), workbook([row(title="导入的活动")]).getvalue()
    )

    assert "已导入 1 条活动" in content
    assert "/console/activities/?status=draft" in content
    assert Activity.objects.get().title == "导入的活动"


def test_export_follows_the_filter_and_scope(login, district_officer, station, sibling_station):
    make_activity(station, title="秀英海报", kind="poster")
    make_activity(station, title="秀英直播", kind="live_stream")
    make_activity(sibling_station, title="龙华海报", kind="poster")

    response = login(district_officer).get("/console/activities/export.xlsx?kind=poster")

    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["秀英海报"]


def test_exported_file_imports_back(login, station_worker, station):
    make_activity(station, title="可往返的活动", focus_tags=",elderly,")
    exported = login(station_worker).get("/console/activities/export.xlsx").content

    report = ledger_import(actor=station_worker, source=io.BytesIO(exported))

    assert report.created == 1
    assert Activity.objects.filter(title="可往返的活动", focus_tags=",elderly,").count() == 2


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999"])
def test_import_reports_non_numbers_in_number_cells(station_worker, station, value):
    report = ledger_import(
        actor=station_worker,
        source=workbook([row(**{"参与人数": value, "实际支出（元）": value})]),
    )

    columns = {error.column for error in report.errors}
    assert columns == {"参与人数", "实际支出（元）"}
    assert not Activity.objects.exists()


def _rewritten(member: str, content: bytes) -> io.BytesIO:
    """A real workbook with one part replaced."""
    original = zipfile.ZipFile(workbook([row()]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in original.infolist():
            data = content if info.filename == member else original.read(info.filename)
            target.writestr(info.filename, data)
    out.seek(0)
    return out


@pytest.mark.parametrize(
    "source",
    [
        _rewritten("xl/workbook.xml", b"<workbook"),
        _rewritten("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
        _rewritten("[Content_Types].xml", b"\x00\x01"),
    ],
    ids=["workbook-xml", "sheet-xml", "content-types"],
)
def test_import_refuses_a_corrupt_workbook_with_a_message(station_worker, station, source):
    with pytest.raises(ValidationError, match="无法读取该文件"):
        ledger_import(actor=station_worker, source=source)
    assert not Activity.objects.exists()


def test_import_refuses_a_workbook_that_unpacks_too_large(station_worker, station):
    sheet = b"<worksheet>" + b" " * 3_000_000 + b"</worksheet>"

    with pytest.raises(ValidationError, match="解压后过大"):
        ledger_import(
            actor=station_worker,
            source=_rewritten("xl/worksheets/sheet1.xml", sheet),
            max_unpacked_bytes=2_000_000,
        )


def test_import_ignores_far_away_cells_and_blank_rows(station_worker, station):
    # How fast such a sheet is read: bench/bench_activities_import.py.
    source = workbook([row(title="真实的一行")])
    book = load_workbook(source)
    book.active.cell(row=300_000, column=16_000, value="x")  # the sheet claims XFD300000
    out = io.BytesIO()
    book.save(out)
    out.seek(0)

    report = ledger_import(actor=station_worker, source=out)

    assert (report.created, report.rows, report.errors) == (1, 1, [])
    assert Activity.objects.get().title == "真实的一行"


def test_import_refuses_more_rows_than_the_limit(station_worker, station):
    rows = [row(title=f"活动{i}") for i in range(4)]

    with pytest.raises(ValidationError, match="一次最多导入 3 行"):
        ledger_import(actor=station_worker, source=workbook(rows), max_rows=3)
    assert not Activity.objects.exists()


def test_import_page_refuses_an_oversized_file(login, station_worker, station):
    upload = SimpleUploadedFile("big.xlsx", b"PK" + b"\x00" * (11 * 1024 * 1024))

    response = login(station_worker).post("/console/activities/import/", {"file": upload})

    assert response.status_code == 200
    assert "文件太大" in response.content.decode()
    assert not Activity.objects.exists()


def test_import_page_lists_the_first_errors_and_counts_the_rest(login, station_worker, station):
    rows = [row(kind="舞龙舞狮", title=f"活动{i}") for i in range(600)]

    content = import_through_page(login(station_worker), workbook(rows).getvalue())

    assert "发现 600 处错误" in content
    assert content.count("无法识别“舞龙舞狮”") == 500
    assert "还有 100 处错误未列出" in content
    assert not Activity.objects.exists()


def test_export_writes_formula_like_text_as_text(login, district_officer, station):
    title = '=HYPERLINK("http://example.invalid/steal","点击查看")'
    make_activity(station, title=title, place="+86 社区", outcome="@SUM(A1:A9)")

    response = login(district_officer).get("/console/activities/export.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell.data_type for cell in sheet[2]}
    assert cells[title] == "s"
    assert cells["+86 社区"] == "s"
    assert cells["@SUM(A1:A9)"] == "s"


@pytest.mark.parametrize("when", ["0001-01-01 00:00", "1899-12-31", "9999-12-31 23:59"])
def test_import_reports_times_out_of_range(station_worker, station, when):
    report = ledger_import(actor=station_worker, source=workbook([row(when=when)]))

    assert [(e.row, e.column) for e in report.errors] == [(2, "活动时间")]
    assert "2000 年至 2099 年" in report.errors[0].reason
    assert not Activity.objects.exists()


def test_import_refuses_what_the_model_refuses_in_the_cells_column(station_worker, station):
    too_long = "长" * 201

    report = ledger_import(
        actor=station_worker, source=workbook([row(title=too_long), row(活动地点=too_long)])
    )

    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert set(reasons) == {(2, "活动名称"), (3, "活动地点")}
    assert "200" in reasons[(2, "活动名称")]
    assert "201" in reasons[(2, "活动名称")]
    assert not Activity.objects.exists()


def test_the_same_file_imported_twice_in_a_row_is_refused(station_worker, station):
    data = workbook([row(title="导入一次")]).getvalue()
    ledger_import(actor=station_worker, source=io.BytesIO(data))

    with pytest.raises(ValidationError, match="这份文件刚刚已经导入过"):
        ledger_import(actor=station_worker, source=io.BytesIO(data))

    assert Activity.objects.count() == 1
    later = timezone.now() + datetime.timedelta(minutes=11)
    ledger_import(actor=station_worker, source=io.BytesIO(data), now=later)
    assert Activity.objects.count() == 2


def test_import_skips_rows_the_same_person_just_recorded(login, station_worker, station):
    client = login(station_worker)
    client.post(
        "/console/activities/new/",
        {"kind": "poster", "title": "刚登记的活动", "starts_at": "2023-03-21T09:30"},
    )
    data = workbook([row(title="刚登记的活动", kind="张贴海报"), row(title="新的一行")])

    content = import_through_page(client, data.getvalue())

    assert "已导入 1 条活动（草稿）。1 行与您刚刚登记的活动相同，未重复导入。" in content
    assert Activity.objects.filter(title="刚登记的活动").count() == 1
    assert Activity.objects.filter(title="新的一行").count() == 1


def test_double_click_on_import_creates_the_rows_once(login, station_worker, station):
    data = workbook([row(title="双击导入")]).getvalue()
    client = login(station_worker)

    client.post("/console/activities/import/", {"file": SimpleUploadedFile("t.xlsx", data)})
    content = import_through_page(client, data)

    assert "这份文件刚刚已经导入过" in content
    assert Activity.objects.count() == 1


def test_import_page_refuses_a_file_that_is_no_workbook_at_once(login, station_worker, station):
    upload = SimpleUploadedFile("photo.xlsx", b"\xff\xd8\xff\xe0 not a workbook")

    response = login(station_worker).post("/console/activities/import/", {"file": upload})

    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()
    assert not Job.objects.exists()


def test_export_lists_each_activity_once_with_all_its_partners(login, district_officer, station):
    from shegong.orgs.models import Partner

    first = Partner.objects.create(unit=station, name="乙社会组织", kind="social_org")
    second = Partner.objects.create(unit=station, name="甲慈善基金", kind="charity")
    make_activity(station, title="两个伙伴的活动").partners.set([first, second])
    make_activity(station, title="没有伙伴的活动")

    response = login(district_officer).get("/console/activities/export.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[2]: r[19] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert sheet.max_row == 3
    assert rows == {"两个伙伴的活动": "乙社会组织、甲慈善基金", "没有伙伴的活动": None}
