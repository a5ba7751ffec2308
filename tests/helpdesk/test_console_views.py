import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.helpdesk.models import AccessLogEntry, HelpRequest
from tests.factories import UserFactory


def test_queue_masks_phones(login, submit, station, station_worker):
    submit(station, phone="13912345678", contact_name="王阿姨")

    content = login(station_worker).get("/console/helpdesk/").content.decode()

    assert "139****5678" in content
    assert "13912345678" not in content
    assert "王阿姨" not in content
    assert not AccessLogEntry.objects.exists()


def test_queue_district_officer_sees_own_stations_not_sibling_district(
    login, submit, district_officer, station, second_station, sibling_station, sibling_worker
):
    mine = submit(station)
    other_station = submit(second_station)
    sibling = submit(sibling_station)

    content = login(district_officer).get("/console/helpdesk/").content.decode()

    assert mine.display_code in content
    assert other_station.display_code in content
    assert sibling.display_code not in content


def test_queue_station_worker_sees_only_own_station(
    login, submit, station_worker, station, second_station, district
):
    mine = submit(station)
    neighbour_station = submit(second_station)  # no staff there: the district's queue
    district_queue = submit(district)

    content = login(station_worker).get("/console/helpdesk/").content.decode()

    assert mine.display_code in content
    assert neighbour_station.display_code not in content
    assert district_queue.display_code not in content


def test_queue_filters_by_status_and_overdue(login, submit, station, station_worker):
    fresh = submit(station)
    HelpRequest.objects.filter(pk=fresh.pk).update(respond_by="2999-01-01T00:00:00Z")
    late = submit(station)
    accepted = submit(station)
    HelpRequest.objects.filter(pk=accepted.pk).update(status="accepted")
    client = login(station_worker)

    overdue = client.get("/console/helpdesk/?overdue=1").content.decode()
    by_status = client.get("/console/helpdesk/?status=accepted").content.decode()

    assert late.display_code in overdue
    assert fresh.display_code not in overdue
    assert accepted.display_code in by_status
    assert late.display_code not in by_status


def test_queue_is_not_for_judges(login, judge):
    assert login(judge).get("/console/helpdesk/").status_code == 403


def test_queue_requires_login(anonymous):
    response = anonymous.get("/console/helpdesk/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("count", [1, 3])
def test_queue_query_count_is_constant(login, submit, district_officer, station, count):
    for _ in range(count):
        submit(station)
    client = login(district_officer)
    client.get("/console/helpdesk/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/helpdesk/")

    assert response.status_code == 200
    assert response.content.decode().count('data-status="new"') == count
    assert len(queries) == 5


@pytest.mark.parametrize("count", [1, 3])
def test_access_log_query_count_is_constant(login, submit, city_admin, station, count):
    client = login(city_admin)
    for _ in range(count):
        client.get(f"/console/helpdesk/{submit(station).code}/")
    client.get("/console/helpdesk/access-log/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/helpdesk/access-log/")

    assert response.content.decode().count("<td>督办检查</td>") == count
    assert len(queries) == 5


def test_detail_shows_full_contact_and_logs_the_view(login, submit, station, station_worker):
    request = submit(station, phone="13912345678", contact_name="王阿姨")

    content = login(station_worker).get(f"/console/helpdesk/{request.code}/").content.decode()

    assert "13912345678" in content
    assert "王阿姨" in content
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.request, entry.action) == (station_worker, request, "view")


@pytest.mark.parametrize("user_fixture", ["sibling_officer", "sibling_worker"])
def test_detail_of_other_district_is_not_found_and_not_logged(
    request, login, submit, station, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    help_request = submit(station)

    client = login(user)
    assert client.get(f"/console/helpdesk/{help_request.code}/").status_code == 404
    response = client.post(
        f"/console/helpdesk/{help_request.code}/act/", {"action": "accept", "note": "受理"}
    )
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_detail_of_sibling_station_is_not_found(login, submit, second_station, district, station):
    from tests.factories import UserFactory

    worker = UserFactory(username="w2", role="station_worker", unit=station)
    request = submit(second_station)  # routed to the district: no staff at 海秀街道

    assert login(worker).get(f"/console/helpdesk/{request.code}/").status_code == 404


def test_city_admin_may_audit_but_not_handle(login, submit, station, station_worker, city_admin):
    # Full contact details are for the assigned unit and its district only (issue 5).
    request = submit(station, phone="13912345678", contact_name="王阿姨")
    client = login(city_admin)

    content = client.get(f"/console/helpdesk/{request.code}/").content.decode()
    response = client.post(
        f"/console/helpdesk/{request.code}/act/", {"action": "accept", "note": "受理"}
    )

    assert "139****5678" in content
    assert "13912345678" not in content
    assert "王阿姨" not in content
    assert "tel:" not in content
    assert response.status_code == 403
    # The refusal says why, not the general "您可以查看这项内容，但无权修改".
    assert "市局只查看求助、不处理" in response.content.decode()
    assert AccessLogEntry.objects.filter(user=city_admin).count() == 1
    request.refresh_from_db()
    assert request.status == "new"


def test_station_worker_accepts_and_closes(login, submit, station, station_worker):
    request = submit(station)
    client = login(station_worker)

    response = client.post(
        f"/console/helpdesk/{request.code}/act/",
        {"action": "accept", "note": "已受理，明天上门。", "public": "on"},
        follow=True,
    )
    assert "已受理：求助" in response.content.decode()
    client.post(
        f"/console/helpdesk/{request.code}/act/",
        {"action": "close", "outcome": "已链接助餐服务。", "note": "", "public": "on"},
    )

    request.refresh_from_db()
    assert request.status == "closed"
    assert request.outcome == "已链接助餐服务。"
    assert list(request.notes.values_list("public", flat=True)) == [True, True, True]


def test_district_officer_handles_requests_of_its_stations(
    login, submit, station, station_worker, district_officer
):
    request = submit(station)

    login(district_officer).post(
        f"/console/helpdesk/{request.code}/act/",
        {"action": "reject", "reason": "duplicate", "note": "与 ABCD 重复"},
    )

    request.refresh_from_db()
    assert (request.status, request.reject_reason) == ("rejected", "duplicate")


def test_refused_transition_shows_the_reason(login, submit, station, station_worker):
    request = submit(station)

    response = login(station_worker).post(
        f"/console/helpdesk/{request.code}/act/", {"action": "close", "outcome": "好", "note": ""}
    )

    assert response.status_code == 200
    assert "当前状态为「待受理」，不能办结。" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "new"


def test_refer_to_another_unit_from_the_console(
    login, submit, station, station_worker, second_station
):
    # Within the district; across districts only through the district bureaus (issue #14,
    # tests/core/test_security_referral.py).
    UserFactory(username="haixiu", role="station_worker", unit=second_station)
    request = submit(station)

    response = login(station_worker).post(
        f"/console/helpdesk/{request.code}/act/",
        {"action": "refer", "unit": second_station.code, "note": "住址在海秀街道"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/console/helpdesk/"
    request.refresh_from_db()
    assert request.unit == second_station
    assert request.status == "new"


def test_access_log_page_is_for_the_city_only(
    login, submit, station, station_worker, city_admin, district_officer
):
    request = submit(station)
    login(station_worker).get(f"/console/helpdesk/{request.code}/")

    content = login(city_admin).get("/console/helpdesk/access-log/").content.decode()

    assert request.display_code in content
    assert "worker" in content
    assert login(district_officer).get("/console/helpdesk/access-log/").status_code == 403
    assert login(station_worker).get("/console/helpdesk/access-log/").status_code == 403


def test_console_waiting_counts_new_and_overdue_for_own_unit(
    submit, station, station_worker, sibling_station, sibling_worker
):
    submit(station)
    submit(station)
    submit(sibling_station)
    config = apps.get_app_config("helpdesk")

    items = {item.label: item.count for item in config.console_waiting(station_worker)}

    assert items["待受理的求助"] == 2
    assert items["逾期未受理的求助"] == 2  # submitted on a fixed Friday in 2023


def test_console_home_lists_waiting_requests(login, submit, station, station_worker):
    submit(station)

    content = login(station_worker).get("/console/").content.decode()

    assert "待受理的求助" in content


def test_console_stays_chinese_for_an_english_browser(login, submit, station, station_worker):
    request = submit(station)

    content = (
        login(station_worker)
        .get(f"/console/helpdesk/{request.code}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )

    assert "待受理" in content
    assert "Waiting" not in content


def test_console_waiting_for_district_counts_overdue_of_its_stations(
    submit, station, station_worker, district, district_officer
):
    submit(station)
    submit(district)
    config = apps.get_app_config("helpdesk")

    items = {item.label: item.count for item in config.console_waiting(district_officer)}

    assert items["待受理的求助"] == 1
    assert items["逾期未受理的求助"] == 2


def test_htmx_action_swaps_the_detail_and_logs_the_view(login, submit, station, station_worker):
    request = submit(station)

    response = login(station_worker).post(
        f"/console/helpdesk/{request.code}/act/",
        {"action": "accept", "note": "已受理", "public": "on"},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert content.startswith('<div id="request-detail">')
    assert "已受理：求助" in content
    assert "<html" not in content
    assert AccessLogEntry.objects.filter(user=station_worker).count() == 1


def test_htmx_refused_action_shows_the_reason_in_place(login, submit, station, station_worker):
    request = submit(station)

    response = login(station_worker).post(
        f"/console/helpdesk/{request.code}/act/",
        {"action": "start", "note": "开始"},
        HTTP_HX_REQUEST="true",
    )

    assert "当前状态为「待受理」，不能开始处理。" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_station_worker_never_sees_a_sibling_station_with_its_own_staff(
    login, submit, station, station_worker, second_station
):
    from tests.factories import UserFactory

    UserFactory(username="haixiu", role="station_worker", unit=second_station)
    theirs = submit(second_station)
    assert theirs.unit == second_station
    client = login(station_worker)

    assert theirs.display_code not in client.get("/console/helpdesk/").content.decode()
    assert client.get(f"/console/helpdesk/{theirs.code}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/console/helpdesk/%00/",
        "/console/helpdesk/AB%00CDEF/",
        "/console/helpdesk/access-log/?code=%00",
    ],
)
def test_console_urls_with_a_nul_byte_do_not_crash(login, city_admin, url):
    # PostgreSQL refuses NUL in a text parameter: the query must never reach it.
    response = login(city_admin).get(url)

    assert response.status_code in (200, 404)


def test_act_with_a_nul_byte_in_the_code_is_not_found(login, station_worker):
    response = login(station_worker).post(
        "/console/helpdesk/AB%00CDEF/act/", {"action": "accept", "note": "受理"}
    )

    assert response.status_code == 404


def test_access_log_filter_accepts_the_code_as_shown(login, submit, station, city_admin):
    request = submit(station)
    from shegong.helpdesk.services import access_log_record

    access_log_record(user=city_admin, request=request)
    client = login(city_admin)

    content = client.get(
        f"/console/helpdesk/access-log/?code={request.display_code.lower()}"
    ).content.decode()

    assert request.display_code in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "delete", "note": "删掉"}, "请选择操作。"),
        ({"action": "reject", "reason": "spam", "note": "广告"}, "请选择不予受理的原因。"),
        ({"action": "close", "outcome": "好" * 2001}, "办结结果不能超过 2000 个字。"),
        (
            {"action": "refer", "partner": "机" * 101, "note": "转"},
            "合作机构名称不能超过 100 个字。",
        ),
    ],
)
def test_act_with_bad_values_gets_a_specific_message(
    login, submit, station, station_worker, data, message
):
    request = submit(station)

    response = login(station_worker).post(f"/console/helpdesk/{request.code}/act/", data)

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    request.refresh_from_db()
    assert request.status == "new"


def test_district_waiting_link_lists_what_it_counts(
    login, submit, station, station_worker, district, district_officer
):
    at_station = submit(station)
    in_district_queue = submit(district)
    config = apps.get_app_config("helpdesk")
    waiting = {item.label: item for item in config.console_waiting(district_officer)}

    content = login(district_officer).get(waiting["待受理的求助"].url).content.decode()

    assert waiting["待受理的求助"].count == 1
    assert in_district_queue.display_code in content
    assert at_station.display_code not in content


def test_one_viewing_with_its_actions_is_one_row_with_its_purpose(
    login, submit, station, station_worker
):
    """Opening a request and accepting, starting and noting it on the same page wrote 7
    'view' rows in 20 seconds: it is one viewing, logged once, with why."""
    request = submit(station, phone="13912345678")
    client = login(station_worker)
    url = f"/console/helpdesk/{request.code}/"
    htmx = {"HX-Request": "true"}

    client.get(url)
    for action in ("accept", "start", "note"):
        response = client.post(f"{url}act/", {"action": action, "note": "已联系"}, headers=htmx)
        assert "13912345678" in response.content.decode()
    client.post(f"{url}act/", {"action": "note", "note": "无脚本也一样"})  # a plain form
    client.get(url)  # where the plain form's redirect lands

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.request, entry.purpose) == (station_worker, request, "handle")


def test_a_new_viewing_after_a_while_is_logged_again(submit, station, station_worker):
    from datetime import timedelta

    from django.utils import timezone

    from shegong.helpdesk.services import VIEWING, access_log_record

    request = submit(station)
    first = timezone.now()

    access_log_record(user=station_worker, request=request, now=first)
    access_log_record(user=station_worker, request=request, now=first + VIEWING / 2)
    access_log_record(user=station_worker, request=request, now=first + VIEWING + timedelta(1))

    assert AccessLogEntry.objects.count() == 2


def test_access_log_names_the_purpose_of_each_viewing(
    login, submit, station, station_worker, city_admin
):
    request = submit(station)
    login(station_worker).get(f"/console/helpdesk/{request.code}/")
    client = login(city_admin)
    client.get(f"/console/helpdesk/{request.code}/")

    content = client.get("/console/helpdesk/access-log/").content.decode()

    assert "<td>办理求助</td>" in content
    assert "<td>督办检查</td>" in content
    assert "<td>view</td>" not in content


def _offered(content: str) -> list[str]:
    import re

    return re.findall(r'<details class="action" data-action="(\w+)"', content)


def test_detail_offers_only_the_actions_the_state_allows(login, submit, station, station_worker):
    request = submit(station)
    client = login(station_worker)
    url = f"/console/helpdesk/{request.code}/"

    assert _offered(client.get(url).content.decode()) == ["accept", "reject", "refer", "note"]
    client.post(f"{url}act/", {"action": "accept", "note": "已受理"})
    assert _offered(client.get(url).content.decode()) == [
        "start", "close", "reject", "refer", "note"
    ]  # fmt: skip
    client.post(f"{url}act/", {"action": "close", "outcome": "已上门。"})
    content = client.get(url).content.decode()

    # Nothing the state machine would refuse after 已办结: only a remark.
    assert _offered(content) == ["note"]
    assert "确认受理" not in content
    assert "确认开始处理" not in content


def test_each_action_opens_only_its_own_fields(login, submit, station, station_worker):
    import re

    request = submit(station)
    content = login(station_worker).get(f"/console/helpdesk/{request.code}/").content.decode()
    forms = dict(re.findall(r'data-action="(\w+)"[^>]*>(.*?)</details>', content, flags=re.S))

    def names(action):
        return set(re.findall(r'name="(\w+)"', forms[action])) - {"csrfmiddlewaretoken"}

    assert names("accept") == {"action", "note", "public"}
    assert names("reject") == {"action", "reason", "note", "public"}
    assert names("refer") == {"action", "unit", "partner", "note", "public"}
    # Ids stay unique although every form has a 处理说明.
    ids = re.findall(r'\sid="([^"]+)"', content)
    assert len(ids) == len(set(ids))


def test_a_failed_action_reopens_its_form_with_what_was_typed(
    login, submit, station, station_worker, second_station
):
    request = submit(station)

    content = (
        login(station_worker)
        .post(
            f"/console/helpdesk/{request.code}/act/",
            {"action": "refer", "unit": "", "partner": "", "note": "住址在别的街道"},
        )
        .content.decode()
    )

    assert '<details class="action" data-action="refer" open>' in content
    assert "请选择转介的单位，或填写合作机构名称（二选一）。" in content
    assert "住址在别的街道" in content
    assert '<details class="action" data-action="accept" open>' not in content
