"""Every endpoint of /api/v1/: the happy path with its content, a sibling unit's data absent,
bad input answered with the field and a message, and writes through the console's services
(the same audit entries, notifications and access log)."""

import datetime

import pytest
from django.utils import timezone

from shegong.accounts.models import Notification
from shegong.activities import services as activity_services
from shegong.activities.models import Activity
from shegong.campaigns.models import Task, TaskProgress
from shegong.core.models import AuditEntry
from shegong.directory.models import QrScanDay
from shegong.directory.services import listings_create_missing, qrlink_create
from shegong.helpdesk import services as helpdesk_services
from shegong.helpdesk.models import AccessLogEntry
from shegong.orgs.models import Partner, Unit
from shegong.orgs.partners import partner_create
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(datetime.datetime(2023, 3, 22, 9, 0))  # noqa: DTZ001


@pytest.fixture
def campaign(city):
    campaign = CampaignFactory(
        slug="haikou-2023",
        name="海口市2023年社会工作主题宣传活动方案",
        starts_on=datetime.date(2023, 3, 21),
        ends_on=datetime.date(2023, 3, 31),
        issuer=city,
    )
    Task.objects.create(
        campaign=campaign, level="station", title="张贴宣传海报", due_on=datetime.date(2023, 3, 31)
    )
    return campaign


def _activity(user, unit, campaign, title):
    return activity_services.activity_create(
        actor=user, unit=unit, campaign=campaign, kind="poster", title=title, starts_at=WHEN
    )


@pytest.fixture
def world(campaign, station, second_station, sibling_station, station_worker, sibling_worker):
    mine = _activity(station_worker, station, campaign, "秀英街道张贴海报")
    theirs = _activity(sibling_worker, sibling_station, campaign, "中山街道龙华秘密活动")
    task = campaign.tasks.get()
    for unit in (station, sibling_station):
        TaskProgress.objects.create(task=task, unit=unit, note=f"{unit.area_name}进展说明")
    return {"mine": mine, "theirs": theirs}


def _err(response, status, field):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field
    assert body["message"]
    assert body["errors"][0]["field"] == field
    return body


# --- units -----------------------------------------------------------------------------------


def test_units_are_the_users_subtree_and_the_units_above(api, district_officer, world):
    response = api(district_officer).get("/api/v1/units/")
    codes = [u["code"] for u in response.json()["results"]]
    assert codes == ["460100", "460105", "460105001", "460105002"]
    assert "460106" not in codes


def test_unit_detail_and_filters(api, district_officer, world):
    client = api(district_officer)
    unit = client.get("/api/v1/units/460105001/").json()
    assert unit["name"] == Unit.objects.get(code="460105001").name
    assert unit["parent"] == "460105"
    assert client.get("/api/v1/units/460106001/").status_code == 404
    listed = client.get("/api/v1/units/?level=station&within=460105").json()["results"]
    assert [u["code"] for u in listed] == ["460105001", "460105002"]
    _err(client.get("/api/v1/units/?level=planet"), 400, "level")
    _err(client.get("/api/v1/units/?within=999"), 400, "within")


# --- campaigns, tasks, progress --------------------------------------------------------------


def test_campaign_with_tasks_and_progress_of_own_units_only(api, district_officer, world):
    client = api(district_officer)
    [listed] = client.get("/api/v1/campaigns/").json()["results"]
    assert listed["slug"] == "haikou-2023"
    detail = client.get("/api/v1/campaigns/haikou-2023/").json()
    assert [t["title"] for t in detail["tasks"]] == ["张贴宣传海报"]
    progress = client.get("/api/v1/campaigns/haikou-2023/progress/").json()["results"]
    assert [p["unit"] for p in progress] == ["460105001"]
    assert progress[0]["note"] == "秀英街道进展说明"
    assert "龙华" not in str(progress)
    assert client.get("/api/v1/campaigns/no-such/progress/").status_code == 404
    _err(client.get("/api/v1/campaigns/haikou-2023/progress/?status=x"), 400, "status")


def test_judges_get_no_unit_data(api, judge, world):
    response = api(judge).get("/api/v1/campaigns/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# --- activities ------------------------------------------------------------------------------


def test_activity_list_shows_own_units_only_with_filters(api, district_officer, world):
    client = api(district_officer)
    results = client.get("/api/v1/activities/").json()["results"]
    assert [a["title"] for a in results] == ["秀英街道张贴海报"]
    assert results[0]["unit"] == "460105001"
    assert results[0]["status"] == "draft"
    assert client.get("/api/v1/activities/?unit=460106").json()["results"] == []
    assert client.get("/api/v1/activities/?since=2023-03-23").json()["count"] == 0
    assert client.get("/api/v1/activities/?until=2023-03-22&status=draft").json()["count"] == 1
    _err(client.get("/api/v1/activities/?since=yesterday"), 400, "since")


def test_activity_detail_404_for_a_sibling_units(api, district_officer, world):
    client = api(district_officer)
    mine = client.get(f"/api/v1/activities/{world['mine'].pk}/")
    assert mine.json()["title"] == "秀英街道张贴海报"
    theirs = client.get(f"/api/v1/activities/{world['theirs'].pk}/")
    assert theirs.status_code == 404
    assert "龙华" not in theirs.content.decode()
    assert theirs.json() == client.get("/api/v1/activities/987654/").json()


def test_create_and_submit_an_activity_through_the_services(
    api, station_worker, district_officer, world
):
    client = api(station_worker)
    response = client.post(
        "/api/v1/activities/",
        {
            "unit": "460105001",
            "campaign": "haikou-2023",
            "kind": "poster",
            "title": "社区张贴海报",
            "starts_at": "2023-03-23T10:00:00+08:00",
            "place": "秀英村",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft"
    activity = Activity.objects.get(pk=created["id"])
    assert activity.created_by == station_worker
    assert AuditEntry.objects.filter(action="activity.create", target_id=str(activity.pk)).exists()

    submitted = client.post(f"/api/v1/activities/{activity.pk}/submit/")
    assert submitted.json()["status"] == "submitted"
    assert AuditEntry.objects.filter(
        action="activity.submitted", target_id=str(activity.pk)
    ).exists()
    # The reviewing district is notified as from the console.
    assert Notification.objects.filter(
        recipient=district_officer, message__contains="社区张贴海报"
    ).exists()
    # Submitting twice: the service's refusal, in the error shape.
    again = client.post(f"/api/v1/activities/{activity.pk}/submit/")
    assert again.status_code == 400
    assert "只有草稿或被退回的活动可以提交" in again.json()["message"]


def test_create_refuses_bad_input_with_field_and_message(api, station_worker, world):
    client = api(station_worker)
    base = {
        "unit": "460105001",
        "kind": "poster",
        "title": "海报",
        "starts_at": "2023-03-23T10:00:00+08:00",
    }
    for change, field in [
        ({"title": "   "}, "title"),
        ({"kind": "rocket"}, "kind"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"unit": "460106001"}, "unit"),  # another district's station: not theirs to record for
        ({"campaign": "nope"}, "campaign"),
        ({"participants": -1}, "participants"),
        ({"partners": [987654]}, "partners"),
    ]:
        response = client.post(
            "/api/v1/activities/", {**base, **change}, content_type="application/json"
        )
        _err(response, 400, field)
    english = client.post(
        "/api/v1/activities/",
        {**base, "title": " "},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert english.json()["message"] == "Enter the activity's title."
    broken = client.post("/api/v1/activities/", "{", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["code"] == "parse_error"
    assert Activity.objects.count() == 2


def test_submit_is_403_for_a_district_on_its_stations_activity(api, district_officer, world):
    """Visible to the district (it reviews it) but submitted only by the station itself."""
    response = api(district_officer).post(f"/api/v1/activities/{world['mine'].pk}/submit/")
    assert response.status_code == 403
    assert (
        api(district_officer).post(f"/api/v1/activities/{world['theirs'].pk}/submit/").status_code
        == 404
    )


def test_coverage_submissions_and_live_streams(
    api, station_worker, sibling_worker, station, sibling_station, world
):
    for user, unit in ((station_worker, station), (sibling_worker, sibling_station)):
        activity_services.coverage_create(
            actor=user,
            unit=unit,
            outlet="海口日报",
            type="newspaper",
            title=f"{unit.area_name}报道",
            published_on=datetime.date(2023, 3, 23),
        )
        activity_services.submission_create(
            actor=user,
            unit=unit,
            outlet="海南民政",
            title=f"{unit.area_name}投稿",
            submitted_on=datetime.date(2023, 3, 23),
        )
        activity_services.livestream_create(
            actor=user, unit=unit, platform="益播间", title=f"{unit.area_name}直播", starts_at=WHEN
        )
    client = api(station_worker)
    assert [r["title"] for r in client.get("/api/v1/coverage/").json()["results"]] == [
        "秀英街道报道"
    ]
    assert [r["title"] for r in client.get("/api/v1/submissions/").json()["results"]] == [
        "秀英街道投稿"
    ]
    streams = client.get("/api/v1/livestreams/?since=2023-03-22").json()["results"]
    assert [r["title"] for r in streams] == ["秀英街道直播"]
    assert client.get("/api/v1/coverage/?until=2023-03-01").json()["count"] == 0


# --- help requests ---------------------------------------------------------------------------


@pytest.fixture
def requests_(station, sibling_station, station_worker, sibling_worker):
    def submit(area, name, phone):
        return helpdesk_services.helprequest_submit(
            for_whom="self",
            category="elderly",
            description="想请社工上门看看。",
            area=area,
            contact_name=name,
            phone=phone,
            ip="10.0.0.9",
        )

    return submit(station, "王秀英", "13912345678"), submit(
        sibling_station, "李龙华", "13987654321"
    )


def test_help_request_list_is_masked_and_scoped(api, station_worker, requests_):
    mine, _theirs = requests_
    results = api(station_worker).get("/api/v1/help-requests/").json()["results"]
    assert [r["code"] for r in results] == [mine.code]
    assert results[0]["contact_name"] == "王**"
    assert results[0]["phone"] != "13912345678"
    assert "5678" in results[0]["phone"]
    assert not AccessLogEntry.objects.exists()  # a masked list is no view of personal data


def test_help_request_detail_is_whole_for_the_unit_and_logged(
    api, station_worker, city_admin, requests_
):
    mine, theirs = requests_
    body = api(station_worker).get(f"/api/v1/help-requests/{mine.code}/").json()
    assert body["contact_name"] == "王秀英"
    assert body["phone"] == "13912345678"
    assert AccessLogEntry.objects.filter(user=station_worker, request=mine).count() == 1
    assert api(station_worker).get(f"/api/v1/help-requests/{theirs.code}/").status_code == 404
    # The city audits: it sees the request, masked, and the view is logged too.
    audited = api(city_admin).get(f"/api/v1/help-requests/{mine.code}/").json()
    assert audited["phone"] != "13912345678"
    assert audited["full_contact"] is False


def test_help_request_accept_note_refer_close(
    api, station_worker, district_officer, second_station, requests_
):
    mine, _theirs = requests_
    client = api(station_worker)
    url = f"/api/v1/help-requests/{mine.code}/actions/"
    accepted = client.post(
        url, {"action": "accept", "note": "已电话联系"}, content_type="application/json"
    )
    assert accepted.json()["status"] == "accepted"
    noted = client.post(
        url,
        {"action": "note", "note": "约好周三上门", "public": False},
        content_type="application/json",
    )
    assert "约好周三上门" in [n["text"] for n in noted.json()["notes"]]
    _err(client.post(url, {"action": "close"}, content_type="application/json"), 400, "outcome")
    _err(client.post(url, {"action": "dance"}, content_type="application/json"), 400, "action")
    closed = client.post(
        url, {"action": "close", "outcome": "已上门探访"}, content_type="application/json"
    )
    assert closed.json()["status"] == "closed"
    actions = set(
        AuditEntry.objects.filter(target_id=str(mine.pk)).values_list("action", flat=True)
    )
    assert {"helprequest.accepted", "helprequest.note", "helprequest.closed"} <= actions
    # The city sees it but may not act on it.
    assert (
        api(district_officer)
        .post(url, {"action": "note", "note": "x"}, content_type="application/json")
        .status_code
        == 200
    )


def test_help_request_refer_and_city_refused(api, station_worker, city_admin, district, requests_):
    mine, _theirs = requests_
    url = f"/api/v1/help-requests/{mine.code}/actions/"
    refused = api(city_admin).post(
        url, {"action": "note", "note": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    referred = api(station_worker).post(
        url,
        {"action": "refer", "note": "转本区民政局", "unit": district.code},
        content_type="application/json",
    )
    assert referred.status_code == 200, referred.content
    mine.refresh_from_db()
    assert mine.unit == district
    assert referred.json()["full_contact"] is False  # no longer the station's to see whole


# --- stations, QR links, partners ------------------------------------------------------------


def test_station_listings_and_qr_scan_counts(
    api, district_officer, station_worker, sibling_worker, station, sibling_station, second_station
):
    listings_create_missing(units=Unit.objects.all())
    link = qrlink_create(actor=station_worker, unit=station, channel="公交12路", target="/help/")
    qrlink_create(
        actor=sibling_worker, unit=sibling_station, channel="龙华医院海报", target="/help/"
    )
    QrScanDay.objects.create(link=link, day=datetime.date(2023, 3, 22), count=7)
    client = api(district_officer)
    slugs = [s["slug"] for s in client.get("/api/v1/stations/").json()["results"]]
    assert slugs == ["460105001", "460105002"]
    detail = client.get("/api/v1/stations/460105001/").json()
    assert detail["unit"] == "460105001"
    assert detail["services"] == []
    assert client.get("/api/v1/stations/460106001/").status_code == 404
    links = client.get("/api/v1/qr-links/").json()["results"]
    assert [(q["channel"], q["scans"]) for q in links] == [("公交12路", 7)]


def test_partners_of_own_units(api, station_worker, sibling_worker, station, sibling_station):
    partner_create(
        actor=station_worker, unit=station, name="秀英义工队", kind=Partner.Kind.VOLUNTEER_TEAM
    )
    partner_create(
        actor=sibling_worker, unit=sibling_station, name="龙华慈善会", kind=Partner.Kind.CHARITY
    )
    names = [p["name"] for p in api(station_worker).get("/api/v1/partners/").json()["results"]]
    assert names == ["秀英义工队"]


# --- summaries -------------------------------------------------------------------------------


def test_summaries_with_figures_of_own_units_only(
    api, district_officer, station_worker, sibling_worker, station, sibling_station, world
):
    from shegong.reports.models import Summary
    from shegong.reports.services import summary_ensure

    campaign = world["mine"].campaign
    summary_ensure(actor=station_worker, campaign=campaign, unit=station)
    summary_ensure(actor=sibling_worker, campaign=campaign, unit=sibling_station)
    Summary.objects.filter(unit=sibling_station).update(work="龙华秘密总结")
    client = api(district_officer)

    listed = client.get("/api/v1/campaigns/haikou-2023/summaries/").json()["results"]
    assert [s["unit"] for s in listed] == ["460105001"]
    detail = client.get("/api/v1/campaigns/haikou-2023/summaries/460105001/").json()
    figures = {f["key"]: f["value"] for f in detail["figures"]}
    assert figures["activities"] == 1  # the station's one activity, counted live in a draft
    assert detail["status"] == "draft"
    # Nobody saved 海秀街道's yet: the draft written from its figures, as the console shows it.
    unsaved = client.get("/api/v1/campaigns/haikou-2023/summaries/460105002/").json()
    assert unsaved["status"] == "draft"
    assert {f["key"]: f["value"] for f in unsaved["figures"]}["activities"] == 0
    theirs = client.get("/api/v1/campaigns/haikou-2023/summaries/460106001/")
    assert theirs.status_code == 404
    assert "龙华秘密总结" not in theirs.content.decode()
