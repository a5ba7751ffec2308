"""What every public page's header shows: the campaign's brand and the city."""

from django.core.cache import cache
from django.utils import translation

from shegong.campaigns.models import Campaign
from shegong.orgs.models import Unit

STAFF_AREAS = ("/console/", "/admin/", "/accounts/", "/api/")
HEADER_SECONDS = 300  # a renamed brand shows within five minutes; no query on most pages


def _header() -> dict:
    campaign = Campaign.objects.current()
    kit = campaign.brand_kits.order_by("-id").first() if campaign else None
    city = Unit.objects.filter(level=Unit.Level.CITY).order_by("path").first()
    return {
        "brand": kit.name if kit else "",
        "city": city.area_label if city else "",
        "city_lang": city.area_label_lang if city else "zh-Hans",
    }


def site_header(request):
    if request.path.startswith(STAFF_AREAS):
        return {}
    key = f"public:site-header:{translation.get_language()}"
    return {"site_header": cache.get_or_set(key, _header, HEADER_SECONDS)}
