"""Referral scope: a help request (with the citizen's full phone number) moves only inside its
district, or from one district bureau to another; never straight from a station to another
district's station. Remove the ``can_refer_to`` check in helpdesk.services.helprequest_refer
to see these fail."""

import pytest
from django.core.exceptions import ValidationError

from shegong.helpdesk import services
from shegong.helpdesk.models import HelpRequest
from tests.factories import UserFactory


@pytest.fixture
def staffed(second_station, sibling_station):
    UserFactory(username="haixiu", role="station_worker", unit=second_station)
    UserFactory(username="zhongshan", role="station_worker", unit=sibling_station)


@pytest.fixture
def request_at_station(station, staffed, station_worker):
    request = services.helprequest_submit(
        for_whom="self",
        category="elderly",
        description="需要上门探访",
        area=station,
        contact_name="王阿姨",
        phone="13912345678",
        ip="198.51.100.2",
    )
    assert request.unit == station
    return request


def test_station_refers_within_its_district(request_at_station, station_worker, second_station):
    moved = services.helprequest_refer(
        actor=station_worker, request=request_at_station, unit=second_station, note="属于海秀"
    )

    assert moved.unit == second_station


def test_station_cannot_refer_to_another_districts_station(
    request_at_station, station_worker, sibling_station, sibling_worker
):
    with pytest.raises(ValidationError, match="求助只能在本区内转介"):
        services.helprequest_refer(
            actor=station_worker, request=request_at_station, unit=sibling_station, note="转"
        )
    assert not HelpRequest.objects.visible_to(sibling_worker).exists()


def test_station_cannot_refer_to_another_district_either(
    request_at_station, station_worker, sibling_district, sibling_officer
):
    with pytest.raises(ValidationError, match="请转给本区民政局"):
        services.helprequest_refer(
            actor=station_worker, request=request_at_station, unit=sibling_district, note="转"
        )


def test_across_districts_through_the_district_bureaus(
    request_at_station,
    station_worker,
    district,
    district_officer,
    sibling_district,
    sibling_officer,
    sibling_station,
):
    at_district = services.helprequest_refer(
        actor=station_worker, request=request_at_station, unit=district, note="请区里转"
    )
    with pytest.raises(ValidationError):  # a district bureau does not skip the other district
        services.helprequest_refer(
            actor=district_officer, request=at_district, unit=sibling_station, note="转"
        )
    at_sibling = services.helprequest_refer(
        actor=district_officer, request=at_district, unit=sibling_district, note="属于龙华区"
    )
    at_station = services.helprequest_refer(
        actor=sibling_officer, request=at_sibling, unit=sibling_station, note="请中山街道处理"
    )

    assert at_station.unit == sibling_station


def test_console_says_why_a_referral_was_refused(
    login, request_at_station, station_worker, sibling_station
):
    response = login(station_worker).post(
        f"/console/helpdesk/{request_at_station.code}/act/",
        {"action": "refer", "unit": sibling_station.code, "note": "转"},
    )

    assert "求助只能在本区内转介" in response.content.decode()
    request_at_station.refresh_from_db()
    assert request_at_station.unit.code == "460105001"
