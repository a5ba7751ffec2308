import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.core.models import AuditEntry
from shegong.core.registry import waiting_items
from shegong.directory.models import StationListing
from tests.factories import station_unit

from .conftest import make_listing


def _post_data(listing, **overrides):
    data = {
        "name": listing.name,
        "summary": "为老人和儿童服务",
        "address": "海口市秀英区人民路2号",
        "latitude": "20.0171",
        "longitude": "110.2836",
        "hours": "周一至周五",
        "phone": "0898 6865 0002",
        "process_steps": "来电\n登记\n服务",
        "staff-TOTAL_FORMS": "2",
        "staff-INITIAL_FORMS": "0",
        "staff-0-name": "李明",
        "staff-0-role": "站长",
        "staff-0-qualification": "social_worker",
        "staff-1-name": "",
        "staff-1-role": "",
        "staff-1-qualification": "assistant",
        "services-TOTAL_FORMS": "1",
        "services-INITIAL_FORMS": "0",
        "services-0-id": str(listing.services.first().pk),
        "services-0-name": "高龄老人探访",
        "services-0-category": "elderly",
        "services-0-target_group": "80 岁以上老人",
        "services-0-description": "每月上门",
        "services-0-eligibility": "",
        "services-0-fee": "免费",
        "services-0-how_to_apply": "电话",
    }
    data.update(overrides)
    return data


def test_listing_list_district_officer_sees_own_district_only(
    login, district_officer, listing, sibling_listing
):
    content = login(district_officer).get("/console/directory/").content.decode()

    assert "秀英街道社工站" in content
    assert "中山街道社工站" not in content


def test_listing_edit_of_sibling_district_is_not_found(login, station_worker, sibling_listing):
    client = login(station_worker)

    assert client.get("/console/directory/stations/460106001/").status_code == 404
    assert client.post("/console/directory/stations/460106001/verify/").status_code == 404


def test_listing_edit_saves_and_updates_public_page(login, anonymous, station_worker, listing):
    keep_id = listing.services.first().hsds_id
    anonymous.get("/stations/460105001/")  # cached before the change

    response = login(station_worker).post(
        "/console/directory/stations/460105001/", _post_data(listing)
    )

    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.phone == "089868650002"
    assert listing.version == 2
    assert listing.last_verified_on is not None
    assert [s.name for s in listing.staff.all()] == ["李明"]
    services = list(listing.services.all())
    assert [s.name for s in services] == ["高龄老人探访"]
    assert services[0].hsds_id == keep_id
    assert AuditEntry.objects.filter(action="listing.update").count() == 1
    content = anonymous.get("/stations/460105001/").content.decode()
    assert "高龄老人探访" in content
    assert "秀英街道服务1" not in content


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "6010500"}, "座机号码“6010500”缺少区号"),
        ({"phone": "1234"}, "请填写正确的联系电话"),
        ({"phone": "138001380001"}, "请填写正确的联系电话"),
        ({"latitude": "abc"}, "纬度须是数字"),
        ({"longitude": ""}, "经纬度须同时填写或同时留空。"),
        ({"address": ""}, "请填写地址。"),
        ({"services-0-target_group": ""}, "请填写服务对象。"),
    ],
)
def test_listing_edit_bad_input_keeps_what_was_typed(
    login, station_worker, listing, overrides, message
):
    response = login(station_worker).post(
        "/console/directory/stations/460105001/", _post_data(listing, **overrides)
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="海口市秀英区人民路2号"' in content or overrides.get("address") == ""
    assert 'value="李明"' in content
    listing.refresh_from_db()
    assert listing.version == 1


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0898-66010500", "0898-66010500"),
        ("（0898）6601 0500", "089866010500"),
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("12345", "12345"),
        ("400-888-1234", "400-888-1234"),
    ],
)
def test_listing_phone_accepts_what_dials_from_a_mobile(
    login, station_worker, listing, typed, stored
):
    response = login(station_worker).post(
        "/console/directory/stations/460105001/", _post_data(listing, phone=typed)
    )

    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.phone == stored


def test_listing_phone_without_area_code_is_refused_by_the_service(station_worker, listing):
    from django.core.exceptions import ValidationError

    from shegong.directory.services import listing_update

    with pytest.raises(ValidationError) as refused:
        listing_update(
            actor=station_worker,
            listing=listing,
            fields={"phone": "6010500"},
            staff=[],
            services=[],
            today=datetime.date(2026, 3, 21),
        )
    assert "缺少区号" in str(refused.value.message_dict["phone"])


def test_listing_edit_parent_district_may_edit_station(login, district_officer, listing):
    response = login(district_officer).post(
        "/console/directory/stations/460105001/", _post_data(listing)
    )

    assert response["Location"] == "/console/directory/stations/460105001/"
    listing.refresh_from_db()
    assert listing.address == "海口市秀英区人民路2号"
    assert list(listing.staff.values_list("name", flat=True)) == ["李明"]
    assert AuditEntry.objects.get(action="listing.update").actor == district_officer


def test_listing_verify_clears_the_90_day_flag(login, station_worker, station):
    listing = make_listing(station, verified=datetime.date(2020, 1, 1))
    client = login(station_worker)
    assert [item.label for item in waiting_items(station_worker)] == [
        "超过 90 天未核实的社工站名录"
    ]

    client.post("/console/directory/stations/460105001/verify/")

    listing.refresh_from_db()
    assert listing.last_verified_on is not None
    assert waiting_items(station_worker) == []


def test_stale_listing_is_flagged_to_its_district_not_the_sibling(
    district_officer, sibling_officer, station
):
    make_listing(station, verified=datetime.date(2020, 1, 1))

    mine = waiting_items(district_officer)
    assert [(item.count, item.url) for item in mine] == [(1, "/console/directory/?stale=1")]
    assert waiting_items(sibling_officer) == []


@pytest.mark.parametrize("stations", [1, 3])
def test_listing_list_query_count_is_constant(login, district_officer, district, stations):
    for n in range(stations):
        make_listing(station_unit(district, f"46010510{n}", f"测试镇{n}"))
    client = login(district_officer)
    client.get("/console/directory/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/directory/")

    assert response.content.decode().count("测试镇") >= stations
    assert len(queries) == 5


def test_judge_cannot_use_directory(login, judge, listing):
    assert login(judge).get("/console/directory/").status_code == 403
    assert StationListing.objects.count() == 1


def test_listing_list_offers_a_listing_for_a_new_station(
    login, district_officer, station, sibling_station
):
    client = login(district_officer)
    offer = client.get("/console/directory/").content.decode()

    assert "尚未建立名录的社工站" in offer
    assert "秀英街道社工站" in offer
    assert "中山街道社工站" not in offer
    assert not StationListing.objects.exists()  # a GET writes nothing
    client.post("/console/directory/")
    content = client.get("/console/directory/").content.decode()
    assert "从未核实" in content
    assert "尚未建立名录的社工站" not in content
    assert list(StationListing.objects.values_list("slug", flat=True)) == ["460105001"]


def test_periodic_job_gives_new_stations_a_listing(station, sibling_station):
    from django.apps import apps
    from django.utils import timezone

    report = apps.get_app_config("directory").periodic(timezone.now())

    assert report.startswith("listings for new stations: 2;")
    assert set(StationListing.objects.values_list("slug", flat=True)) == {
        "460105001",
        "460106001",
    }


def test_listing_edit_rounds_coordinates_pasted_with_many_decimals(login, station_worker, listing):
    data = _post_data(listing, latitude="20.01712345678", longitude="110.28361234567")
    response = login(station_worker).post("/console/directory/stations/460105001/", data)

    assert response.status_code == 302
    listing.refresh_from_db()
    assert (str(listing.latitude), str(listing.longitude)) == ("20.017123", "110.283612")


def test_listing_edit_bad_latitude_names_only_the_real_problem(login, station_worker, listing):
    data = _post_data(listing, latitude="北纬20度")
    content = (
        login(station_worker).post("/console/directory/stations/460105001/", data).content.decode()
    )

    assert "纬度须是数字，例如 20.0186。" in content
    assert "经纬度须同时填写或同时留空" not in content
    assert 'value="北纬20度"' in content


@pytest.mark.parametrize(
    ("value", "message"),
    [("1e999", "纬度须在 -90 到 90 之间。"), ("-91.5", "纬度须在 -90 到 90 之间。")],
)
def test_listing_edit_latitude_out_of_range_is_refused(
    login, station_worker, listing, value, message
):
    data = _post_data(listing, latitude=value)
    response = login(station_worker).post("/console/directory/stations/460105001/", data)

    assert message in response.content.decode()
    listing.refresh_from_db()
    assert str(listing.latitude) == "20.020000"


def test_listing_verify_of_an_empty_listing_is_refused_with_what_is_missing(
    login, station_worker, station
):
    client = login(station_worker)
    client.post("/console/directory/")  # the station asks for its empty listing
    listing = StationListing.objects.get(unit=station)

    response = client.post("/console/directory/stations/460105001/verify/", follow=True)

    content = response.content.decode()
    assert "请先填写并保存" in content
    assert "服务内容" in content
    assert "联系电话" in content
    listing.refresh_from_db()
    assert listing.last_verified_on is None
    assert [item.label for item in waiting_items(station_worker)] == [
        "超过 90 天未核实的社工站名录"
    ]


def test_listing_edit_saves_the_optional_english_and_shows_it(
    login, anonymous, station_worker, listing
):
    client = login(station_worker)
    form = client.get("/console/directory/stations/460105001/").content.decode()
    assert 'name="services-0-name_en"' in form
    assert 'name="process_steps_en"' in form

    data = _post_data(
        listing,
        **{
            "process_steps_en": "Call us\nWe note your needs\nWe help",
            "staff-0-role_en": "Head of station",
            "services-0-name_en": "Visits to people over 80",
            "services-0-target_group_en": "People over 80",
        },
    )
    assert client.post("/console/directory/stations/460105001/", data).status_code == 302

    service = listing.services.get()
    assert service.name_en == "Visits to people over 80"
    assert listing.staff.get().role_en == "Head of station"
    english = anonymous.get("/stations/460105001/?lang=en").content.decode()
    assert "<h3>Visits to people over 80</h3>" in english
    assert "Head of station" in english
    assert "<li>We note your needs</li>" in english
    # Shown again in the editor, so the next save keeps it.
    again = client.get("/console/directory/stations/460105001/").content.decode()
    assert 'value="Visits to people over 80"' in again


def test_the_edit_forms_offer_exactly_the_listing_fields_declared_once():
    from shegong.directory.forms import ListingForm, ServiceForm
    from shegong.directory.models import LISTING_FIELDS, SERVICE_FIELDS

    assert set(ListingForm.base_fields) == set(LISTING_FIELDS)
    assert set(ServiceForm.base_fields) - {"id"} == set(SERVICE_FIELDS)
