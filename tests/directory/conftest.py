import datetime

import pytest

from shegong.directory.models import QrLink, Service, StaffMember, StationListing

TODAY = datetime.date(2026, 3, 21)


def make_listing(unit, *, services: int = 2, verified: datetime.date = TODAY) -> StationListing:
    listing = StationListing.objects.create(
        unit=unit,
        slug=unit.code,
        name=unit.name,
        summary=f"{unit.name}为老人、儿童和困难家庭提供服务。",
        address=f"海口市{unit.area_name}人民路1号",
        latitude=20.02,
        longitude=110.30,
        hours="周一至周五 8:30-17:30",
        phone="0898-68650001",
        process_steps="来站或来电\n社工登记需求\n上门评估",
        last_verified_on=verified,
    )
    StaffMember.objects.create(
        listing=listing, name="王海燕", role="站长", qualification="social_worker"
    )
    for n in range(services):
        Service.objects.create(
            listing=listing,
            name=f"{unit.area_name}服务{n}",
            category=Service.Category.ELDERLY,
            target_group="独居老人",
            description="上门探访",
            eligibility="70 岁以上",
            fee="免费",
            how_to_apply="电话预约",
            position=n,
        )
    return listing


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def listing(station):
    return make_listing(station)


@pytest.fixture
def sibling_listing(sibling_station):
    return make_listing(sibling_station)


@pytest.fixture
def qr_link(station, listing):
    return QrLink.objects.create(
        code="bus12x", channel="公交12路车身广告", target=listing.get_absolute_url(), unit=station
    )


@pytest.fixture
def sibling_qr_link(sibling_station):
    return QrLink.objects.create(
        code="lh9999", channel="龙华医院海报", target="/help/", unit=sibling_station
    )


@pytest.fixture(autouse=True)
def _scans_written_at_once(settings):
    """Tests see each scan in the database at once; test_qr covers the buffered mode."""
    settings.DIRECTORY_QR_FLUSH_SECONDS = 0
