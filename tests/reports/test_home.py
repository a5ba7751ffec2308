import pytest


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("city_admin", "区级单位 2 个，社工站 3 个。"),
        ("district_officer", "区级单位 1 个，社工站 2 个。"),
        # A station's jurisdiction is itself: the district above it is not "its" district.
        ("station_worker", "管辖范围</h2>\n  <p>社工站 1 个。"),
    ],
)
def test_console_home_counts_the_users_jurisdiction(
    login, request, role, expected, station, second_station, sibling_station
):
    content = login(request.getfixturevalue(role)).get("/console/").content.decode()

    assert expected in content
