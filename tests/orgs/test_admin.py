"""The unit tree edited in the Django admin: adds and moves go through ``orgs.services``, so
the paths scoping relies on follow, and what each unit's users see follows with them."""

import pytest
from django.db import IntegrityError, transaction

from shegong.accounts.models import User
from shegong.core.models import AuditEntry
from shegong.orgs.models import Unit
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def superuser(city):
    return UserFactory(
        username="root", role=User.Role.CITY_ADMIN, unit=city, is_superuser=True, is_staff=True
    )


def _unit_form(**fields) -> dict:
    return {
        "area_name_en": "",
        "located_in_code": "",
        "contact_person": "",
        "contact_phone": "",
        **fields,
    }


def _units_seen(login, user) -> str:
    return login(user).get("/console/units/").content.decode()


def test_admin_added_district_scopes_its_officer_to_itself(login, superuser, city, station):
    response = login(superuser).post(
        "/admin/orgs/unit/add/",
        _unit_form(
            code="460199",
            division_code="460199",
            name="新设区民政局",
            area_name="新设区",
            area_kind="district",
            level="district",
            parent=city.pk,
        ),
    )

    assert response.status_code == 302
    added = Unit.objects.get(code="460199")
    assert added.path == "460100/460199/"
    officer = UserFactory(username="new-officer", role=User.Role.DISTRICT_OFFICER, unit=added)
    seen = _units_seen(login, officer)
    assert "新设区民政局" in seen
    assert "秀英街道社工站" not in seen
    assert "秀英区民政局" not in seen
    assert AuditEntry.objects.filter(action="unit.create", actor=superuser).count() == 1


def test_admin_moves_a_station_and_its_users_follow(
    login, superuser, district, sibling_district, district_officer, sibling_officer
):
    admin = login(superuser)
    admin.post(
        "/admin/orgs/unit/add/",
        _unit_form(
            code="460105099",
            division_code="460105099",
            name="新设街道社工站",
            area_name="新设街道",
            area_kind="street",
            level="station",
            parent=district.pk,
        ),
    )
    added = Unit.objects.get(code="460105099")
    worker = UserFactory(username="new-worker", role=User.Role.STATION_WORKER, unit=added)
    assert "新设街道社工站" in _units_seen(login, district_officer)
    assert "新设街道社工站" not in _units_seen(login, sibling_officer)

    response = admin.post(
        f"/admin/orgs/unit/{added.pk}/change/",
        _unit_form(
            division_code="460105099",
            name="新设街道社工站",
            area_name="新设街道",
            area_kind="street",
            parent=sibling_district.pk,
        ),
    )

    assert response.status_code == 302
    added.refresh_from_db()
    assert added.parent == sibling_district
    assert added.path == "460100/460106/460105099/"
    assert "新设街道社工站" not in _units_seen(login, district_officer)
    assert "新设街道社工站" in _units_seen(login, sibling_officer)
    worker_sees = _units_seen(login, worker)
    assert "新设街道社工站" in worker_sees
    assert "秀英区民政局" not in worker_sees
    move = AuditEntry.objects.get(action="unit.move", scope_path=sibling_district.path)
    assert move.changes["path"] == ["460100/460105/460105099/", "460100/460106/460105099/"]


def test_admin_refuses_a_station_under_the_city(login, superuser, city):
    response = login(superuser).post(
        "/admin/orgs/unit/add/",
        _unit_form(
            code="460100099",
            division_code="460100099",
            name="错位社工站",
            area_name="错位街道",
            area_kind="street",
            level="station",
            parent=city.pk,
        ),
    )

    assert response.status_code == 200
    assert "乡镇（街道）社工站的上级单位必须是区级单位。" in response.content.decode()
    assert not Unit.objects.filter(code="460100099").exists()


def test_admin_cannot_delete_a_unit(login, superuser, station):
    response = login(superuser).post(f"/admin/orgs/unit/{station.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Unit.objects.filter(pk=station.pk).exists()


def test_unit_path_can_never_be_empty_in_the_database(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(code="460177", parent=city, path="")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(code="460178", parent=city, path="460100/460105/")
