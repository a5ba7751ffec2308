import datetime

from django.utils import timezone

from shegong.campaigns.models import Campaign
from shegong.orgs.models import Unit, unit_scope_q
from shegong.orgs.rules import is_staff_member


def console_home_for(user) -> dict:
    """What the console home shows: the user's unit, the current campaign and its clock."""
    campaign = Campaign.objects.current()
    today = timezone.localdate()
    clock = None
    if campaign is not None:
        clock = campaign_clock(campaign, today)
    if not is_staff_member(user):
        # A judge has no jurisdiction: their home is the contest's review queue.
        return {"campaign": campaign, "clock": clock, "is_staff": False}
    # The user's jurisdiction: their subtree, not the units above them they may also read.
    units = Unit.objects.filter(unit_scope_q(user, field=None))
    return {
        "campaign": campaign,
        "clock": clock,
        "is_staff": True,
        "station_count": units.stations().count(),
        "district_count": units.districts().count(),
    }


def campaign_clock(campaign, today: datetime.date) -> dict:
    if today < campaign.starts_on:
        phase, days = "before", (campaign.starts_on - today).days
    elif today <= campaign.ends_on:
        phase, days = "running", (campaign.ends_on - today).days
    elif today <= campaign.summary_deadline:
        phase, days = "summary", (campaign.summary_deadline - today).days
    else:
        phase, days = "closed", (today - campaign.summary_deadline).days
    return {"phase": phase, "days": days}
