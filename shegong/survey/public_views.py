"""The citizen's side of the awareness survey. No login, works without JavaScript."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shegong.core.http import client_address
from shegong.helpdesk.selectors import area_units

from . import selectors, services
from .forms import SurveyForm

SESSION_KEY = "survey_sent"


def _survey_or_404(slug: str):
    survey = selectors.survey_public(slug)
    if survey is None:
        raise Http404
    return survey


@never_cache
@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, slug: str) -> HttpResponseBase:
    survey = _survey_or_404(slug)
    is_open = survey.is_open(timezone.localdate())
    units = area_units()
    status = 200
    if request.method == "POST" and is_open:
        form = SurveyForm(request.POST, units=units)
        if form.is_bot:
            # Keep what was typed but not the trap: a person whose browser autofilled it can
            # simply send again.
            data = request.POST.copy()
            data["website"] = ""
            form = SurveyForm(data, units=units)
            form.is_valid()
            form.add_error(None, _("提交未能受理，请检查后再提交一次。"))
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                services.answer_submit(survey=survey, ip=client_address(request), **data)
            except services.LimitReached as exc:
                form.add_error(None, exc)
                status = 429
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session[SESSION_KEY] = survey.slug
                return redirect("survey_public_thanks", slug=survey.slug)
    else:
        form = SurveyForm(units=units)
    return render(
        request,
        "survey/public_form.html",
        {"survey": survey, "form": form, "is_open": is_open},
        status=status,
    )


@never_cache
def survey_thanks(request: HttpRequest, slug: str) -> HttpResponseBase:
    survey = _survey_or_404(slug)
    if request.session.get(SESSION_KEY) != survey.slug:
        return redirect("survey_public_form", slug=survey.slug)
    return render(request, "survey/public_thanks.html", {"survey": survey})
