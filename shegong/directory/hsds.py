"""The station directory as Open Referral HSDS 3.0 (read-only, public).

Each station listing is an ``organization`` with one physical ``location``; each of its services
is a ``service``. Lists are paginated with the standard's Page fields (``page``, ``per_page``).
Child objects that we do not keep as rows (phones, contacts, locations) get stable UUIDs derived
from their parent's id, so the same export always names them the same way.
"""

import math
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .models import Service, StationListing

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferral.org/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
ID_NAMESPACE = uuid.UUID("1f0c3a52-5d5e-4d0e-9a36-5b0c2f8a8e01")


def _child_id(kind: str, parent: uuid.UUID, extra: str = "") -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{parent}:{extra}"))


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page(request, queryset, serialise) -> JsonResponse:
    try:
        page = max(1, int(request.GET.get("page", "1")))
        per_page = min(MAX_PER_PAGE, max(1, int(request.GET.get("per_page", DEFAULT_PER_PAGE))))
    except ValueError:
        return _json({"error": "page and per_page must be whole numbers"}, status=400)
    total = queryset.count()
    total_pages = max(1, math.ceil(total / per_page))
    # A page past the last is empty; never slice with an offset the database cannot hold.
    rows = list(queryset[(page - 1) * per_page : page * per_page]) if page <= total_pages else []
    return _json(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(rows),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": total == 0,
            "contents": [serialise(row) for row in rows],
        }
    )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _not_found() -> JsonResponse:
    """Answers in JSON like the rest of the export: a client parsing JSON never gets a page."""
    return _json({"error": "not found"}, status=404)


def _phone(listing: StationListing, **links) -> list[dict]:
    if not listing.phone:
        return []
    return [
        {
            "id": _child_id("phone", listing.hsds_id, str(links)),
            "number": listing.phone,
            "type": "voice",
            **links,
            "languages": [],
            "attributes": [],
        }
    ]


def _organization_base(listing: StationListing) -> dict:
    return {
        "id": str(listing.hsds_id),
        "name": listing.name,
        "alternate_name": listing.name_en,
        "description": listing.summary or listing.name,
        "uri": f"{settings.SITE_URL}{listing.get_absolute_url()}",
        "website": f"{settings.SITE_URL}{listing.get_absolute_url()}",
    }


def _location(listing: StationListing) -> dict:
    location = {
        "id": _child_id("location", listing.hsds_id),
        "location_type": "physical",
        "organization_id": str(listing.hsds_id),
        "name": listing.name,
        "description": listing.address,
        "languages": [],
        "addresses": [],
        "contacts": [],
        "accessibility": [],
        "phones": [],
        "schedules": [],
        "attributes": [],
    }
    if listing.latitude is not None and listing.longitude is not None:
        location["latitude"] = float(listing.latitude)
        location["longitude"] = float(listing.longitude)
    return location


def _service_base(service: Service) -> dict:
    listing = service.listing
    return {
        "id": str(service.hsds_id),
        "organization_id": str(listing.hsds_id),
        "name": service.name,
        "alternate_name": service.get_category_display(),
        "description": service.description,
        "url": f"{settings.SITE_URL}{listing.get_absolute_url()}",
        "status": "active",
        "application_process": service.how_to_apply,
        "fees_description": service.fee,
        "eligibility_description": "；".join(
            part for part in (service.target_group, service.eligibility) if part
        ),
        "assured_date": listing.last_verified_on.isoformat() if listing.last_verified_on else "",
        "last_modified": service.updated_at.isoformat(),
    }


def _service_full(service: Service) -> dict:
    listing = service.listing
    data = _service_base(service)
    data.update(
        {
            "phones": _phone(listing, service_id=str(service.hsds_id)),
            "schedules": (
                [
                    {
                        "id": _child_id("schedule", service.hsds_id),
                        "service_id": str(service.hsds_id),
                        "description": listing.hours,
                        "attributes": [],
                    }
                ]
                if listing.hours
                else []
            ),
            "service_areas": [],
            "service_at_locations": [],
            "languages": [
                {
                    "id": _child_id("language", service.hsds_id),
                    "service_id": str(service.hsds_id),
                    "name": "Chinese",
                    "code": "zh",
                    "attributes": [],
                }
            ],
            "organization": _organization_base(listing),
            "funding": [],
            "cost_options": [],
            "required_documents": [],
            "contacts": [],
            "attributes": [],
        }
    )
    return data


def _organization_full(listing: StationListing) -> dict:
    data = _organization_base(listing)
    data.update(
        {
            "funding": [],
            "contacts": [
                {
                    "id": _child_id("contact", listing.hsds_id, str(person.pk)),
                    "organization_id": str(listing.hsds_id),
                    "name": person.name,
                    "title": f"{person.role}（{person.get_qualification_display()}）",
                    "phones": [],
                    "attributes": [],
                }
                for person in listing.staff.all()
            ],
            "phones": _phone(listing, organization_id=str(listing.hsds_id)),
            "locations": [_location(listing)],
            "programs": [],
            "organization_identifiers": [],
            "attributes": [],
            "services": [_service_base(service) for service in listing.services.all()],
        }
    )
    return data


def _services():
    return Service.objects.select_related("listing").order_by("listing__unit__path", "position")


@require_GET
def root(request):
    return _json({"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


@require_GET
def service_list(request):
    services = _services()
    organization_id = request.GET.get("organization_id")
    if organization_id:
        wanted = _uuid(organization_id)
        if wanted is None:
            return _json({"error": "organization_id must be a UUID"}, status=400)
        services = services.filter(listing__hsds_id=wanted)
    return _page(request, services, _service_base)


@require_GET
def service_detail(request, pk: str):
    wanted = _uuid(pk)
    service = _services().filter(hsds_id=wanted).first() if wanted else None
    if service is None:
        return _not_found()
    return _json(_service_full(service))


@require_GET
def organization_list(request):
    return _page(request, StationListing.objects.order_by("unit__path"), _organization_base)


@require_GET
def organization_detail(request, pk: str):
    wanted = _uuid(pk)
    listing = (
        StationListing.objects.prefetch_related("staff", "services").filter(hsds_id=wanted).first()
        if wanted
        else None
    )
    if listing is None:
        return _not_found()
    for service in listing.services.all():
        service.listing = listing
    return _json(_organization_full(listing))
