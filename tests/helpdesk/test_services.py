from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from shegong.accounts.models import Notification
from shegong.core.models import AuditEntry
from shegong.helpdesk import services
from shegong.helpdesk.models import (
    CODE_ALPHABET,
    CampaignSetting,
    HelpRequest,
    Note,
    TrackAttempt,
)
from tests.factories import CampaignFactory, UserFactory

from .conftest import FRIDAY, at

Status = HelpRequest.Status


def test_submit_routes_to_station_of_chosen_street(submit, station, station_worker):
    request = submit(station)

    assert request.unit == station
    assert request.status == Status.NEW
    assert AuditEntry.objects.filter(action="helprequest.submit", scope_path=station.path).exists()


def test_submit_routes_to_district_when_station_has_no_staff(submit, station, district):
    assert submit(station).unit == district


def test_submit_routes_to_district_when_the_only_user_at_the_station_is_a_judge(
    submit, station, district
):
    # A judge seated at a station sees no requests and gets no notifications of them.
    UserFactory(username="judge-at-station", role="judge", unit=station)

    assert submit(station).unit == district


def test_submit_routes_to_district_queue_when_no_street_chosen(submit, district, station_worker):
    assert submit(district).unit == district


def test_submit_code_is_eight_unambiguous_characters(submit, station):
    codes = {submit(station).code for _ in range(5)}

    assert len(codes) == 5
    for code in codes:
        assert len(code) == 8
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("O0I1LZ2S5B8")


def test_submit_keeps_only_normalised_phone_and_last_four(submit, station):
    request = submit(station, phone="+86 139 1234 5678")

    assert request.phone == "13912345678"
    assert request.phone_last4 == "5678"


@pytest.mark.parametrize(
    "text",
    ["我妈妈说不想活了，想轻生", "邻居家暴，经常打人", "我爸爸今天走失了", "My child is missing"],
)
def test_submit_with_danger_words_is_urgent(submit, station, text):
    request = submit(station, description=text)

    assert request.urgent
    assert request.danger_words


def test_submit_without_danger_words_is_not_urgent(submit, station):
    assert not submit(station, description="想咨询助餐服务。").urgent


def test_deadline_is_one_working_day_skipping_the_weekend(submit, station):
    assert submit(station, now=FRIDAY).respond_by == at(2023, 3, 13, 15, 0)
    assert submit(station, now=at(2023, 3, 11, 10, 0)).respond_by == at(2023, 3, 13, 10, 0)
    assert submit(station, now=at(2023, 3, 7, 9, 0)).respond_by == at(2023, 3, 8, 9, 0)


def test_deadline_follows_the_campaign_setting(submit, station, city):
    campaign = CampaignFactory(issuer=city)
    CampaignSetting.objects.create(campaign=campaign, first_response_working_days=3)

    request = submit(station, now=FRIDAY)

    assert request.campaign == campaign
    assert request.respond_by == at(2023, 3, 15, 15, 0)


def test_submit_limit_per_phone_per_day(submit, station):
    for n in range(django_settings.HELPDESK_LIMIT_PER_PHONE_PER_DAY):
        submit(station, phone="13912340000", description=f"需要助餐（{n}）")

    with pytest.raises(services.LimitReached, match="这个电话号码今天已提交"):
        submit(station, phone="13912340000", description="需要助餐（再次）")
    # A day later the phone may ask again.
    submit(station, phone="13912340000", now=FRIDAY + timedelta(days=1, minutes=1))


def test_submit_limits_follow_the_settings_at_call_time(submit, station, settings):
    settings.HELPDESK_LIMIT_PER_PHONE_PER_DAY = 1
    submit(station, phone="13912340000", description="需要助餐")

    with pytest.raises(services.LimitReached, match="这个电话号码今天已提交 1 次"):
        submit(station, phone="13912340000", description="需要助餐（再次）")


def test_submit_limit_per_address_per_day(submit, station):
    for _ in range(django_settings.HELPDESK_LIMIT_PER_IP_PER_DAY):
        submit(station, ip="10.9.9.9")

    with pytest.raises(services.LimitReached, match="今天从这台设备提交的求助已达上限"):
        submit(station, ip="10.9.9.9")
    assert HelpRequest.objects.count() == django_settings.HELPDESK_LIMIT_PER_IP_PER_DAY


def test_request_with_danger_words_passes_the_daily_limits(submit, station):
    # Earlier today this phone and this device used up both ordinary limits.
    per_phone = django_settings.HELPDESK_LIMIT_PER_PHONE_PER_DAY
    for n in range(django_settings.HELPDESK_LIMIT_PER_IP_PER_DAY):
        phone = "13912340000" if n < per_phone else f"1391234000{n}"
        submit(station, ip="10.9.9.9", phone=phone, description=f"需要助餐（{n}）")
    with pytest.raises(services.LimitReached):
        submit(station, ip="10.9.9.9", phone="13912340000", description="还需要助餐")

    urgent = submit(
        station, ip="10.9.9.9", phone="13912340000", description="邻居老人走失了，一直找不到"
    )

    assert urgent.urgent
    assert HelpRequest.objects.count() == django_settings.HELPDESK_LIMIT_PER_IP_PER_DAY + 1


def test_urgent_requests_stop_at_a_flood_cap(submit, station):
    for n in range(django_settings.HELPDESK_URGENT_LIMIT_PER_IP_PER_DAY):
        submit(station, ip="10.9.9.9", phone=f"139123400{n:02d}", description=f"家暴（{n}）")

    with pytest.raises(services.LimitReached, match="请立即拨打 110"):
        submit(station, ip="10.9.9.9", phone="13912349999", description="家暴，再次求助")


def test_address_is_stored_only_as_a_hash(submit, station):
    request = submit(station, ip="10.9.9.9")

    assert "10.9.9.9" not in request.ip_hash
    assert request.ip_hash == services.client_hash("10.9.9.9")


# --- state transitions -------------------------------------------------------------------


def _in_state(submit, station, worker, state):
    request = submit(station)
    if state == Status.NEW:
        return request
    if state in (Status.ACCEPTED, Status.IN_PROGRESS, Status.CLOSED):
        request = services.helprequest_accept(actor=worker, request=request, note="已受理")
    if state in (Status.IN_PROGRESS, Status.CLOSED):
        request = services.helprequest_start(actor=worker, request=request, note="上门")
    if state == Status.CLOSED:
        request = services.helprequest_close(actor=worker, request=request, outcome="已解决")
    if state == Status.REJECTED:
        request = services.helprequest_reject(
            actor=worker, request=request, reason="duplicate", note="重复"
        )
    if state == Status.REFERRED:
        request = services.helprequest_refer(
            actor=worker, request=request, partner="某社工机构", note="转介"
        )
    return request


ACTIONS = {
    "accept": lambda w, r: services.helprequest_accept(actor=w, request=r, note="受理"),
    "start": lambda w, r: services.helprequest_start(actor=w, request=r, note="开始"),
    "close": lambda w, r: services.helprequest_close(actor=w, request=r, outcome="办结"),
    "reject": lambda w, r: services.helprequest_reject(
        actor=w, request=r, reason="out_of_scope", note="不属于服务范围"
    ),
    "refer": lambda w, r: services.helprequest_refer(
        actor=w, request=r, partner="心连心社工中心", note="转介"
    ),
}
ALLOWED = {
    (Status.NEW, "accept"): Status.ACCEPTED,
    (Status.NEW, "reject"): Status.REJECTED,
    (Status.NEW, "refer"): Status.REFERRED,
    (Status.ACCEPTED, "start"): Status.IN_PROGRESS,
    (Status.ACCEPTED, "close"): Status.CLOSED,
    (Status.ACCEPTED, "reject"): Status.REJECTED,
    (Status.ACCEPTED, "refer"): Status.REFERRED,
    (Status.IN_PROGRESS, "close"): Status.CLOSED,
    (Status.IN_PROGRESS, "reject"): Status.REJECTED,
    (Status.IN_PROGRESS, "refer"): Status.REFERRED,
}
ALL_PAIRS = [(state, action) for state in Status.values for action in ACTIONS]


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS)
def test_transition_allowed_or_refused(submit, station, station_worker, state, action):
    request = _in_state(submit, station, station_worker, state)

    if (state, action) in ALLOWED:
        moved = ACTIONS[action](station_worker, request)
        assert moved.status == ALLOWED[(state, action)]
        note = Note.objects.filter(request=request).last()
        assert note.status_from == state
        assert note.status_to == moved.status
        assert note.author == station_worker
    else:
        with pytest.raises(ValidationError, match="不能"):
            ACTIONS[action](station_worker, request)
        request.refresh_from_db()
        assert request.status == state


def test_transition_needs_a_note(submit, station, station_worker):
    request = submit(station)

    with pytest.raises(ValidationError, match="请填写处理说明"):
        services.helprequest_accept(actor=station_worker, request=request, note=" ")


def test_close_needs_an_outcome(submit, station, station_worker):
    request = _in_state(submit, station, station_worker, Status.ACCEPTED)

    with pytest.raises(ValidationError, match="请填写办结结果"):
        services.helprequest_close(actor=station_worker, request=request, outcome="")


def test_first_response_time_is_set_once(submit, station, station_worker):
    request = submit(station)
    accepted = services.helprequest_accept(
        actor=station_worker, request=request, note="受理", now=at(2023, 3, 10, 16, 0)
    )
    started = services.helprequest_start(
        actor=station_worker, request=accepted, note="上门", now=at(2023, 3, 11, 9, 0)
    )

    assert started.first_response_at == at(2023, 3, 10, 16, 0)


def test_refer_to_another_unit_requeues_there(
    submit, station, second_station, station_worker, district
):
    UserFactory(username="haixiu", role="station_worker", unit=second_station)
    request = submit(station)

    moved = services.helprequest_refer(
        actor=station_worker, request=request, unit=second_station, note="属于海秀街道",
        now=at(2023, 3, 13, 9, 0),
    )  # fmt: skip

    assert moved.unit == second_station
    assert moved.status == Status.NEW
    assert moved.respond_by == at(2023, 3, 14, 9, 0)
    assert not HelpRequest.objects.visible_to(station_worker).filter(pk=request.pk).exists()


def test_refer_needs_exactly_one_target(submit, station, second_station, station_worker):
    request = submit(station)

    with pytest.raises(ValidationError, match="二选一"):
        services.helprequest_refer(actor=station_worker, request=request, note="转介")
    with pytest.raises(ValidationError, match="二选一"):
        services.helprequest_refer(
            actor=station_worker, request=request, note="转介", unit=second_station, partner="X"
        )


def test_rate_only_when_closed_and_only_once(submit, station, station_worker):
    request = _in_state(submit, station, station_worker, Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match="办结后才能评价"):
        services.helprequest_rate(request=request, rating=5)

    request = services.helprequest_close(actor=station_worker, request=request, outcome="好了")
    services.helprequest_rate(request=request, rating=4, comment="谢谢社工")
    with pytest.raises(ValidationError, match="已经评价过"):
        services.helprequest_rate(request=request, rating=1)

    request.refresh_from_db()
    assert (request.rating, request.rating_comment) == (4, "谢谢社工")


# --- deadlines, escalation, purge ----------------------------------------------------------


def test_overdue_only_after_the_deadline(submit, station):
    request = submit(station, now=FRIDAY)

    assert not HelpRequest.objects.overdue(at(2023, 3, 13, 14, 59)).exists()
    assert list(HelpRequest.objects.overdue(at(2023, 3, 13, 15, 1))) == [request]


def test_escalate_notifies_the_district_once(
    submit, station, station_worker, district, district_officer
):
    request = submit(station, now=FRIDAY)
    answered = submit(station, now=FRIDAY)
    services.helprequest_accept(actor=station_worker, request=answered, note="受理")

    call_command("helpdesk_escalate", now="2023-03-13T15:00")  # deadline not yet passed
    request.refresh_from_db()
    assert request.escalated_at is None

    call_command("helpdesk_escalate", now="2023-03-13T15:30")
    call_command("helpdesk_escalate", now="2023-03-13T16:30")

    request.refresh_from_db()
    assert request.escalated_at == at(2023, 3, 13, 15, 30)
    inbox = Notification.objects.filter(recipient=district_officer, message__contains="逾期")
    assert [n.message for n in inbox] == [
        f"【逾期】求助 {request.display_code} 超过首次响应期限未受理"
    ]
    answered.refresh_from_db()
    assert answered.escalated_at is None


def test_purge_clears_contacts_after_retention_but_tracking_still_works(
    submit, station, station_worker
):
    old = _in_state(submit, station, station_worker, Status.CLOSED)
    HelpRequest.objects.filter(pk=old.pk).update(updated_at=at(2022, 1, 1, 9, 0))
    open_request = submit(station)
    HelpRequest.objects.filter(pk=open_request.pk).update(updated_at=at(2022, 1, 1, 9, 0))

    TrackAttempt.objects.create(at=at(2023, 1, 1, 9, 0), ip_hash="x", code=old.code)
    TrackAttempt.objects.create(at=at(2023, 3, 1, 9, 0), ip_hash="y", code=old.code)

    call_command("helpdesk_purge", now="2023-03-10T09:00")

    old.refresh_from_db()
    open_request.refresh_from_db()
    assert (old.contact_name, old.phone) == ("", "")
    assert old.purged_at is not None
    assert open_request.phone  # still being handled: kept
    assert list(TrackAttempt.objects.values_list("ip_hash", flat=True)) == ["y"]
    tracked = services.helprequest_track(code=old.code, last4=old.phone_last4, ip="10.1.1.1")
    assert tracked == old


# --- stored first, notified after ----------------------------------------------------------


def test_submit_notifies_the_unit_after_commit(
    submit, station, station_worker, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        request = submit(station)

    request.refresh_from_db()
    assert request.notified_at is not None
    assert Notification.objects.filter(
        recipient=station_worker, message__contains=request.display_code
    ).exists()


def test_failing_notifier_loses_nothing_and_is_retried(
    submit, station, station_worker, django_capture_on_commit_callbacks, settings
):
    """The staff inbox cannot be written (its table is gone for a moment, as when the database
    refuses it): the request stays, and the notice goes out on the next run."""
    from django.db import connection

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    inbox = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {inbox} RENAME TO {inbox}_down")
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(station)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {inbox}_down RENAME TO {inbox}")

    request.refresh_from_db()
    assert request.notified_at is None
    assert request.notify_attempts == 1
    assert not Notification.objects.exists()

    call_command("helpdesk_escalate", now="2023-03-10T15:05")

    request.refresh_from_db()
    assert request.notified_at is not None
    assert Notification.objects.filter(recipient=station_worker).count() == 1


def test_submit_same_words_twice_returns_the_stored_request(submit, station, station_worker):
    first = submit(station, phone="13912340000")
    again = submit(station, phone="13912340000", now=FRIDAY + timedelta(minutes=2))
    later = submit(station, phone="13912340000", now=FRIDAY + timedelta(minutes=30))

    assert again.pk == first.pk
    assert later.pk != first.pk
    assert HelpRequest.objects.count() == 2


def test_refer_to_a_station_nobody_staffs_is_refused(
    submit, station, second_station, station_worker, district
):
    # Nobody would be told and nobody could open it: the request would wait for escalation.
    request = submit(station)

    with pytest.raises(ValidationError, match="暂无工作人员"):
        services.helprequest_refer(
            actor=station_worker, request=request, unit=second_station, note="属于海秀街道"
        )
    moved = services.helprequest_refer(
        actor=station_worker, request=request, unit=district, note="请区里分派"
    )

    assert moved.unit == district


def test_rate_twice_at_once_keeps_the_first(submit, station, station_worker):
    # Two taps on "submit": both requests loaded the row before either saved it.
    request = _in_state(submit, station, station_worker, Status.IN_PROGRESS)
    services.helprequest_close(actor=station_worker, request=request, outcome="好了")
    first = HelpRequest.objects.get(pk=request.pk)
    second = HelpRequest.objects.get(pk=request.pk)

    services.helprequest_rate(request=first, rating=5, comment="很好")
    with pytest.raises(ValidationError, match="已经评价过"):
        services.helprequest_rate(request=second, rating=1)

    request.refresh_from_db()
    assert (request.rating, request.rating_comment) == (5, "很好")
