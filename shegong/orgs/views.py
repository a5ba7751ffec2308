from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from shegong.core.access import get_visible_or_404, require

from .forms import UnitContactForm
from .models import Unit
from .rules import can_change_unit
from .services import unit_update


@login_required
def unit_list(request):
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
def unit_detail(request, code: str):
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
def unit_edit(request, code: str):
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
