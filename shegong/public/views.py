from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shegong.campaigns.models import Campaign
from shegong.directory.selectors import districts_with_stations
from shegong.survey.selectors import survey_open_for_home


@require_GET
def home(request: HttpRequest) -> HttpResponseBase:
    return render(
        request,
        "public/home.html",
        {
            "campaign": Campaign.objects.current(),
            "districts": districts_with_stations(),
            "survey": survey_open_for_home(timezone.localdate()),
        },
    )
