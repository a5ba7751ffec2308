"""Budgets: spend against caps, caps set by the units above."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from shegong.core.access import require
from shegong.orgs.models import Unit
from shegong.orgs.rules import is_overseer

from .. import selectors, services
from ..forms import (
    BudgetCapForm,
)
from ._base import _staff

# --- budget --------------------------------------------------------------------------------


@login_required
def budget_report(request: HttpRequest) -> HttpResponseBase:
    _staff(request.user)
    form = BudgetCapForm()
    can_set = is_overseer(request.user)
    if request.method == "POST":
        require(can_set)
        form = BudgetCapForm(request.POST)
        if form.is_valid():
            unit = (
                Unit.objects.visible_to(request.user).filter(code=form.cleaned_data["unit"]).first()
            )
            if unit is None:
                form.add_error("unit", "没有这个单位，或不在您的管理范围内。")
            else:
                try:
                    services.budgetcap_set(
                        actor=request.user,
                        unit=unit,
                        campaign=form.cleaned_data["campaign"],
                        amount=form.cleaned_data["amount"] or 0,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, f"已设置{unit}的经费上限。")
                    return redirect("activities:budget_report")
    rows = selectors.budget_report(request.user)
    return render(
        request,
        "activities/budget_report.html",
        {"rows": rows, "form": form, "can_set": can_set},
    )
