"""Console pages of the directory: listings, QR links and their scans, the brand kit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.campaigns.models import Campaign
from shegong.core.access import get_visible_or_404, require
from shegong.core.http import attachment_response, query_text
from shegong.orgs.models import Unit, unit_scope_q
from shegong.orgs.rules import is_staff_member

from . import qrcodes, selectors
from .forms import (
    BrandKitForm,
    ListingForm,
    QrLinkForm,
    ServiceFormSet,
    StaffFormSet,
    formset_rows,
)
from .models import LISTING_FIELDS, BrandKit, Poster, QrLink, StationListing
from .rules import can_change_brand, can_change_listing, can_change_qrlink
from .services import (
    SERVICE_FIELDS,
    brandkit_update,
    listing_update,
    listing_verify,
    listings_create_missing,
    poster_current,
    poster_is_queued,
    poster_request,
    qrlink_create,
    qrlink_update,
)


@login_required
def listing_list(request: HttpRequest) -> HttpResponseBase:
    require(is_staff_member(request.user))
    without_listing = (
        Unit.objects.changeable_by(request.user).stations().filter(listing__isnull=True)
    )
    if request.method == "POST":
        created = listings_create_missing(units=without_listing)
        messages.success(request, f"已为 {created} 个社工站建立名录，请填写并核实。")
        return redirect("directory:listing_list")
    today = timezone.localdate()
    stale_only = request.GET.get("stale") == "1"
    # The dashboard's links: a unit (within the user's own), complete or fresh listings.
    code = query_text(request.GET, "unit", 20)
    unit = (
        Unit.objects.filter(unit_scope_q(request.user, field=None), code=code).first()
        if code
        else None
    )
    narrowed = {
        "unit": unit.code if unit else "",
        "own": "1" if unit and request.GET.get("own") == "1" else "",
        "complete": "1" if request.GET.get("complete") == "1" else "",
        "fresh": "1" if request.GET.get("fresh") == "1" else "",
    }
    narrowed = {key: value for key, value in narrowed.items() if value}
    listings = selectors.listings_for_console(
        request.user,
        today=today,
        stale_only=stale_only,
        unit=unit,
        own=bool(narrowed.get("own")),
        complete=bool(narrowed.get("complete")),
        fresh=bool(narrowed.get("fresh")),
    )
    rows = [(listing, listing.is_stale(today=today)) for listing in listings]
    return render(
        request,
        "directory/listing_list.html",
        {
            "rows": rows,
            "stale_only": stale_only,
            "without_listing": without_listing,
            "narrowed": narrowed,
        },
    )


def _listing_for(request: HttpRequest, slug: str) -> StationListing:
    return get_visible_or_404(
        StationListing.objects.visible_to(request.user).select_related("unit__parent"), slug=slug
    )


@login_required
def listing_edit(request: HttpRequest, slug: str) -> HttpResponseBase:
    listing = _listing_for(request, slug)
    can_change = can_change_listing(request.user, listing)
    if request.method == "POST":
        require(can_change)
        form = ListingForm(request.POST)
        staff = StaffFormSet(request.POST, prefix="staff")
        services = ServiceFormSet(request.POST, prefix="services")
        if form.is_valid() and staff.is_valid() and services.is_valid():
            listing_update(
                actor=request.user,
                listing=listing,
                fields=form.cleaned_data,
                staff=formset_rows(staff),
                services=formset_rows(services),
                today=timezone.localdate(),
            )
            messages.success(request, "名录已保存，公众页面已更新。")
            return redirect("directory:listing_edit", slug=listing.slug)
    else:
        form = ListingForm(initial={name: getattr(listing, name) for name in LISTING_FIELDS})
        staff = StaffFormSet(
            prefix="staff",
            initial=[
                {
                    "name": p.name,
                    "role": p.role,
                    "role_en": p.role_en,
                    "qualification": p.qualification,
                }
                for p in listing.staff.all()
            ],
        )
        services = ServiceFormSet(
            prefix="services",
            initial=[
                {
                    "id": s.pk,
                    "name": s.name,
                    "category": s.category,
                    "target_group": s.target_group,
                    "description": s.description,
                    "eligibility": s.eligibility,
                    "fee": s.fee,
                    "how_to_apply": s.how_to_apply,
                    **{name: getattr(s, name) for name in SERVICE_FIELDS if name.endswith("_en")},
                }
                for s in listing.services.all()
            ],
        )
    today = timezone.localdate()
    posters = {poster.size: poster for poster in Poster.objects.filter(listing=listing)}
    return render(
        request,
        "directory/listing_edit.html",
        {
            "listing": listing,
            "form": form,
            "staff": staff,
            "services": services,
            "can_change": can_change,
            "stale": listing.is_stale(today=today),
            "posters": [(size, label, posters.get(size)) for size, label in Poster.Size.choices],
        },
    )


@login_required
@require_POST
def listing_verify_view(request: HttpRequest, slug: str) -> HttpResponseBase:
    listing = _listing_for(request, slug)
    require(can_change_listing(request.user, listing))
    try:
        listing_verify(actor=request.user, listing=listing, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "已确认名录信息无误。")
    return redirect("directory:listing_edit", slug=listing.slug)


@login_required
def poster_download(request: HttpRequest, slug: str, size: str) -> HttpResponseBase:
    """GET: the poster when it matches the listing, else a page saying it is being made or
    offering to make it. POST: ask for it (``poster_request``), then back to GET."""
    listing = _listing_for(request, slug)
    if size not in Poster.Size.values:
        raise Http404
    if request.method == "POST":
        poster_request(actor=request.user, listing=listing, size=size)
        return redirect("directory:poster", slug=listing.slug, size=size)
    poster = poster_current(listing=listing, size=size)
    if poster is not None:
        return attachment_response(
            poster.pdf.open("rb"),
            name=f"{listing.name}服务海报（{size}）.pdf",
            fallback=f"{listing.slug}-{size}.pdf",
            content_type="application/pdf",
            inline=True,
        )
    return render(
        request,
        "directory/poster_wait.html",
        {
            "listing": listing,
            "size": size,
            "queued": poster_is_queued(listing=listing, size=size),
        },
        status=202,
    )


@login_required
def qr_list(request: HttpRequest) -> HttpResponseBase:
    require(is_staff_member(request.user))
    user = request.user
    units = Unit.objects.filter(unit_scope_q(user, field=None))
    if request.method == "POST":
        form = QrLinkForm(request.POST)
        unit = units.filter(code=request.POST.get("unit", "")).first()
        if unit is None:
            form.add_error(None, "请选择所属单位。")
        if form.is_valid() and unit is not None:
            try:
                link = qrlink_create(actor=user, unit=unit, **form.cleaned_data)
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, f"已生成二维码 /q/{link.code}。")
                return redirect("directory:qr_detail", code=link.code)
    else:
        form = QrLinkForm()
    today = timezone.localdate()
    days, rows = selectors.qr_scans_by_channel_and_day(user, today=today)
    return render(
        request,
        "directory/qr_list.html",
        {
            "form": form,
            "units": units,
            "selected_unit": request.POST.get("unit", ""),
            "days": days,
            "rows": rows,
        },
    )


def _add_service_error(form, error: ValidationError) -> None:
    """A service's refusal on the field it names (the target when it names none)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_[0])
    else:
        form.add_error("target", error.messages[0])


def _link_for(request: HttpRequest, code: str) -> QrLink:
    return get_visible_or_404(
        QrLink.objects.visible_to(request.user).select_related("unit"), code=code
    )


@login_required
def qr_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    link = _link_for(request, code)
    can_change = can_change_qrlink(request.user, link)
    if request.method == "POST":
        require(can_change)
        form = QrLinkForm(request.POST)
        if form.is_valid():
            try:
                qrlink_update(actor=request.user, link=link, **form.cleaned_data)
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, "已保存。二维码不变，扫码将跳转到新地址。")
                return redirect("directory:qr_detail", code=link.code)
    else:
        form = QrLinkForm(initial={"channel": link.channel, "target": link.target})
    return render(
        request,
        "directory/qr_detail.html",
        {
            "link": link,
            "url": qrcodes.qr_url(link.code),
            "form": form,
            "can_change": can_change,
            "scans": selectors.qr_scans_table(link, today=timezone.localdate()),
        },
    )


@login_required
def qr_image(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    link = _link_for(request, code)
    if fmt not in ("svg", "png"):
        raise Http404
    brand = selectors.brand_for(Campaign.objects.current())
    data = qrcodes.qr_image(link.code, fmt=fmt, color=brand["primary_color"])
    return attachment_response(
        data,
        name=f"二维码·{link.channel}.{fmt}",
        fallback=f"qr-{link.code}.{fmt}",
        content_type="image/svg+xml" if fmt == "svg" else "image/png",
    )


@login_required
def brand_edit(request: HttpRequest) -> HttpResponseBase:
    require(can_change_brand(request.user))
    campaign = Campaign.objects.current()
    if campaign is None:
        raise Http404
    brand = BrandKit.objects.filter(campaign=campaign).first() or BrandKit(
        campaign=campaign, name="社会工作"
    )
    if request.method == "POST":
        form = BrandKitForm(request.POST, request.FILES)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            logo = fields.pop("logo")
            brandkit_update(actor=request.user, brand=brand, fields=fields, logo=logo)
            messages.success(request, "品牌已保存，海报将按新品牌重新生成。")
            return redirect("directory:brand_edit")
    else:
        form = BrandKitForm(
            initial={
                "name": brand.name,
                "slogan": brand.slogan,
                "primary_color": brand.primary_color,
                "accent_color": brand.accent_color,
            }
        )
    return render(
        request, "directory/brand_edit.html", {"form": form, "campaign": campaign, "brand": brand}
    )
