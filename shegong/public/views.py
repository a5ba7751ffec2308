from django.shortcuts import render
from django.views.decorators.http import require_GET

from shegong.campaigns.models import Campaign


@require_GET
def home(request):
    return render(request, "public/home.html", {"campaign": Campaign.objects.current()})
