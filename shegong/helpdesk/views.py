"""Staff console: the queue, one request with its actions, and the access log (city only)."""

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from shegong.core.access import get_visible_or_404, require
from shegong.core.http import query_text
from shegong.orgs.models import Unit, unit_scope_q
from shegong.orgs.rules import is_staff_member

from . import selectors, services
from .forms import ActionForm
from .models import HelpRequest
from .rules import actions_allowed, can_handle, can_read_access_log


def console_chinese(view):
    """The console is Chinese only: labels of shared choices must not follow the browser."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("zh-hans"):
            return view(request, *args, **kwargs)

    return wrapped


@login_required
@console_chinese
def queue(request: HttpRequest) -> HttpResponseBase:
    require(is_staff_member(request.user))
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    urgent = request.GET.get("urgent") == "1"
    mine = request.GET.get("mine") == "1"
    # The dashboard's links: a unit (within the user's own), its own requests, a campaign,
    # the days the requests were made.
    code = query_text(request.GET, "unit", 20)
    unit = (
        Unit.objects.filter(unit_scope_q(request.user, field=None), code=code).first()
        if code
        else None
    )
    kept = {
        "unit": unit.code if unit else "",
        "own": "1" if unit and request.GET.get("own") == "1" else "",
        "campaign": query_text(request.GET, "campaign", 60),
        "date_from": _date(request.GET.get("date_from")),
        "date_to": _date(request.GET.get("date_to")),
    }
    kept = {key: value for key, value in kept.items() if value}
    requests = selectors.helprequest_queue(
        request.user,
        status=status,
        overdue=overdue,
        urgent=urgent,
        mine=mine,
        unit=unit,
        own=bool(kept.get("own")),
        campaign=kept.get("campaign", ""),
        date_from=kept.get("date_from"),
        date_to=kept.get("date_to"),
    )
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "helpdesk/queue.html",
        {
            "page": page,
            "status": status,
            "overdue": overdue,
            "urgent": urgent,
            "mine": mine,
            "statuses": HelpRequest.Status.choices,
            "kept": kept,
            "now": timezone.now(),
        },
    )


def _date(value) -> str:
    """An ISO date from the query string, or "" (a malformed one is ignored)."""
    try:
        return datetime.date.fromisoformat(value or "").isoformat()
    except ValueError:
        return ""


def _detail_context(request: HttpRequest, help_request, form=None):
    allowed = can_handle(request.user, help_request)
    offered = actions_allowed(request.user, help_request)
    actions = []
    for key, label in ActionForm.ACTIONS:
        if key in offered:
            mine = form is not None and form.action == key
            action_form = form if mine else ActionForm(action=key, initial={"public": True})
            actions.append({"key": key, "label": label, "form": action_form, "open": mine})
    return {
        "req": help_request,
        "can_handle": allowed,
        # Full contact details only for the assigned unit and its district; the city audits.
        "full_contact": allowed,
        "actions": actions,
        # A refused action that is not (or no longer) offered: its reason shows above them.
        "refused": form if form is not None and form.action not in offered else None,
        "overdue": help_request.is_overdue(),
    }


@login_required
@console_chinese
def detail(request: HttpRequest, code: str) -> HttpResponseBase:
    help_request = get_visible_or_404(selectors.helprequest_detail(request.user, code), code=code)
    services.access_log_record(user=request.user, request=help_request, action="view")
    return render(request, "helpdesk/detail.html", _detail_context(request, help_request))


ACTIONS = {
    "accept": lambda actor, req, d: services.helprequest_accept(
        actor=actor, request=req, note=d["note"], public=d["public"]
    ),
    "start": lambda actor, req, d: services.helprequest_start(
        actor=actor, request=req, note=d["note"], public=d["public"]
    ),
    "close": lambda actor, req, d: services.helprequest_close(
        actor=actor, request=req, outcome=d["outcome"], note=d["note"], public=d["public"]
    ),
    "reject": lambda actor, req, d: services.helprequest_reject(
        actor=actor, request=req, reason=d["reason"], note=d["note"], public=d["public"]
    ),
    "refer": lambda actor, req, d: services.helprequest_refer(
        actor=actor,
        request=req,
        note=d["note"],
        unit=d["unit"],
        partner=d["partner"],
        public=d["public"],
    ),
    "note": lambda actor, req, d: services.helprequest_note_add(
        actor=actor, request=req, text=d["note"], public=d["public"]
    ),
}


@login_required
@console_chinese
@require_POST
def act(request: HttpRequest, code: str) -> HttpResponseBase:
    help_request = get_visible_or_404(selectors.helprequest_detail(request.user, code), code=code)
    require(
        can_handle(request.user, help_request),
        f"这条求助由承办单位（{help_request.unit.name}）及其区局处理；市局只查看求助、不处理。",
    )
    form = ActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            updated = ACTIONS[action](request.user, help_request, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            label = dict(ActionForm.ACTIONS)[action]
            done = f"已{label}：求助 {help_request.display_code}。"
            moved = isinstance(updated, HelpRequest) and updated.unit_id != help_request.unit_id
            if request.htmx and not moved:
                # The partial shows the contact details again: that is a view, logged as such.
                fresh = selectors.helprequest_detail(request.user, code).get(pk=help_request.pk)
                services.access_log_record(user=request.user, request=fresh, action="view")
                context = {**_detail_context(request, fresh), "done": done}
                return render(request, "helpdesk/_detail.html", context)
            messages.success(request, done)
            if moved:
                url = reverse("helpdesk:queue")
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
            return redirect("helpdesk:detail", code=help_request.code)
    services.access_log_record(user=request.user, request=help_request, action="view")
    template = "helpdesk/_detail.html" if request.htmx else "helpdesk/detail.html"
    return render(request, template, _detail_context(request, help_request, form))


@login_required
@console_chinese
def access_log(request: HttpRequest) -> HttpResponseBase:
    require(can_read_access_log(request.user))
    entries = selectors.access_log_entries()
    code = services.code_normalise(request.GET.get("code", ""))[: services.CODE_LENGTH]
    if code:
        entries = entries.filter(request__code=code)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "helpdesk/access_log.html", {"page": page, "code": code})
