import pytest

from shegong.core.audit import audit_record
from shegong.core.models import AuditEntry


@pytest.fixture
def entries(city_admin, station, sibling_station):
    audit_record(actor=city_admin, action="unit.update", target=station, scope_path=station.path)
    audit_record(
        actor=city_admin,
        action="unit.update",
        target=sibling_station,
        changes={"contact_phone": ["", "13800138000"]},
        scope_path=sibling_station.path,
    )


def test_audit_list_city_admin_sees_all(login, city_admin, entries):
    content = login(city_admin).get("/console/audit/").content.decode()

    assert "秀英街道社工站" in content
    assert "中山街道社工站" in content
    assert "13800138000" in content


def test_audit_list_district_officer_sees_own_units_only(login, district_officer, entries):
    content = login(district_officer).get("/console/audit/").content.decode()

    assert "秀英街道社工站" in content
    assert "中山街道社工站" not in content


def test_audit_list_station_worker_is_forbidden(login, station_worker, entries):
    assert login(station_worker).get("/console/audit/").status_code == 403


def test_audit_list_filters_by_action(login, city_admin, entries, station):
    audit_record(actor=city_admin, action="user.create", target=station, scope_path=station.path)

    content = login(city_admin).get("/console/audit/?action=user.").content.decode()

    assert "新建了单位" in content
    assert "修改了单位" not in content


def test_audit_record_without_actor_is_system(db, station):
    entry = audit_record(actor=None, action="unit.purge", target=station)

    assert entry.actor is None
    assert AuditEntry.objects.get().target_repr == "秀英街道社工站"


@pytest.mark.parametrize("count", [1, 3])
def test_audit_list_query_count_is_constant(login, city_admin, station, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(count):
        audit_record(actor=city_admin, action=f"unit.x{n}", target=station, scope_path=station.path)
    client = login(city_admin)
    client.get("/console/audit/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/audit/")

    assert response.content.decode().count("操作（unit.x") == count
    assert len(queries) == 5  # links are looked up when followed, not for the list


def test_admin_lists_units_for_superuser(client, station):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="root", is_superuser=True, is_staff=True, role="city_admin")
    client.force_login(admin_user)

    assert "秀英街道社工站" in client.get("/admin/orgs/unit/").content.decode()


def test_audit_filter_drops_a_nul_byte(login, city_admin, city):
    # PostgreSQL refuses a NUL byte in any text: the filter was a server error there.
    audit_record(actor=city_admin, action="unit.update", target=city, scope_path=city.path)

    response = login(city_admin).get("/console/audit/", {"action": "unit\x00"})

    assert "修改了单位" in response.content.decode()


def test_audit_filter_longer_than_any_action_finds_nothing(login, city_admin, city):
    # SQLite refuses a LIKE pattern over 50,000 bytes: the filter was a server error there.
    audit_record(actor=city_admin, action="unit.update", target=city, scope_path=city.path)

    response = login(city_admin).get("/console/audit/", {"action": "unit." + "x" * 60_000})

    assert response.status_code == 200
    assert "暂无记录。" in response.content.decode()


def test_audit_reads_as_sentences_with_chinese_labels_and_links(
    login, city_admin, district_officer, station
):
    from shegong.helpdesk.services import helprequest_accept, helprequest_submit

    request = helprequest_submit(
        for_whom="self",
        category="elderly",
        description="母亲独居，需要上门探访",
        area=station,
        contact_name="李女士",
        phone="13800138000",
    )
    helprequest_accept(actor=district_officer, request=request, note="已电话联系")
    audit_record(
        actor=city_admin,
        action="unit.update",
        target=station,
        changes={"contact_phone": ["", "0898-68650001"], "is_active": [True, False]},
        scope_path=station.path,
    )

    client = login(city_admin)
    page = client.get("/console/audit/").content.decode()
    content = page.split("<tbody>")[1]  # the records, not the filter's options

    officer = f"{district_officer}（{district_officer.unit.name}）"
    accepted = AuditEntry.objects.get(action="helprequest.accepted")
    link = f'<a href="/console/audit/{accepted.pk}/open/">「求助 {request.display_code}」</a>'
    assert f"{officer} 受理了求助{link}" in content
    assert "状态：待受理 → 已受理" in content
    assert "helprequest.accepted" not in content
    assert "new → accepted" not in content
    unit_entry = AuditEntry.objects.get(action="unit.update")
    assert (
        f'修改了单位<a href="/console/audit/{unit_entry.pk}/open/">「秀英街道社工站」</a>'
        in content
    )
    assert "联系电话：0898-68650001" in content
    assert "is_active：是 → 否" in content  # not a field of a unit: its key, the value in words
    # Followed, a link opens the record's own page.
    opened = client.get(f"/console/audit/{accepted.pk}/open/")
    assert opened["Location"] == f"/console/helpdesk/{request.code}/"
    assert client.get(f"/console/audit/{unit_entry.pk}/open/")["Location"] == (
        f"/console/units/{station.code}/"
    )


def test_audit_link_outside_the_readers_scope_is_not_found(
    login, city_admin, sibling_officer, station
):
    entry = audit_record(
        actor=city_admin, action="unit.update", target=station, scope_path=station.path
    )

    assert login(sibling_officer).get(f"/console/audit/{entry.pk}/open/").status_code == 404


def test_audit_names_old_help_requests_with_their_dash(login, city_admin, station):
    audit_record(actor=None, action="helprequest.escalate", scope_path=station.path)
    from django.contrib.contenttypes.models import ContentType

    from shegong.helpdesk.models import HelpRequest

    entry = AuditEntry.objects.get()
    entry.target_type = ContentType.objects.get_for_model(HelpRequest)
    entry.target_id = "999999"
    entry.target_repr = "求助 HK23ABCD"  # as entries were written before
    entry.save()

    content = login(city_admin).get("/console/audit/").content.decode()

    assert "HK23-ABCD" in content


def test_audit_filters_by_an_action_chosen_from_a_list(login, city_admin, station):
    audit_record(actor=city_admin, action="unit.update", target=station, scope_path=station.path)
    audit_record(actor=city_admin, action="unit.create", target=station, scope_path=station.path)
    client = login(city_admin)

    page = client.get("/console/audit/").content.decode()
    assert '<select name="action" id="action">' in page
    assert '<optgroup label="单位">' in page
    assert '<option value="unit.update">修改</option>' in page
    assert "如 unit.update" not in page
    filtered = client.get("/console/audit/", {"action": "unit.update"}).content.decode()
    assert "修改了单位" in filtered
    assert "新建了单位" not in filtered
    assert '<option value="unit.update" selected>' in filtered


def test_every_action_the_services_record_has_words(db):
    """A new action without an entry in its app's audit_labels would show as a code."""
    import re
    from pathlib import Path

    from shegong.core.audit_text import audit_vocabulary

    root = Path(__file__).resolve().parents[2] / "shegong"
    recorded = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text()))
        recorded |= set(re.findall(r'"([a-z_]+\.[a-z_]+)" if \w+ else "', path.read_text()))
    known = audit_vocabulary().actions

    assert recorded
    assert sorted(recorded - set(known)) == []
