"""Typical cases and exemplars."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from shegong.core.access import get_visible_or_404, require

from .. import rules, services
from ..forms import (
    CaseForm,
)
from ..models import (
    Case,
)
from ._base import _error_text, _staff

# --- cases and exemplars -------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponseBase:
    _staff(request.user)
    cases = Case.objects.visible_to(request.user).select_related("unit")
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/case_list.html",
        {"page": page, "can_record": request.user.unit_id is not None},
    )


@login_required
def case_edit(request: HttpRequest, case_id: int | None = None) -> HttpResponseBase:
    _staff(request.user)
    case = None
    if case_id:
        case = get_visible_or_404(
            Case.objects.visible_to(request.user).select_related("unit"), pk=case_id
        )
        require(rules.is_unit_member(request.user, case.unit))
    else:
        require(request.user.unit_id is not None)
    if request.method == "POST":
        form = CaseForm(request.POST, user=request.user, case=case)
        if form.is_valid():
            data = dict(form.cleaned_data)
            partners = data.pop("partners")
            try:
                case = services.case_save(
                    actor=request.user, unit=request.user.unit, case=case, partners=partners, **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "案例已保存。")
                return redirect("activities:case_detail", case_id=case.pk)
    else:
        form = CaseForm(instance=case, user=request.user, case=case)
        if case:
            form.initial["partners"] = list(case.partners.all())
    return render(
        request,
        "activities/simple_form.html",
        {"form": form, "title": "案例与先进典型", "back": reverse("activities:case_list")},
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponseBase:
    case = get_visible_or_404(
        Case.objects.visible_to(request.user)
        .select_related("unit")
        .prefetch_related(Prefetch("partners")),
        pk=case_id,
    )
    can_publish = rules.is_unit_member(request.user, case.unit) or request.user.sees_everything
    if request.method == "POST":
        require(can_publish)
        try:
            services.case_publish(
                actor=request.user, case=case, confirmed=request.POST.get("confirmed") == "1"
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except PermissionDenied:
            raise
        else:
            messages.success(request, "案例已发布。")
        return redirect("activities:case_detail", case_id=case.pk)
    return render(
        request,
        "activities/case_detail.html",
        {
            "case": case,
            "warnings": services.case_privacy_warnings(services.case_text(case)),
            "can_publish": can_publish,
        },
    )
