"""Defects found in review: each test names what a user did and what went wrong."""

import datetime
import io
import subprocess

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from docx import Document

from shegong.campaigns.documents import notice_docx, plan_sections
from shegong.campaigns.models import Campaign, TaskProgress
from shegong.campaigns.officedoc import PdfUnavailable, docx_to_pdf
from shegong.campaigns.services import campaign_clone, document_number_error
from tests.campaigns.test_views import VALID
from tests.factories import station_unit
from tests.system_tools import needs_commands


def test_task_new_twice_prints_two_paragraphs(login, city_admin, campaign, district):
    client = login(city_admin)
    for title, text in (("走进校园", "开展社工进校园活动。"), ("走进医院", "开展社工进医院活动。")):
        response = client.post(
            f"/console/campaigns/{campaign.slug}/tasks/new/",
            {"level": "district", "title": title, "text": text, "due_on": "2023-03-31"},
        )
        assert response.status_code == 302

    arrangement = dict(plan_sections(campaign))["活动安排"]
    paragraphs = [block[1] for block in arrangement if block[0] == "p"]
    assert paragraphs == ["开展社工进校园活动。", "开展社工进医院活动。"]


def test_clone_of_a_campaign_ending_in_year_9999_is_refused_not_a_crash(
    login, city_admin, campaign
):
    client = login(city_admin)
    data = VALID | {"ends_on": "9999-12-01", "summary_deadline": "9999-12-31"}
    assert client.post(f"/console/campaigns/{campaign.slug}/edit/", data).status_code == 302

    response = client.post(
        f"/console/campaigns/{campaign.slug}/clone/", {"year": "2024", "slug": "test-2024"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "原方案的日期（9999-12-31）顺延后超出日历范围" in content
    assert 'value="test-2024"' in content
    assert not Campaign.objects.filter(slug="test-2024").exists()


def test_campaign_edit_control_characters_do_not_break_the_notice(login, city_admin, campaign):
    client = login(city_admin)
    data = VALID | {"goals": "提升社会工作\x0b知晓度。\x1f", "notice_body": "第一段\x0c"}
    assert client.post(f"/console/campaigns/{campaign.slug}/edit/", data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.goals == "提升社会工作知晓度。"

    for url in (
        f"/console/campaigns/{campaign.slug}/notice.docx",
        f"/docs/{campaign.slug}/notice.docx",
    ):
        response = client.get(url)
        assert response.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert "提升社会工作知晓度。" in text
        assert "第一段" in text


def test_notice_with_control_characters_saved_elsewhere_still_downloads(
    login, city_admin, campaign
):
    """Data written by the admin or an import does not pass our forms."""
    Campaign.objects.filter(pk=campaign.pk).update(theme="关爱\x08一老一小")

    response = login(city_admin).get(f"/console/campaigns/{campaign.slug}/notice.docx")

    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "关爱一老一小" in text


def test_current_campaign_stays_the_issued_one_after_cloning(city_admin, haikou):
    clone = campaign_clone(actor=city_admin, source=haikou, year=2024, slug="haikou-2024")

    assert clone.document_number == ""
    assert Campaign.objects.current() == haikou


def test_export_document_to_a_folder_is_a_plain_error(campaign, tmp_path):
    folder = tmp_path / "notice.docx"
    folder.mkdir()

    with pytest.raises(CommandError, match="无法写入"):
        call_command(
            "export_document", "notice", "--campaign", campaign.slug, "--output", str(folder)
        )


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("海民发〔2023〕0号", "序号从 1 编起"),
        ("海民发〔２０２３〕７９号", "用半角阿拉伯数字"),
    ],
)
def test_document_number_error_names_serial_zero_and_full_width_digits(number, message):
    assert message in document_number_error(number)


def test_periodic_gives_a_station_added_mid_campaign_its_progress(
    login, city_admin, district, station_task
):
    campaign = station_task.campaign
    new_station = station_unit(district, "460105009", "新设街道")
    now = datetime.datetime(2023, 3, 25, 9, tzinfo=datetime.UTC)

    report = apps.get_app_config("campaigns").periodic(now)

    assert TaskProgress.objects.filter(task=station_task, unit=new_station).exists()
    assert "1" in report
    content = login(city_admin).get(f"/console/campaigns/{campaign.slug}/matrix/?level=station")
    assert 'data-unit="460105009"' in content.content.decode()


def test_periodic_leaves_finished_campaigns_alone(district, station_task):
    new_station = station_unit(district, "460105009", "新设街道")
    now = datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC)

    apps.get_app_config("campaigns").periodic(now)

    assert not TaskProgress.objects.filter(unit=new_station).exists()


def test_task_new_double_submission_assigns_the_task_once(login, city_admin, campaign, district):
    client = login(city_admin)
    data = {"level": "district", "title": "走进校园", "text": "", "due_on": "2023-03-31"}
    assert client.post(f"/console/campaigns/{campaign.slug}/tasks/new/", data).status_code == 302

    response = client.post(f"/console/campaigns/{campaign.slug}/tasks/new/", data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "各区已有任务“走进校园”，请勿重复下达。" in content
    assert 'value="走进校园"' in content
    assert campaign.tasks.filter(title="走进校园").count() == 1


@needs_commands("libreoffice", "pdftotext")
def test_public_pdf_of_an_undated_notice_follows_the_docx_date(
    anonymous, haikou, settings, tmp_path, monkeypatch
):
    """Without a 成文日期 the document is dated the day it is made: a PDF cached yesterday
    must not be served with yesterday's date next to today's .docx."""
    settings.MEDIA_ROOT = tmp_path
    Campaign.objects.filter(pk=haikou.pk).update(signed_on=None, printed_on=None)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2023, 3, 6))
    anonymous.get("/docs/haikou-2023/notice.pdf")
    yesterdays = list((tmp_path / "documents").glob("*.pdf"))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2023, 3, 7))

    pdf = anonymous.get("/docs/haikou-2023/notice.pdf").content

    todays = list((tmp_path / "documents").glob("*.pdf"))
    assert len(todays) == 1
    assert todays != yesterdays  # rendered anew; yesterday's file removed
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "2023年3月7日" in text.replace(" ", "")


def test_matrix_unknown_level_falls_back_to_the_users_own(
    login, district_officer, district_task, station_task
):
    content = (
        login(district_officer)
        .get("/console/campaigns/test-2023/matrix/?level=zzz&status=nonsense")
        .content.decode()
    )

    assert '<option value="district" selected>' in content
    assert "秀英区民政局" in content
    assert "秀英街道社工站" not in content  # station rows are not mixed in


def test_campaign_detail_kpi_progress_of_the_whole_city_is_not_shown_to_a_district(
    login, city_admin, sibling_officer, campaign, district_task
):
    """The 已完成的任务进度 figure counts every district's rows: a sibling district's
    progress, hidden in the matrix, must not be readable from it."""
    login(city_admin).post(f"/console/campaigns/{campaign.slug}/kpis/", {"tasks_done": "2"})
    row = TaskProgress.objects.get(task=district_task, unit__code="460105")
    row.status = TaskProgress.Status.DONE
    row.save()

    officer = login(sibling_officer).get(f"/console/campaigns/{campaign.slug}/").content.decode()
    admin = login(city_admin).get(f"/console/campaigns/{campaign.slug}/").content.decode()

    assert '<tr data-kind="tasks_done">' in officer
    assert "50%" not in officer
    assert "全市完成情况由市局汇总" in officer
    assert "50%" in admin


def test_kpi_edit_refuses_an_awareness_rate_above_100(login, city_admin, campaign):
    response = login(city_admin).post(
        f"/console/campaigns/{campaign.slug}/kpis/", {"awareness_rate": "150", "activities": "80"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "“社会工作知晓率（%）”的目标值不能超过 100。" in content
    assert 'value="150"' in content
    assert 'value="80"' in content
    assert not campaign.kpi_targets.exists()


def test_kpi_edit_negative_awareness_rate_is_a_message_not_a_crash(login, city_admin, campaign):
    response = login(city_admin).post(
        f"/console/campaigns/{campaign.slug}/kpis/", {"awareness_rate": "-5"}
    )

    assert response.status_code == 200
    assert "“社会工作知晓率（%）”的目标值不能为负数。" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "“社会工作知晓率（%）”的目标值请填写数字。"),
        ("1.234", "“社会工作知晓率（%）”的目标值最多保留两位小数。"),
        ("9" * 13, "“社会工作知晓率（%）”的目标值太大了。"),
    ],
)
def test_kpi_edit_awareness_rate_messages_read_right(login, city_admin, campaign, value, message):
    response = login(city_admin).post(
        f"/console/campaigns/{campaign.slug}/kpis/", {"awareness_rate": value}
    )

    assert response.status_code == 200
    assert message in response.content.decode()


def test_kpi_counts_are_whole_numbers(login, city_admin, campaign):
    client = login(city_admin)
    url = f"/console/campaigns/{campaign.slug}/kpis/"
    client.post(url, {"activities": "120", "awareness_rate": "85.5"})

    form = client.get(url).content.decode()
    detail = client.get(f"/console/campaigns/{campaign.slug}/").content.decode()
    refused = client.post(url, {"participants": "120.5"}).content.decode()

    assert 'name="activities" value="120"' in form
    assert "120.00" not in form
    assert 'name="awareness_rate" value="85.5"' in form
    assert '<tr data-kind="activities">' in detail
    assert "120.00" not in detail
    assert "E+" not in detail  # Decimal.normalize() wrote 120 as 1.2E+2
    assert "<td>120</td>" in detail
    assert "“参与人数（人次）”是个数，目标值请填写整数。" in refused


@needs_commands("libreoffice")
def test_pdf_rendering_that_hangs_is_reported_as_unavailable(haikou):
    with pytest.raises(PdfUnavailable, match="LibreOffice"):
        docx_to_pdf(notice_docx(haikou), timeout=0.01)
