from decimal import Decimal

from shegong.campaigns.selectors import campaign_kpis
from shegong.campaigns.services import kpi_target_set
from shegong.directory.models import Service, StaffMember
from tests.directory.conftest import make_listing
from tests.factories import CampaignFactory


def test_kpi_stations_listed_counts_only_listings_with_all_six_items(
    city, city_admin, station, second_station, sibling_station
):
    make_listing(station)
    no_staff = make_listing(second_station)
    StaffMember.objects.filter(listing=no_staff).delete()
    no_services = make_listing(sibling_station, services=0)
    assert not Service.objects.filter(listing=no_services).exists()
    campaign = CampaignFactory(issuer=city, starts_on="2023-03-21")
    kpi_target_set(actor=city_admin, campaign=campaign, kind="stations_listed", target=Decimal(3))

    (figure,) = campaign_kpis(campaign)

    assert figure.recorded
    assert figure.actual == 1
    assert figure.percent == 33
