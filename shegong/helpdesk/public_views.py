"""The citizen's side: ask for help, get a code, track it, rate the service. No login."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shegong.core.http import client_address
from shegong.orgs.models import Unit

from . import selectors, services
from .forms import HelpForm, RateForm, TrackForm

SESSION_KEY = "helpdesk_sent"


@never_cache
@require_http_methods(["GET", "POST"])
def help_form(request: HttpRequest) -> HttpResponseBase:
    units = selectors.area_units()
    danger: list[str] = []
    if request.method == "POST":
        form = HelpForm(request.POST, units=units)
        danger = services.danger_words_in(request.POST.get("description", ""))
        if form.is_bot:
            # Keep what was typed but not the trap: a person whose browser autofilled it can
            # simply send again.
            data = request.POST.copy()
            data["website"] = ""
            form = HelpForm(data, units=units)
            form.is_valid()
            form.add_error(None, _("提交未能受理，请检查后再提交一次，或直接拨打社工站电话。"))
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("consent", "website")}
            try:
                help_request = services.helprequest_submit(ip=client_address(request), **data)
            except services.LimitReached as exc:
                form.add_error(None, exc)
            else:
                request.session[SESSION_KEY] = {
                    "code": help_request.display_code,
                    "urgent": help_request.urgent,
                    "unit": help_request.unit.name,
                    "unit_code": help_request.unit.code,
                }
                return redirect("helpdesk_public_sent")
    else:
        station = request.GET.get("station", "")
        initial = {"area": station} if any(u.code == station for u in units) else {}
        form = HelpForm(initial=initial, units=units)
    return render(
        request,
        "helpdesk/public_form.html",
        {
            "form": form,
            "danger": danger,
            "danger_words": "|".join(services.DANGER_WORDS),
        },
    )


@never_cache
def help_sent(request: HttpRequest) -> HttpResponseBase:
    sent = request.session.get(SESSION_KEY)
    if not sent:
        return redirect("helpdesk_public_form")
    unit = Unit.objects.filter(code=sent.get("unit_code")).first()
    return render(request, "helpdesk/public_sent.html", {"sent": sent, "unit": unit})


def _render_status(request: HttpRequest, help_request, rate_form=None, status=200):
    notes = list(selectors.helprequest_public_notes(help_request))
    # The receipt note names the unit as stored (in Chinese); name it in the page's language.
    named = {note.receipt_unit for note in notes if note.receipt_unit}
    units = {unit.name: unit for unit in Unit.objects.filter(name__in=named)} if named else {}
    for note in notes:
        note.receipt_unit_obj = units.get(note.receipt_unit)
    return render(
        request,
        "helpdesk/public_status.html",
        {
            "req": help_request,
            "notes": notes,
            # The outcome is the citizen's only when staff closed the request with a public note.
            "show_outcome": any(note.status_to == "closed" for note in notes),
            "rate_form": rate_form
            or RateForm(initial={"code": help_request.code, "last4": help_request.phone_last4}),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def help_track(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            try:
                help_request = services.helprequest_track(
                    ip=client_address(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _render_status(request, help_request)
        status = 429 if form.has_error("__all__", "track_limit") else 200
        return render(request, "helpdesk/public_track.html", {"form": form}, status=status)
    return render(request, "helpdesk/public_track.html", {"form": TrackForm()})


@never_cache
@require_POST
def help_rate(request: HttpRequest) -> HttpResponseBase:
    form = RateForm(request.POST)
    if not form.is_valid() and (form.has_error("code") or form.has_error("last4")):
        return render(request, "helpdesk/public_track.html", {"form": TrackForm(request.POST)})
    try:
        help_request = services.helprequest_track(
            ip=client_address(request),
            code=form.cleaned_data["code"],
            last4=form.cleaned_data["last4"],
        )
    except ValidationError as exc:
        track = TrackForm(request.POST)
        track.is_valid()
        track.add_error(None, exc)
        return render(request, "helpdesk/public_track.html", {"form": track})
    if form.is_valid():
        try:
            services.helprequest_rate(
                request=help_request,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _render_status(request, help_request)
    return _render_status(request, help_request, rate_form=form)
