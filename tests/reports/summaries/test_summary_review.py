"""Submitted → accepted | returned with comments → resubmitted: each step audited, notified,
and allowed only to the right people."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from shegong.accounts.models import Notification
from shegong.core.models import AuditEntry
from shegong.reports import services
from shegong.reports.models import Summary, SummaryEvent
from tests.factories import CampaignFactory

from .conftest import START, at

pytestmark = pytest.mark.django_db

URL = "/console/summaries/haikou-2023/460105/"


@pytest.fixture
def duties(world):
    services.reporting_duties_ensure(campaign=world)
    return world


def test_officer_edits_a_section_and_submits_and_the_city_is_notified(
    duties, district_officer, city_admin, login
):
    client = login(district_officer)
    page = client.get(URL).content.decode()
    drafted = re.search(r'<textarea name="work"[^>]*>\s*(.*?)</textarea>', page, re.S)[1]
    assert drafted.startswith("3月21日至31日，全区共开展宣传活动3场")
    form = dict.fromkeys(("document_number", "signer", "contact_person", "contact_phone"), "")
    form.update(work=drafted, methods="一是做法。", highlights="一是亮点。", problems="一是问题。")
    form["plans"] = "一是打算。"

    assert client.post(URL, form).status_code == 302
    assert client.post(f"{URL}submit/").status_code == 302

    summary = Summary.objects.get(unit__code="460105")
    assert summary.status == Summary.Status.SUBMITTED
    assert summary.methods == "一是做法。"
    assert {f["key"]: f["value"] for f in summary.figures}["activities"] == 3
    notice = Notification.objects.get(recipient=city_admin)
    assert "秀英区民政局已报送" in notice.message
    assert notice.url == URL
    assert AuditEntry.objects.filter(action="summary.submit").count() == 1


def test_submit_refuses_an_empty_section_with_its_name(duties, district, district_officer, login):
    services.summary_save(actor=district_officer, campaign=duties, unit=district, problems="")
    response = login(district_officer).post(f"{URL}submit/", follow=True)

    assert "请先填写四、存在问题再报送。" in response.content.decode()
    assert Summary.objects.get(unit=district).status == Summary.Status.DRAFT


def test_return_needs_a_comment_then_officer_resubmits_and_city_accepts(
    duties, district, district_officer, city_admin, login
):
    summary = services.summary_save(actor=district_officer, campaign=duties, unit=district)
    services.summary_submit(actor=district_officer, summary=summary, now=at(START))
    city = login(city_admin)

    refused = city.post(f"{URL}review/", {"decision": "return", "comment": "  "})
    assert refused.status_code == 200  # the form again, with its message
    assert "退回时请写明修改意见。" in refused.content.decode()

    city.post(f"{URL}review/", {"decision": "return", "comment": "请补充存在问题。"})
    summary.refresh_from_db()
    assert summary.status == Summary.Status.RETURNED
    assert Notification.objects.filter(
        recipient=district_officer, message__contains="请补充存在问题。"
    ).exists()
    officer = login(district_officer)
    assert "请补充存在问题。" in officer.get(URL).content.decode()
    # Returned: editable again, and resubmitted.
    services.summary_save(
        actor=district_officer, campaign=duties, unit=district, problems="一是补充的问题。"
    )
    officer.post(f"{URL}submit/")
    summary.refresh_from_db()
    assert summary.status == Summary.Status.SUBMITTED
    assert Notification.objects.filter(
        recipient=city_admin, message__contains="已重新报送"
    ).exists()

    city.post(f"{URL}review/", {"decision": "accept", "comment": ""})
    summary.refresh_from_db()
    assert summary.status == Summary.Status.ACCEPTED
    steps = list(SummaryEvent.objects.filter(summary=summary).values_list("to_status", flat=True))
    assert steps == ["submitted", "returned", "submitted", "accepted"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"summary.submit", "summary.returned", "summary.accepted"} <= actions


def test_a_submitted_summary_cannot_be_changed(duties, district, district_officer):
    summary = services.summary_save(actor=district_officer, campaign=duties, unit=district)
    services.summary_submit(actor=district_officer, summary=summary, now=at(START))

    with pytest.raises(ValidationError, match="不能再修改"):
        services.summary_save(actor=district_officer, campaign=duties, unit=district, work="改")


def test_only_the_city_reviews_a_district_and_officers_cannot_review_themselves(
    duties, district, district_officer, sibling_officer, login
):
    summary = services.summary_save(actor=district_officer, campaign=duties, unit=district)
    services.summary_submit(actor=district_officer, summary=summary, now=at(START))

    own = login(district_officer).post(f"{URL}review/", {"decision": "accept"})
    other = login(sibling_officer).post(f"{URL}review/", {"decision": "accept"})

    assert own.status_code == 403
    assert other.status_code == 404  # another district's summary does not exist for them
    summary.refresh_from_db()
    assert summary.status == Summary.Status.SUBMITTED


def test_station_worker_reads_but_cannot_write_the_district_summary(
    duties, station_worker, district, district_officer, login
):
    services.summary_save(actor=district_officer, campaign=duties, unit=district)
    client = login(station_worker)

    assert client.get(URL).status_code == 404  # the district above is not theirs
    assert client.post(f"{URL}submit/").status_code == 404


def test_sibling_district_never_sees_this_districts_summary_or_its_records(
    duties, district, district_officer, sibling_officer, login
):
    services.summary_save(
        actor=district_officer, campaign=duties, unit=district, work="秀英区内部总结正文"
    )
    client = login(sibling_officer)

    for path in ("", "records/media_reports/", "export.xlsx", "export.docx", "submit/"):
        assert client.get(f"{URL}{path}").status_code in (404, 405), path
    own = client.get("/console/summaries/haikou-2023/460106/").content.decode()
    assert "秀英" not in own
    assert "中山街道龙华专属活动" not in own
    assert "共开展宣传活动1场" in own  # 龙华区's own: its one activity
    compare = client.get("/console/summaries/haikou-2023/compare/").content.decode()
    assert "秀英区内部总结正文" not in compare


def test_city_sees_district_summaries_side_by_side(
    duties, district, sibling_district, district_officer, sibling_officer, city_admin, login
):
    for unit, officer, text in (
        (district, district_officer, "秀英的做法"),
        (sibling_district, sibling_officer, "龙华的做法"),
    ):
        summary = services.summary_save(actor=officer, campaign=duties, unit=unit, methods=text)
        services.summary_submit(actor=officer, summary=summary, now=at(START))

    page = login(city_admin).get("/console/summaries/haikou-2023/compare/").content.decode()

    assert "秀英的做法" in page
    assert "龙华的做法" in page
    assert page.index("秀英区民政局") < page.index("龙华区民政局")


def test_attach_the_ledger_and_a_photo_then_download_them(
    duties, district, district_officer, login, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    client = login(district_officer)
    client.post(f"{URL}attach-ledger/")
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    photo = SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")
    client.post(f"{URL}attach/", {"photo": photo, "name": "义诊现场"})
    bad = SimpleUploadedFile("p.jpg", b"not a photo", content_type="image/jpeg")
    refused = client.post(f"{URL}attach/", {"photo": bad, "name": "坏照片"})

    summary = Summary.objects.get(unit=district)
    ledger, picture = summary.attachments.all()
    assert refused.status_code == 200  # the form again, with its message
    assert picture.name == "义诊现场"
    book = load_workbook(io.BytesIO(b"".join(client.get(f"{URL}attachments/{ledger.pk}/"))))
    titles = {row[2] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert titles == {"秀英街道关爱老人义诊", "秀英街道张贴服务海报", "益播间秀英社工在身边"}
    assert client.get(f"{URL}attachments/{picture.pk}/")["Content-Type"] == "image/jpeg"


def test_a_malformed_document_number_is_refused_with_what_is_wrong(duties, district_officer, login):
    form = dict.fromkeys(("signer", "contact_person", "contact_phone"), "")
    form.update(document_number="秀民报[2023]5号", work="一", methods="二", highlights="三")
    form.update(problems="四", plans="五")
    response = login(district_officer).post(URL, form)
    page = response.content.decode()

    assert "发文字号的年份须用六角括号〔〕括起" in page
    assert 'value="秀民报[2023]5号"' in page  # what was typed is kept
    assert not Summary.objects.filter(unit__code="460105").exists()


def test_an_earlier_campaigns_summaries_stay_one_click_away(world, city, district_officer, login):
    later = CampaignFactory(
        slug="haikou-2024",
        name="海口市2024年社会工作主题宣传活动方案",
        starts_on=datetime.date(2024, 3, 21),
        issuer=city,
    )
    client = login(district_officer)

    page = client.get(f"/console/summaries/{later.slug}/").content.decode()

    assert 'href="/console/summaries/haikou-2023/"' in page
    assert "海口市2023年社会工作主题宣传活动方案" in page
