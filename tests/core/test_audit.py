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

    assert "user.create" in content
    assert "<code>unit.update</code>" not in content


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

    assert response.content.decode().count("<code>unit.x") == count
    assert len(queries) == 5


def test_admin_lists_units_for_superuser(client, station):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="root", is_superuser=True, is_staff=True, role="city_admin")
    client.force_login(admin_user)

    assert "秀英街道社工站" in client.get("/admin/orgs/unit/").content.decode()


def test_audit_filter_drops_a_nul_byte(login, city_admin, city):
    # PostgreSQL refuses a NUL byte in any text: the filter was a server error there.
    audit_record(actor=city_admin, action="unit.update", target=city, scope_path=city.path)

    response = login(city_admin).get("/console/audit/", {"action": "unit\x00"})

    assert "<code>unit.update</code>" in response.content.decode()


def test_audit_filter_longer_than_any_action_finds_nothing(login, city_admin, city):
    # SQLite refuses a LIKE pattern over 50,000 bytes: the filter was a server error there.
    audit_record(actor=city_admin, action="unit.update", target=city, scope_path=city.path)

    response = login(city_admin).get("/console/audit/", {"action": "unit." + "x" * 60_000})

    assert response.status_code == 200
    assert "暂无记录。" in response.content.decode()
