from django.core.management import call_command

from shegong.directory.models import QrLink, QrScanDay, Service, StationListing
from shegong.orgs.models import Unit


def test_seed_demo_gives_every_station_a_listing_and_is_idempotent(demo_data, db):
    counts = (StationListing.objects.count(), Service.objects.count(), QrScanDay.objects.count())
    hsds_ids = set(Service.objects.values_list("hsds_id", flat=True))

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  (again)

    assert StationListing.objects.count() == Unit.objects.stations().count()
    assert counts == (
        StationListing.objects.count(),
        Service.objects.count(),
        QrScanDay.objects.count(),
    )
    assert set(Service.objects.values_list("hsds_id", flat=True)) == hsds_ids
    assert not StationListing.objects.filter(is_demo=False).exists()
    assert not StationListing.objects.filter(latitude=None).exists()
    assert QrLink.objects.filter(is_demo=True).count() >= 3
