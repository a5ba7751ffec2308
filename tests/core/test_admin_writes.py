"""The Django admin writes only through the services, audited, or not at all: a superuser's
POST to an admin either is refused or leaves the service's audit entry."""

import datetime

import pytest

from shegong.accounts.models import Notification, User
from shegong.campaigns.models import Campaign, TaskProgress
from shegong.core.models import AuditEntry
from shegong.helpdesk.models import CampaignSetting
from shegong.reports.models import ReportingDuty
from shegong.survey.models import Answer, Survey
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(city):
    return UserFactory(
        username="root", role=User.Role.CITY_ADMIN, unit=city, is_superuser=True, is_staff=True
    )


@pytest.fixture
def campaign(city):
    return CampaignFactory(
        slug="haikou-2023",
        starts_on=datetime.date(2023, 3, 21),
        ends_on=datetime.date(2023, 3, 31),
        summary_deadline=datetime.date(2023, 4, 10),
        issuer=city,
        recipients="各区民政局",
    )


def _campaign_form(city, **fields) -> dict:
    return {
        "slug": "haikou-2024",
        "name": "海口市2024年社会工作主题宣传活动方案",
        "theme": "推进“五社联动”",
        "starts_on": "2024-03-21",
        "ends_on": "2024-03-31",
        "summary_deadline": "2024-04-10",
        "issuer": city.pk,
        "recipients": "各区民政局",
        "disclosure": Campaign.Disclosure.PUBLIC,
        "attachment_style": Campaign.AttachmentStyle.APPENDED,
        "city_heading": "市民政局",
        "district_heading": "各区民政局",
        "station_heading": "乡镇（街道）社工站",
        **fields,
    }


def test_admin_starts_a_campaign_through_the_service(login, superuser, city, district):
    admin = login(superuser)

    refused = admin.post("/admin/campaigns/campaign/add/", _campaign_form(city, recipients=""))
    response = admin.post("/admin/campaigns/campaign/add/", _campaign_form(city))

    assert "请填写主送机关" in refused.content.decode()  # the service's check, on the form
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="haikou-2024")
    entry = AuditEntry.objects.get(action="campaign.create")
    assert (entry.actor, entry.target_id) == (superuser, str(campaign.pk))
    # The services' hooks ran: the district owes its summary.
    assert ReportingDuty.objects.filter(campaign=campaign, unit=district).exists()


def test_admin_cannot_change_or_delete_a_campaign_or_progress(login, superuser, campaign):
    admin = login(superuser)

    change = admin.post(
        f"/admin/campaigns/campaign/{campaign.pk}/change/", _campaign_form(campaign.issuer)
    )
    delete = admin.post(f"/admin/campaigns/campaign/{campaign.pk}/delete/", {"post": "yes"})
    progress = admin.post("/admin/campaigns/taskprogress/add/", {})

    assert (change.status_code, delete.status_code, progress.status_code) == (403, 403, 403)
    campaign.refresh_from_db()
    assert campaign.slug == "haikou-2023"
    assert not TaskProgress.objects.exists()


def test_admin_helpdesk_setting_is_saved_through_the_service(login, superuser, campaign):
    admin = login(superuser)
    form = {"campaign": campaign.pk, "first_response_working_days": 2, "retention_days": 180}

    response = admin.post("/admin/helpdesk/campaignsetting/add/", form)
    setting = CampaignSetting.objects.get(campaign=campaign)
    changed = admin.post(
        f"/admin/helpdesk/campaignsetting/{setting.pk}/change/", {**form, "retention_days": 90}
    )

    assert (response.status_code, changed.status_code) == (302, 302)
    setting.refresh_from_db()
    assert (setting.first_response_working_days, setting.retention_days) == (2, 90)
    entries = AuditEntry.objects.filter(action="helpdesk_setting.save").order_by("pk")
    assert [e.changes.get("retention_days") for e in entries] == [[None, 180], [180, 90]]


def test_admin_starts_a_survey_through_the_service_and_never_edits_answers(
    login, superuser, campaign
):
    admin = login(superuser)

    response = admin.post(
        "/admin/survey/survey/add/",
        {
            "campaign": campaign.pk,
            "slug": "haikou-2023",
            "opens_on": "2023-02-01",
            "closes_on": "2023-04-30",
        },
    )
    survey = Survey.objects.get(slug="haikou-2023")
    change = admin.post(f"/admin/survey/survey/{survey.pk}/change/", {"slug": "other"})
    answer = admin.post("/admin/survey/answer/add/", {"survey": survey.pk})

    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="survey.create", target_id=str(survey.pk)).exists()
    assert (change.status_code, answer.status_code) == (403, 403)
    assert not Answer.objects.exists()


def test_admin_cannot_write_a_notification(login, superuser, district_officer):
    note = Notification.objects.create(recipient=district_officer, message="待审核的活动")
    admin = login(superuser)

    listing = admin.get("/admin/accounts/notification/")
    add = admin.post(
        "/admin/accounts/notification/add/", {"recipient": superuser.pk, "message": "x"}
    )
    change = admin.post(f"/admin/accounts/notification/{note.pk}/change/", {"message": "x"})

    assert "待审核的活动" in listing.content.decode()
    assert (add.status_code, change.status_code) == (403, 403)
    note.refresh_from_db()
    assert note.message == "待审核的活动"
