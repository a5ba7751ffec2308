from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from shegong.core.access import get_visible_or_404, require

from .forms import PartnerForm, UnitContactForm
from .models import Partner, Unit
from .partners import can_change_partner, partner_create, partner_update
from .rules import can_change_unit, is_staff_member
from .services import unit_update


@login_required
def unit_list(request: HttpRequest) -> HttpResponseBase:
    units = (
        Unit.objects.visible_to(request.user)
        .select_related("parent")
        .annotate(member_count=Count("members"))
    )
    level = request.GET.get("level", "")
    if level in Unit.Level.values:
        units = units.filter(level=level)
    return render(
        request,
        "orgs/unit_list.html",
        {"units": units, "level": level, "levels": Unit.Level.choices},
    )


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    unit = get_visible_or_404(
        Unit.objects.visible_to(request.user).select_related("parent"), code=code
    )
    children = Unit.objects.visible_to(request.user).filter(parent=unit)
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "can_change": can_change_unit(request.user, unit),
        },
    )


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponseBase:
    unit = get_visible_or_404(Unit.objects.visible_to(request.user), code=code)
    require(can_change_unit(request.user, unit))
    if request.method == "POST":
        form = UnitContactForm(request.POST)
        if form.is_valid():
            unit_update(actor=request.user, unit=unit, **form.cleaned_data)
            messages.success(request, "联系方式已保存。")
            return redirect("orgs:unit_detail", code=unit.code)
    else:
        form = UnitContactForm(
            initial={"contact_person": unit.contact_person, "contact_phone": unit.contact_phone}
        )
    return render(request, "orgs/unit_edit.html", {"unit": unit, "form": form})


# --- partner registries (五社 and institutions) ---------------------------------------------


@login_required
def partner_list(request: HttpRequest) -> HttpResponseBase:
    require(is_staff_member(request.user))
    partners = (
        Partner.objects.visible_to(request.user)
        .select_related("unit")
        .order_by("-is_active", "unit__path", "kind", "name")
    )
    kind = request.GET.get("kind", "")
    if kind in Partner.Kind.values:
        partners = partners.filter(kind=kind)
    return render(
        request,
        "orgs/partner_list.html",
        {"partners": partners, "kind": kind, "kinds": Partner.Kind.choices},
    )


@login_required
def partner_edit(request: HttpRequest, partner_id: int | None = None) -> HttpResponseBase:
    require(is_staff_member(request.user))
    partner = None
    if partner_id:
        partner = get_visible_or_404(
            Partner.objects.visible_to(request.user).select_related("unit"), pk=partner_id
        )
        require(can_change_partner(request.user, partner))
    else:
        require(request.user.unit_id is not None)
    if request.method == "POST":
        form = PartnerForm(request.POST, editing=partner is not None)
        if form.is_valid():
            try:
                if partner is None:
                    partner_create(actor=request.user, unit=request.user.unit, **form.cleaned_data)
                else:
                    partner_update(actor=request.user, partner=partner, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "伙伴信息已保存。")
                return redirect("orgs:partner_list")
    else:
        initial = (
            {name: getattr(partner, name) for name in PartnerForm.base_fields} if partner else None
        )
        form = PartnerForm(initial=initial, editing=partner is not None)
    return render(
        request,
        "orgs/partner_form.html",
        {"form": form, "title": "修改合作伙伴" if partner else "新增合作伙伴"},
    )
