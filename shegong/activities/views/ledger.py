"""The activity ledger: list, export, template, import, record, edit, detail, review."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require
from shegong.core.http import attachment_response
from shegong.core.keyset import keyset_page
from shegong.jobs.services import job_start
from shegong.orgs.models import Unit

from .. import excel, rules, selectors, services
from ..forms import (
    ActivityForm,
    CommentForm,
    ImportForm,
    MediaForm,
)
from ..models import (
    Activity,
    Audience,
    Focus,
)
from ._base import XLSX, _error_text, _staff

# --- the ledger ------------------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponseBase:
    _staff(request.user)
    f = selectors.LedgerFilter.from_query(request.GET)
    qs = selectors.activity_ledger(request.user, f)
    # Keyset pages: the 1,000th page of a city's 台账 reads no more than the first.
    page = keyset_page(qs, request.GET, field="starts_at", per_page=50)
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    export_fields = [(name, value) for name, value in query.items() if value]
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "f": f,
            "query": query.urlencode(),
            "export_fields": export_fields,
            "statuses": [
                *Activity.Status.choices,
                (selectors.REVIEWED, "已审核（通过和优秀案例）"),
            ],
            "kinds": Activity.Kind.choices,
            "focuses": Focus.choices,
            "audiences": Audience.choices,
            "can_record": rules.can_record_for_unit(request.user, request.user.unit)
            if request.user.unit_id
            else False,
        },
    )


@login_required
def activity_export(request: HttpRequest) -> HttpResponseBase:
    """The 台账 as filtered on screen. Up to ``LEDGER_EXPORT_SYNC_ROWS`` rows in the request
    (well under a second); more as a job whose page shows the progress. The ledger's button
    POSTs (a job is a write); a GET of a large export asks for that POST first."""
    _staff(request.user)
    asked = request.POST.copy() if request.method == "POST" else request.GET.copy()
    asked.pop("csrfmiddlewaretoken", None)
    qs = selectors.activity_ledger(request.user, selectors.LedgerFilter.from_query(asked))
    limit = settings.LEDGER_EXPORT_SYNC_ROWS
    if qs[: limit + 1].count() <= limit:
        return attachment_response(
            excel.ledger_export(qs),
            name=f"活动台账（{timezone.localdate():%Y-%m-%d}导出）.xlsx",
            fallback="activities.xlsx",
            content_type=XLSX,
        )
    if request.method != "POST":
        return render(
            request,
            "activities/activity_export.html",
            {"fields": list(asked.items()), "limit": limit},
        )
    job = job_start(
        owner=request.user,
        kind="activities.ledger_export",
        title="导出活动台账",
        unit=request.user.unit,
        params={"query": asked.urlencode()},
    )
    return redirect("jobs:job_detail", pk=job.pk)


@login_required
def activity_template(request: HttpRequest) -> HttpResponseBase:
    _staff(request.user)
    return attachment_response(
        excel.ledger_template(),
        name="活动台账导入模板.xlsx",
        fallback="activities-template.xlsx",
        content_type=XLSX,
    )


@login_required
def activity_import(request: HttpRequest) -> HttpResponseBase:
    """Upload a filled-in template; the task worker imports it (all or nothing) while the
    job's page shows the rows read, then what was imported or every refused cell."""
    _staff(request.user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            campaign = form.cleaned_data["campaign"]
            job = job_start(
                owner=request.user,
                kind="activities.ledger_import",
                title="导入活动台账",
                unit=request.user.unit,
                params={"campaign": campaign.pk if campaign else None, "needs_source": True},
                source=form.cleaned_data["file"],
            )
            return redirect("jobs:job_detail", pk=job.pk)
    else:
        from shegong.campaigns.models import Campaign

        form = ImportForm(initial={"campaign": Campaign.objects.current()})
    return render(request, "activities/activity_import.html", {"form": form})


def _visible_activity(request: HttpRequest, pk: int) -> Activity:
    return get_visible_or_404(
        Activity.objects.visible_to(request.user).select_related("unit__parent", "campaign"),
        pk=pk,
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponseBase:
    _staff(request.user)
    require(Unit.objects.changeable_by(request.user).exists())
    if request.method == "POST":
        form = ActivityForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.activity_data()
            try:
                activity = services.activity_create(
                    actor=request.user, unit=data.pop("unit"), risk=form.risk_data(), **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "活动已保存为草稿。")
                return redirect("activities:activity_detail", pk=activity.pk)
    else:
        from shegong.campaigns.models import Campaign

        form = ActivityForm(user=request.user, initial={"campaign": Campaign.objects.current()})
    return render(request, "activities/activity_form.html", {"form": form, "title": "登记活动"})


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    activity = _visible_activity(request, pk)
    require(rules.can_edit(request.user, activity))
    if request.method == "POST":
        form = ActivityForm(request.POST, user=request.user, activity=activity)
        if form.is_valid():
            try:
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    risk=form.risk_data(),
                    **form.activity_data(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "修改已保存。")
                return redirect("activities:activity_detail", pk=activity.pk)
    else:
        form = ActivityForm(
            user=request.user, activity=activity, initial=ActivityForm.initial_for(activity)
        )
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "title": "修改活动", "activity": activity, "unit": activity.unit},
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    activity = _visible_activity(request, pk)
    user = request.user
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "risk": getattr(activity, "risk", None) if hasattr(activity, "risk") else None,
            "media": list(activity.media.all()),
            "events": list(activity.events.select_related("actor")),
            "news": list(activity.news.all()),
            "partners": list(activity.partners.all()),
            "tasks": list(activity.tasks.all()),
            "coverage": list(activity.coverage.all()),
            "submissions": list(activity.submissions.all()),
            "streams": list(activity.streams.all()),
            "is_member": rules.is_unit_member(user, activity.unit),
            "can_edit": rules.can_edit(user, activity),
            "held_hint": selectors.activity_not_held_hint(
                activity,
                risk=getattr(activity, "risk", None),
                can_edit=rules.can_edit(user, activity),
            ),
            "can_review": rules.can_review(user, activity),
            "can_feature": rules.can_feature(user, activity),
            "can_add_media": rules.can_add_media(user, activity),
            "can_flag_minors": rules.can_flag_minors(user, activity),
            "comment_form": CommentForm(),
            "media_form": MediaForm(),
        },
    )


TRANSITIONS = {
    "submit": (services.activity_submit, "已提交审核。"),
    "return": (services.activity_return, "已退回，并通知了填报单位。"),
    "approve": (services.activity_approve, "已审核通过。"),
    "feature": (services.activity_feature, "已评为优秀案例。"),
    "risk_approve": (services.risk_approve, "已批准风险评估。"),
}


@login_required
@require_POST
def activity_transition(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    activity = _visible_activity(request, pk)
    if action not in TRANSITIONS:
        raise Http404
    service, done = TRANSITIONS[action]
    kwargs = {"actor": request.user, "activity": activity}
    if action in ("return", "approve"):
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(form.errors["comment"]))
            return redirect("activities:activity_detail", pk=activity.pk)
        kwargs["comment"] = form.cleaned_data["comment"]
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect("activities:activity_detail", pk=activity.pk)
