"""Reads of the station directory."""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Sum

from shegong.campaigns.models import Campaign
from shegong.orgs.models import Unit

from .models import (
    STALE_AFTER_DAYS,
    BrandKit,
    QrLink,
    QrScanDay,
    Service,
    StaffMember,
    StationListing,
)

EARTH_RADIUS_KM = 6371.0
DEFAULT_BRAND = {"name": "社会工作", "primary_color": "#a3211b", "accent_color": "#f2b705"}


def listing_public(slug: str) -> StationListing | None:
    """One listing with everything its public page shows, in three queries."""
    return (
        StationListing.objects.select_related("unit__parent")
        .prefetch_related(
            Prefetch("staff", queryset=StaffMember.objects.all()),
            Prefetch("services", queryset=Service.objects.all()),
        )
        .filter(slug=slug)
        .first()
    )


def districts_with_stations() -> list[Unit]:
    """District-level units that have at least one station listing, with the count."""
    return list(
        Unit.objects.districts()
        .annotate(station_count=Count("children__listing"))
        .filter(station_count__gt=0)
        .order_by("path")
    )


def listings_in_district(district_code: str) -> tuple[Unit | None, list[StationListing]]:
    district = Unit.objects.districts().filter(code=district_code).first()
    if district is None:
        return None, []
    listings = list(
        StationListing.objects.filter(unit__parent=district)
        .select_related("unit")
        .order_by("unit__path")
    )
    return district, listings


@dataclass(frozen=True)
class Nearby:
    listing: StationListing
    km: float


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def listings_near(lat: float, lng: float, *, limit: int = 5) -> list[Nearby]:
    """The stations closest to a point, nearest first. A city has tens of stations, so the
    distance is computed for each in Python rather than with a spatial index."""
    rows = StationListing.objects.exclude(latitude=None).exclude(longitude=None)
    nearby = [
        Nearby(listing, distance_km(lat, lng, float(listing.latitude), float(listing.longitude)))
        for listing in rows.select_related("unit__parent")
    ]
    nearby.sort(key=lambda item: item.km)
    return nearby[:limit]


def listings_for_console(
    user,
    *,
    today: datetime.date,
    stale_only: bool = False,
    unit=None,
    own: bool = False,
    complete: bool = False,
    fresh: bool = False,
):
    """Listings ``user`` sees; the dashboard's figures link here narrowed to a ``unit``'s
    subtree (``own``: itself), the ``complete`` ones or those verified within
    ``STALE_AFTER_DAYS`` (``fresh``), as it counts them."""
    listings = StationListing.objects.visible_to(user)
    if unit is not None:
        listings = (
            listings.filter(unit=unit) if own else listings.filter(unit__path__startswith=unit.path)
        )
    if complete:
        listings = listings.complete()
    if fresh:
        listings = listings.filter(
            last_verified_on__gte=today - datetime.timedelta(days=STALE_AFTER_DAYS)
        )
    listings = listings.select_related("unit__parent").annotate(
        service_count=Count("services", distinct=True)
    )
    if stale_only:
        listings = listings.stale(today=today)
    return listings


def brand_for(campaign: Campaign | None) -> dict:
    """Name and colours for print; the plain defaults when the campaign has no brand kit."""
    brand = BrandKit.objects.filter(campaign=campaign).first() if campaign else None
    if brand is None:
        brand = BrandKit.objects.first()
    if brand is None:
        return dict(DEFAULT_BRAND)
    return {
        "name": brand.name,
        "primary_color": brand.primary_color,
        "accent_color": brand.accent_color,
        "slogan": brand.slogan,
        "logo_name": brand.logo.name if brand.logo else "",  # in media storage (disk or bucket)
    }


def qr_links_for_console(user):
    return (
        QrLink.objects.visible_to(user)
        .select_related("unit")
        .annotate(total_scans=Sum("scan_days__count"))
    )


def qr_scans_table(link: QrLink, *, today: datetime.date, days: int = 30) -> list[tuple]:
    """``(day, count)`` for the last ``days`` days, newest first, zero where nobody scanned."""
    since = today - datetime.timedelta(days=days - 1)
    counts = dict(QrScanDay.objects.filter(link=link, day__gte=since).values_list("day", "count"))
    return [
        (day, counts.get(day, 0))
        for day in (today - datetime.timedelta(days=n) for n in range(days))
    ]


def qr_scans_by_channel_and_day(user, *, today: datetime.date, days: int = 14):
    """A matrix for the console: one row per visible link, one column per day (newest last)."""
    since = today - datetime.timedelta(days=days - 1)
    day_list = [since + datetime.timedelta(days=n) for n in range(days)]
    links = list(qr_links_for_console(user))
    counts: dict[tuple[int, datetime.date], int] = {}
    for link_id, day, count in QrScanDay.objects.filter(
        link__in=[link.pk for link in links], day__gte=since
    ).values_list("link_id", "day", "count"):
        counts[(link_id, day)] = count
    rows = [(link, [counts.get((link.pk, day), 0) for day in day_list]) for link in links]
    return day_list, rows


def kpi_stations_listed(campaign) -> int:
    """KPI 信息完整的社工站: stations whose public listing shows all six required items now."""
    return StationListing.objects.complete().count()
