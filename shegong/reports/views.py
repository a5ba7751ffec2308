from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from shegong.core.registry import waiting_items

from .selectors import console_home_for


@login_required
def home(request: HttpRequest) -> HttpResponseBase:
    context = console_home_for(request.user)
    context["waiting"] = waiting_items(request.user)
    return render(request, "reports/home.html", context)
