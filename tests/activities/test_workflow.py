import pytest
from django.core.exceptions import ValidationError

from shegong.accounts.models import Notification
from shegong.activities import services
from shegong.activities.models import Activity, ActivityEvent
from shegong.core.models import AuditEntry

from .conftest import assess, make_activity

S = Activity.Status


def test_activity_submit_notifies_the_district_and_audits(
    station_worker, district_officer, station
):
    activity = make_activity(station)

    services.activity_submit(actor=station_worker, activity=activity)

    activity.refresh_from_db()
    assert activity.status == S.SUBMITTED
    note = Notification.objects.get(recipient=district_officer)
    assert "请审核" in note.message
    assert note.url == f"/console/activities/{activity.pk}/"
    assert AuditEntry.objects.filter(
        action="activity.submitted", target_id=str(activity.pk)
    ).exists()


def test_activity_return_needs_a_comment_and_notifies_the_station(
    station_worker, district_officer, station
):
    activity = make_activity(station, status=S.SUBMITTED)

    with pytest.raises(ValidationError, match="请写明修改意见"):
        services.activity_return(actor=district_officer, activity=activity, comment="  ")
    services.activity_return(actor=district_officer, activity=activity, comment="请补充照片")

    activity.refresh_from_db()
    assert activity.status == S.RETURNED
    assert activity.review_comment == "请补充照片"
    assert "请补充照片" in Notification.objects.get(recipient=station_worker).message
    assert ActivityEvent.objects.get(activity=activity).comment == "请补充照片"


def test_activity_full_cycle_returned_then_resubmitted_and_approved_then_featured(
    station_worker, district_officer, city_admin, station
):
    activity = make_activity(station)
    services.activity_submit(actor=station_worker, activity=activity)
    services.activity_return(actor=district_officer, activity=activity, comment="补充人数")
    services.activity_update(actor=station_worker, activity=activity, participants=80)
    services.activity_submit(actor=station_worker, activity=activity)
    services.activity_approve(actor=district_officer, activity=activity)
    services.activity_feature(actor=city_admin, activity=activity)

    activity.refresh_from_db()
    assert activity.status == S.FEATURED
    assert [e.to_status for e in activity.events.all()] == [
        S.SUBMITTED,
        S.RETURNED,
        S.SUBMITTED,
        S.APPROVED,
        S.FEATURED,
    ]


def test_district_activity_is_reviewed_by_the_city(district_officer, city_admin, district):
    activity = make_activity(district)

    services.activity_submit(actor=district_officer, activity=activity)
    assert Notification.objects.filter(recipient=city_admin).exists()
    with pytest.raises(ValidationError, match="只有上级审核单位"):
        services.activity_approve(actor=district_officer, activity=activity)
    services.activity_approve(actor=city_admin, activity=activity)

    activity.refresh_from_db()
    assert activity.status == S.APPROVED


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (S.SUBMITTED, "submit", "只有草稿或被退回的活动可以提交"),
        (S.APPROVED, "submit", "只有草稿或被退回的活动可以提交"),
        (S.FEATURED, "submit", "只有草稿或被退回的活动可以提交"),
        (S.DRAFT, "return", "只有待审核的活动可以退回"),
        (S.APPROVED, "return", "只有待审核的活动可以退回"),
        (S.DRAFT, "approve", "只有待审核的活动可以审核通过"),
        (S.RETURNED, "approve", "只有待审核的活动可以审核通过"),
        (S.SUBMITTED, "feature", "只有已通过的活动可以评为优秀案例"),
        (S.DRAFT, "feature", "只有已通过的活动可以评为优秀案例"),
    ],
)
def test_activity_transition_from_wrong_state_is_refused_with_a_message(
    station_worker, district_officer, station, status, action, message
):
    activity = make_activity(station, status=status)
    actor = station_worker if action == "submit" else district_officer
    kwargs = {"comment": "意见"} if action == "return" else {}

    with pytest.raises(ValidationError, match=message):
        getattr(services, f"activity_{action}")(actor=actor, activity=activity, **kwargs)

    activity.refresh_from_db()
    assert activity.status == status
    assert not ActivityEvent.objects.exists()


@pytest.mark.parametrize(
    ("actor_fixture", "action", "status"),
    [
        ("sibling_officer", "approve", S.SUBMITTED),
        ("sibling_officer", "return", S.SUBMITTED),
        ("station_worker", "approve", S.SUBMITTED),
        ("sibling_worker", "submit", S.DRAFT),
        ("district_officer", "submit", S.DRAFT),
        ("station_worker", "feature", S.APPROVED),
    ],
)
def test_activity_transition_by_the_wrong_person_is_refused(
    request, station, actor_fixture, action, status
):
    actor = request.getfixturevalue(actor_fixture)
    activity = make_activity(station, status=status)
    kwargs = {"comment": "意见"} if action == "return" else {}

    with pytest.raises(ValidationError):
        getattr(services, f"activity_{action}")(actor=actor, activity=activity, **kwargs)

    activity.refresh_from_db()
    assert activity.status == status


@pytest.mark.parametrize("status", [S.SUBMITTED, S.APPROVED, S.FEATURED])
def test_activity_update_is_refused_once_submitted(station_worker, station, status):
    activity = make_activity(station, status=status)

    with pytest.raises(ValidationError, match="不能再修改"):
        services.activity_update(actor=station_worker, activity=activity, title="改名")


def test_onsite_event_cannot_be_submitted_without_a_risk_assessment(station_worker, station):
    activity = make_activity(station, kind=Activity.Kind.ONSITE)

    with pytest.raises(ValidationError, match="须先填写风险评估"):
        services.activity_submit(actor=station_worker, activity=activity)
    assess(activity)
    services.activity_submit(actor=station_worker, activity=activity)

    assert Activity.objects.get(pk=activity.pk).status == S.SUBMITTED


def test_district_submission_notifies_city_admins_not_judges(
    district_officer, city_admin, judge, district
):
    activity = make_activity(district)

    services.activity_submit(actor=district_officer, activity=activity)

    assert Notification.objects.filter(recipient=city_admin).count() == 1
    assert not Notification.objects.filter(recipient=judge).exists()
