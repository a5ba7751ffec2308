import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.orgs.models import Unit
from tests.factories import station_unit


def test_unit_list_district_officer_sees_own_stations_only(
    login, district_officer, station, second_station, sibling_station
):
    response = login(district_officer).get("/console/units/")

    content = response.content.decode()
    assert "秀英街道社工站" in content
    assert "海秀街道社工站" in content
    assert "中山街道社工站" not in content
    assert "龙华区民政局" not in content


def test_unit_list_station_worker_sees_own_station_not_siblings(
    login, station_worker, second_station, sibling_station
):
    content = login(station_worker).get("/console/units/").content.decode()

    assert "秀英街道社工站" in content
    assert "海秀街道社工站" not in content
    assert "中山街道社工站" not in content


def test_unit_list_city_admin_sees_every_unit(login, city_admin, station, sibling_station):
    content = login(city_admin).get("/console/units/").content.decode()

    assert "秀英街道社工站" in content
    assert "中山街道社工站" in content


def test_unit_list_filters_by_level(login, city_admin, station, district):
    content = login(city_admin).get("/console/units/?level=station").content.decode()

    assert "秀英街道社工站" in content
    assert "秀英区民政局</a>" not in content


def test_unit_list_requires_login(anonymous, station):
    response = anonymous.get("/console/units/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("user_fixture", ["district_officer", "station_worker"])
def test_unit_detail_of_sibling_district_is_not_found(
    request, login, user_fixture, sibling_station
):
    user = request.getfixturevalue(user_fixture)

    assert login(user).get(f"/console/units/{sibling_station.code}/").status_code == 404
    assert login(user).get(f"/console/units/{sibling_station.code}/edit/").status_code == 404


def test_unit_detail_shows_children_in_scope(login, district_officer, district, station):
    content = login(district_officer).get(f"/console/units/{district.code}/").content.decode()

    assert "下级单位" in content
    assert "秀英街道社工站" in content


def test_unit_edit_of_visible_parent_is_forbidden(login, station_worker, district):
    client = login(station_worker)

    assert client.get(f"/console/units/{district.code}/").status_code == 200
    response = client.post(
        f"/console/units/{district.code}/edit/",
        {"contact_person": "张三", "contact_phone": "13800138000"},
    )
    assert response.status_code == 403
    district.refresh_from_db()
    assert district.contact_person == ""


def test_unit_edit_saves_normalised_phone(login, district_officer, station):
    response = login(district_officer).post(
        f"/console/units/{station.code}/edit/",
        {"contact_person": "王芳", "contact_phone": "+86 138 0013 8000"},
    )

    assert response.status_code == 302
    station.refresh_from_db()
    assert station.contact_phone == "13800138000"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact_person": "王芳", "contact_phone": "12345"}, "请填写正确的电话号码"),
        ({"contact_person": "", "contact_phone": "13800138000"}, "请填写联系人姓名。"),
        ({"contact_person": "王芳", "contact_phone": ""}, "请填写联系电话。"),
        ({"contact_person": "王" * 51, "contact_phone": "13800138000"}, "不能超过 50 个字"),
    ],
)
def test_unit_edit_bad_input_keeps_what_was_typed(login, district_officer, station, data, message):
    response = login(district_officer).post(f"/console/units/{station.code}/edit/", data)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    for value in data.values():
        if value:
            assert f'value="{value}"' in content
    station.refresh_from_db()
    assert station.contact_person == ""


@pytest.mark.parametrize("extra_stations", [1, 3])
def test_unit_list_query_count_is_constant(login, district_officer, district, extra_stations):
    for n in range(extra_stations):
        station_unit(district, f"46010510{n}", f"测试镇{n}")
    client = login(district_officer)
    client.get("/console/units/")  # warm the session and content-type caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/units/")

    assert response.status_code == 200
    assert Unit.objects.stations().count() == extra_stations
    assert len(queries) == 4


def test_superuser_without_a_role_gets_the_units_menu(login, city):
    from shegong.accounts.models import User
    from tests.factories import UserFactory

    root = UserFactory(
        username="root", role=User.Role.JUDGE, unit=None, is_superuser=True, is_staff=True
    )

    page = login(root).get("/console/").content.decode()

    assert 'href="/console/units/"' in page
