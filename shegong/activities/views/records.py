"""Media coverage, submissions (投稿) and live streams."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require

from .. import rules, services
from ..forms import (
    CoverageForm,
    LiveStreamForm,
    SubmissionForm,
    SubmissionStatusForm,
)
from ..models import (
    LiveStream,
    MediaCoverage,
    Submission,
)
from ._base import _error_text, _staff

# --- media coverage, submissions, live streams ---------------------------------------------

RECORDS = {
    "coverage": (MediaCoverage, CoverageForm, services.coverage_create, "媒体报道"),
    "submissions": (Submission, SubmissionForm, services.submission_create, "投稿"),
    "streams": (LiveStream, LiveStreamForm, services.livestream_create, "直播"),
}


@login_required
def record_list(request: HttpRequest, kind: str) -> HttpResponseBase:
    _staff(request.user)
    model, _, _, label = RECORDS[kind]
    rows = model.objects.visible_to(request.user).select_related("unit", "activity")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        f"activities/{kind}_list.html",
        {
            "page": page,
            "label": label,
            "kind": kind,
            "can_record": request.user.unit_id is not None,
            "status_form": SubmissionStatusForm(),
        },
    )


@login_required
def record_create(request: HttpRequest, kind: str) -> HttpResponseBase:
    _staff(request.user)
    require(request.user.unit_id is not None)
    _, form_class, service, label = RECORDS[kind]
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            try:
                service(actor=request.user, unit=request.user.unit, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{label}已登记。")
                return redirect(f"activities:{kind}_list")
    else:
        initial = {}
        if request.GET.get("activity", "").isdigit():
            initial["activity"] = int(request.GET["activity"])
        form = form_class(user=request.user, initial=initial)
    return render(
        request,
        "activities/simple_form.html",
        {"form": form, "title": f"登记{label}", "back": reverse(f"activities:{kind}_list")},
    )


@login_required
@require_POST
def submission_status(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    submission = get_visible_or_404(
        Submission.objects.visible_to(request.user).select_related("unit"), pk=submission_id
    )
    require(rules.is_unit_member(request.user, submission.unit))
    form = SubmissionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("activities:submissions_list")
    try:
        services.submission_set_status(
            actor=request.user, submission=submission, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "投稿状态已更新。")
    return redirect("activities:submissions_list")
