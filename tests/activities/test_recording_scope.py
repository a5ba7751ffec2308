"""Who may record an activity for which unit, decided once (docs/architecture.md): a district
officer for their own unit and the stations under it, a station worker for their own station.
The activity form offers exactly the units the Excel import accepts."""

import re

from shegong.activities.excel import ledger_import
from shegong.activities.models import Activity
from shegong.orgs.models import Unit

from .test_excel import row, workbook


def _offered_units(login, user) -> set[str]:
    page = login(user).get("/console/activities/new/").content.decode()
    select = re.search(r'<select name="unit".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option value="([^"]+)"', select))


def _importable_units(user) -> set[str]:
    accepted = set()
    for unit in Unit.objects.all():
        report = ledger_import(actor=user, source=workbook([row(unit=unit.code)]))
        if report.ok:
            accepted.add(unit.code)
    return accepted


def _post(login, user, unit_code: str, title: str):
    return login(user).post(
        "/console/activities/new/",
        {
            "unit": unit_code,
            "kind": "visit_hospital",
            "title": title,
            "starts_at": "2023-03-21T09:30",
        },
    )


def test_district_officer_records_for_a_station_under_it(
    login, district_officer, station, sibling_station
):
    response = _post(login, district_officer, station.code, "秀英区代站点登记")

    activity = Activity.objects.get(title="秀英区代站点登记")
    assert activity.unit == station
    assert response["Location"] == f"/console/activities/{activity.pk}/"
    edit = login(district_officer).get(f"/console/activities/{activity.pk}/edit/")
    assert "秀英区代站点登记" in edit.content.decode()


def test_district_officer_cannot_record_for_a_sibling_districts_station(
    login, district_officer, station, sibling_station
):
    response = _post(login, district_officer, sibling_station.code, "越界登记")

    assert "所选单位不在您可登记的范围内" in response.content.decode()
    assert 'value="越界登记"' in response.content.decode()
    assert not Activity.objects.filter(title="越界登记").exists()


def test_station_worker_records_for_their_station_only(
    login, station_worker, station, second_station
):
    refused = _post(login, station_worker, second_station.code, "邻站登记")
    _post(login, station_worker, station.code, "本站登记")

    assert "所选单位不在您可登记的范围内" in refused.content.decode()
    assert Activity.objects.get(title="本站登记").unit == station
    assert not Activity.objects.filter(title="邻站登记").exists()


def test_the_form_offers_what_the_import_accepts(
    login, district_officer, station_worker, station, second_station, sibling_station
):
    for user in (district_officer, station_worker):
        assert _offered_units(login, user) == _importable_units(user)
    assert _offered_units(login, district_officer) == {"460105", "460105001", "460105002"}
    assert _offered_units(login, station_worker) == {"460105001"}
