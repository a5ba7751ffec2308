"""The console menu, grouped by the work and showing each role only what it uses (issue #16)."""

from shegong.core.registry import MENU_GROUPS, menu_for


def _groups(user, path="/console/"):
    return [
        (group["label"], [item["label"] for item in group["items"]])
        for group in menu_for(user, path)
    ]


def test_the_city_admins_menu_starts_with_the_home_and_follows_the_work(city_admin):
    groups = _groups(city_admin)

    assert groups[0] == ("", ["工作台"])
    labels = [label for label, _ in groups]
    assert labels == sorted(labels, key=MENU_GROUPS.index)
    assert dict(groups)["求助"] == ["求助"]
    assert "审计日志" in dict(groups)["系统"]


def test_each_role_sees_only_what_it_uses(station_worker, district_officer, judge):
    station = dict(_groups(station_worker))
    district = dict(_groups(district_officer))

    assert "单位" not in station["社工站"]  # a station's unit list is itself
    assert "单位" in district["社工站"]
    assert "系统" not in station
    assert _groups(judge) == [("", ["工作台"]), ("评审", ["作品评审"])]


def test_one_entry_is_current_the_most_specific(city_admin):
    current = [
        item["label"]
        for group in menu_for(city_admin, "/console/activities/coverage/")
        for item in group["items"]
        if item["active"]
    ]

    assert current == ["媒体宣传"]


def test_the_console_page_names_the_person_and_the_unit_once(login, district_officer):
    content = login(district_officer).get("/console/").content.decode()
    header = content.split("</header>")[0]

    assert header.count(district_officer.unit.name) == 1
    assert str(district_officer) in header
