import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.activities.models import Activity
from shegong.orgs.models import Partner

from .conftest import make_activity

S = Activity.Status


def test_activity_list_district_officer_sees_own_district_only(
    login, district_officer, station, district, sibling_station
):
    make_activity(station, title="秀英街道进医院宣传")
    make_activity(district, title="秀英区公益广告")
    make_activity(sibling_station, title="中山街道进学校宣传")

    content = login(district_officer).get("/console/activities/").content.decode()

    assert "秀英街道进医院宣传" in content
    assert "秀英区公益广告" in content
    assert "中山街道进学校宣传" not in content


def test_activity_list_station_worker_sees_own_station_only(
    login, station_worker, station, second_station
):
    make_activity(station, title="本站活动")
    make_activity(second_station, title="邻站活动")

    content = login(station_worker).get("/console/activities/").content.decode()

    assert "本站活动" in content
    assert "邻站活动" not in content


def test_activity_list_filters_by_status_kind_and_focus(login, district_officer, station):
    make_activity(station, title="待审的海报", status=S.SUBMITTED, focus_tags=",elderly,")
    make_activity(station, title="草稿的直播", kind=Activity.Kind.LIVE_STREAM)

    client = login(district_officer)
    submitted = client.get("/console/activities/?status=submitted").content.decode()
    live = client.get("/console/activities/?kind=live_stream").content.decode()
    elderly = client.get("/console/activities/?focus=elderly").content.decode()

    assert "待审的海报" in submitted
    assert "草稿的直播" not in submitted
    assert "草稿的直播" in live
    assert "待审的海报" not in live
    assert "待审的海报" in elderly
    assert "草稿的直播" not in elderly


def test_activity_list_requires_login(anonymous):
    response = anonymous.get("/console/activities/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_activity_list_is_forbidden_to_judges(login, judge):
    assert login(judge).get("/console/activities/").status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_activity_list_query_count_is_constant(login, district_officer, station, campaign, count):
    for n in range(count):
        make_activity(station, campaign=campaign, title=f"活动{n}")
    client = login(district_officer)
    client.get("/console/activities/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/activities/")

    assert response.content.decode().count("/console/activities/") > count
    assert len(queries) == 5


@pytest.mark.parametrize("user_fixture", ["district_officer", "station_worker"])
def test_activity_detail_of_sibling_district_is_not_found(
    request, login, user_fixture, sibling_station
):
    activity = make_activity(sibling_station)
    client = login(request.getfixturevalue(user_fixture))

    assert client.get(f"/console/activities/{activity.pk}/").status_code == 404
    assert client.get(f"/console/activities/{activity.pk}/edit/").status_code == 404
    assert client.post(f"/console/activities/{activity.pk}/do/submit/").status_code == 404


def test_activity_edit_by_district_officer_is_forbidden(login, district_officer, station):
    activity = make_activity(station)

    response = login(district_officer).post(
        f"/console/activities/{activity.pk}/edit/", {"title": "改"}
    )

    assert response.status_code == 403


def test_activity_create_saves_a_draft_with_partners(login, station_worker, station, campaign):
    partner = Partner.objects.create(unit=station, name="秀英村委会", kind="community")
    response = login(station_worker).post(
        "/console/activities/new/",
        {
            "campaign": campaign.pk,
            "kind": "visit_hospital",
            "title": "社工走进市人民医院",
            "starts_at": "2023-03-22T09:30",
            "place": "市人民医院",
            "audiences": ["public", "service_users"],
            "focus_tags": ["elderly"],
            "partners": [partner.pk],
            "participants": "120",
            "budget_planned": "300",
            "spend_actual": "280.50",
        },
    )

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.unit == station
    assert activity.audience_labels == ["社会公众", "服务对象"]
    assert list(activity.partners.all()) == [partner]
    assert str(activity.spend_actual) == "280.50"
    detail = login(station_worker).get(response["Location"]).content.decode()
    assert "社工走进市人民医院" in detail
    assert "秀英村委会" in detail


def test_activity_form_sent_twice_records_one_draft(login, station_worker, station, campaign):
    # A slow village connection: the worker taps "save" again before the first answer comes.
    client = login(station_worker)
    form = {
        "campaign": campaign.pk,
        "kind": "poster",
        "title": "东山镇张贴社工站服务海报",
        "starts_at": "2023-03-23T10:00",
        "place": "东山镇卫生院",
        "audiences": ["public"],
    }

    first = client.post("/console/activities/new/", form)
    second = client.post("/console/activities/new/", form)

    assert Activity.objects.count() == 1
    assert first["Location"] == second["Location"]
    # A genuinely different activity the same day is still recorded.
    client.post("/console/activities/new/", {**form, "starts_at": "2023-03-23T15:00"})
    assert Activity.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "请填写活动名称。"),
        ({"starts_at": "3月22日"}, "活动时间格式不正确"),
        ({"participants": "-3"}, "参与人数不能为负数。"),
        ({"spend_actual": "很多"}, "实际支出（元）请填写金额数字"),
        ({"kind": "onsite"}, "现场活动须做风险评估：请填写预计人数。"),
    ],
)
def test_activity_create_bad_input_keeps_what_was_typed(login, station_worker, data, message):
    post = {
        "kind": "poster",
        "title": "张贴海报",
        "starts_at": "2023-03-22T09:30",
        "place": "秀英街道卫生院",
        **data,
    }

    response = login(station_worker).post("/console/activities/new/", post)

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="秀英街道卫生院"' in content
    assert not Activity.objects.exists()


def test_activity_create_shows_service_refusal_on_the_form(login, station_worker, station):
    response = login(station_worker).post(
        "/console/activities/new/",
        {
            "kind": "onsite",
            "title": "广场宣传",
            "starts_at": "2023-03-22T09:30",
            "held": "on",
            "expected_crowd": "2000",
            "venue": "street",
            "weather": "fine",
            "person_responsible": "李站长",
        },
    )

    assert response.status_code == 200
    assert "须经上级批准风险评估" in response.content.decode()
    assert not Activity.objects.exists()


def test_review_buttons_submit_return_and_approve_through_the_views(
    login, station_worker, district_officer, station
):
    activity = make_activity(station)
    worker, officer = login(station_worker), login(district_officer)

    worker.post(f"/console/activities/{activity.pk}/do/submit/")
    officer.post(f"/console/activities/{activity.pk}/do/return/", {"comment": "请补充照片"})
    page = worker.get(f"/console/activities/{activity.pk}/").content.decode()
    assert "请补充照片" in page
    worker.post(f"/console/activities/{activity.pk}/do/submit/")
    officer.post(f"/console/activities/{activity.pk}/do/approve/")

    activity.refresh_from_db()
    assert activity.status == S.APPROVED


def test_refused_transition_shows_a_clear_message(login, station_worker, station):
    activity = make_activity(station, status=S.APPROVED)

    response = login(station_worker).post(
        f"/console/activities/{activity.pk}/do/submit/", follow=True
    )

    assert "只有草稿或被退回的活动可以提交（当前状态：已通过）" in response.content.decode()


def test_console_home_shows_activities_waiting_for_review(login, district_officer, station):
    make_activity(station, status=S.SUBMITTED)

    content = login(district_officer).get("/console/").content.decode()

    assert "待审核的活动" in content


def test_admin_lists_activities_for_superusers(login, station):
    from tests.factories import UserFactory

    make_activity(station, title="后台可见的活动")
    root = UserFactory(username="root", is_superuser=True, is_staff=True)

    content = login(root).get("/admin/activities/activity/").content.decode()

    assert "后台可见的活动" in content


def _task(campaign, level, title):
    from shegong.campaigns.models import Task

    return Task.objects.create(
        campaign=campaign, level=level, title=title, due_on=campaign.ends_on, order=1
    )


def test_activity_create_links_the_campaign_task_it_carries_out(
    login, station_worker, station, campaign
):
    station_task = _task(campaign, "station", "张贴服务清单")
    _task(campaign, "district", "区级宣传")
    client = login(station_worker)

    form_page = client.get("/console/activities/new/").content.decode()
    assert "张贴服务清单" in form_page
    assert "区级宣传" not in form_page  # only the tasks of the worker's level are offered

    response = client.post(
        "/console/activities/new/",
        {
            "campaign": campaign.pk,
            "kind": "poster",
            "title": "在卫生院张贴社工站服务清单",
            "starts_at": "2023-03-22T09:30",
            "tasks": [station_task.pk],
        },
    )

    activity = Activity.objects.get()
    assert list(activity.tasks.all()) == [station_task]
    assert "张贴服务清单" in client.get(response["Location"]).content.decode()


def test_activity_task_of_another_campaign_is_refused(login, station_worker, station, campaign):
    from tests.factories import CampaignFactory

    other = CampaignFactory(issuer=campaign.issuer, starts_on=campaign.starts_on)
    foreign_task = _task(other, "station", "去年的任务")

    response = login(station_worker).post(
        "/console/activities/new/",
        {
            "campaign": campaign.pk,
            "kind": "poster",
            "title": "张贴海报",
            "starts_at": "2023-03-22T09:30",
            "tasks": [foreign_task.pk],
        },
    )

    assert response.status_code == 200
    assert "不属于所选的宣传活动" in response.content.decode()
    assert 'value="张贴海报"' in response.content.decode()
    assert not Activity.objects.exists()


def test_campaign_kpis_count_reviewed_activities_and_their_participants(
    city_admin, station, campaign
):
    from decimal import Decimal

    from shegong.campaigns.selectors import campaign_kpis
    from shegong.campaigns.services import kpi_target_set

    make_activity(station, campaign=campaign, status=Activity.Status.APPROVED, participants=40)
    make_activity(station, campaign=campaign, status=Activity.Status.FEATURED, participants=60)
    make_activity(station, campaign=campaign, status=Activity.Status.SUBMITTED, participants=999)
    make_activity(station, status=Activity.Status.APPROVED, participants=999)  # no campaign
    kpi_target_set(actor=city_admin, campaign=campaign, kind="activities", target=Decimal(4))
    kpi_target_set(actor=city_admin, campaign=campaign, kind="participants", target=Decimal(1000))

    figures = {figure.kind: figure for figure in campaign_kpis(campaign)}

    assert figures["activities"].recorded
    assert figures["activities"].actual == 2
    assert figures["participants"].actual == 100


@pytest.mark.parametrize(
    ("extra", "risk", "expected"),
    [
        ({}, None, "已填写参与人数，但尚未登记为“已举办”：点“修改”勾选“已举办”并保存。"),
        ({"kind": Activity.Kind.ONSITE}, None, "现场活动须先完成风险评估"),
        ({"kind": Activity.Kind.ONSITE}, "high", "须经上级批准风险评估后才能登记为已举办"),
        ({"status": Activity.Status.APPROVED}, None, "活动已提交或审核通过，不能再修改"),
    ],
)
def test_activity_not_held_says_what_is_missing_and_how_to_fix_it(
    login, station_worker, station, extra, risk, expected
):
    from shegong.activities.models import RiskAssessment

    from .conftest import assess

    activity = make_activity(station, participants=120, **extra)
    if risk:
        assess(activity, level=RiskAssessment.Level.HIGH)

    content = login(station_worker).get(f"/console/activities/{activity.pk}/").content.decode()

    assert "（未登记举办）" not in content
    assert expected in content


def test_activity_held_or_without_figures_has_no_hint(login, station_worker, station):
    held = make_activity(station, participants=80, held=True)
    empty = make_activity(station, title="筹备中的活动")
    client = login(station_worker)

    assert "（已举办）" in client.get(f"/console/activities/{held.pk}/").content.decode()
    content = client.get(f"/console/activities/{empty.pk}/").content.decode()
    assert 'data-testid="held-hint"' not in content
    assert "（尚未登记为已举办）" in content
