"""Public pages of the directory: no login, light, cached where the bench demands it."""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from shegong.core.http import query_text

from . import qrcodes, selectors
from .models import QrLink
from .services import QR_CACHE_SECONDS, qr_cache_key, qr_scan_count, station_web_qrlink

QR_CODE_MAX_LENGTH = QrLink._meta.get_field("code").max_length

# Station pages are cached per language and display mode in Django's cache. A change deletes
# them at once everywhere with a shared cache (Redis); with the local-memory default, in this
# process at once and in the others within this many seconds.
STATION_PAGE_SECONDS = 60


def _coordinate(value: str | None, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@require_GET
def station_index(request: HttpRequest) -> HttpResponseBase:
    """Find a station: district → town/street, or nearest first when the phone gives a place."""
    lat = _coordinate(request.GET.get("lat"), -90, 90)
    lng = _coordinate(request.GET.get("lng"), -180, 180)
    nearby = selectors.listings_near(lat, lng) if lat is not None and lng is not None else None
    district, listings = None, []
    code = query_text(request.GET, "district", 20)
    if code:
        district, listings = selectors.listings_in_district(code)
    context = {
        "districts": selectors.districts_with_stations(),
        "district": district,
        "listings": listings,
        "nearby": nearby,
        "bad_location": ("lat" in request.GET or "lng" in request.GET) and nearby is None,
        "unknown_district": bool(code) and district is None,
        "en": translation.get_language() == "en",
    }
    return render(request, "directory/public/station_index.html", context)


def _display_query(request: HttpRequest) -> QueryDict:
    query = QueryDict(mutable=True)
    if request.GET.get("lang") == translation.get_language():
        query["lang"] = request.GET["lang"]
    if request.GET.get("elder") == str(int(request.elder_mode)):
        query["elder"] = request.GET["elder"]
    return query


@require_GET
def station_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
    mode = f"{int(request.elder_mode)}{request.text_size if request.elder_mode else ''}"
    key = f"directory:station:{slug}:{translation.get_language()}:{mode}"
    content = cache.get(key)
    if content is None:
        listing = selectors.listing_public(slug)
        if listing is None:
            raise Http404
        # The page is shared by every visitor in this language and mode: its links keep the
        # language and mode (so they work without cookies) but nothing else of this visitor's.
        request.GET = _display_query(request)
        response = render(
            request,
            "directory/public/station_detail.html",
            {
                "listing": listing,
                "stale": listing.is_stale(today=timezone.localdate()),
                "qr": _station_qr(listing),
                "en": translation.get_language() == "en",
            },
        )
        cache.set(key, response.content, STATION_PAGE_SECONDS)
        return response
    return HttpResponse(content)


def _station_qr(listing) -> dict:
    link = station_web_qrlink(listing=listing)
    return {
        "svg": qrcodes.qr_svg_inline(link.code),
        "url": qrcodes.qr_url(link.code),
    }


def _plausible_code(code: str) -> bool:
    """Codes are short ASCII letters and digits; anything else is not looked up at all."""
    bare = code.replace("-", "").replace("_", "")
    return 0 < len(code) <= QR_CODE_MAX_LENGTH and bare.isascii() and bare.isalnum()


def _logged_by_nginx(request: HttpRequest) -> bool:
    """nginx in front (deploy/nginx/shegong.conf) writes every scan to its scan log, which
    ``run_periodic`` counts; the app must not count those a second time. Only trusted when the
    site is configured to read that log, so a client cannot opt out of counting elsewhere."""
    return bool(settings.DIRECTORY_QR_SCAN_LOG) and request.headers.get("X-Scan-Logged") == "1"


def qr_answer(request: HttpRequest, code: str) -> HttpResponseBase | None:
    """The redirect of a known short link, with the scan counted for today; None for a code
    that is not one (the caller answers 404 through the site's whole stack).

    Only a GET counts: link checkers and preview bots that send HEAD are not scans.
    """
    if not _plausible_code(code):
        return None
    hit = cache.get(qr_cache_key(code))
    if hit is None:
        row = QrLink.objects.filter(code=code).values_list("pk", "target").first()
        if row is None:
            return None
        hit = row
        cache.set(qr_cache_key(code), hit, QR_CACHE_SECONDS)
    link_id, target = hit
    if request.method == "GET" and not _logged_by_nginx(request):
        qr_scan_count(link_id=link_id, day=timezone.localdate())
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    return response


def qr_redirect(request: HttpRequest, code: str) -> HttpResponseBase:
    """Send the scanner on to the target and count the scan. Known links are answered before
    most of the middleware (``directory.middleware.QrShortLinkMiddleware``); what reaches this
    view is an unknown code, or a method that middleware leaves to the site."""
    response = qr_answer(request, code)
    if response is None:
        raise Http404
    return response
