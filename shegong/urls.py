from django.contrib import admin
from django.urls import include, path

from shegong.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Station pages and QR short links (/q/) first: they are the most frequent requests, from
    # posters and buses, and Django tries the patterns in order (bench_directory_public.py).
    path("", include("shegong.directory.public_urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("shegong.accounts.urls")),
    # Staff console: login required everywhere below.
    path("console/", include("shegong.reports.urls")),
    path("console/", include("shegong.core.urls")),
    path("console/units/", include("shegong.orgs.urls")),
    path("console/campaigns/", include("shegong.campaigns.urls")),
    path("console/activities/", include("shegong.activities.urls")),
    path("console/directory/", include("shegong.directory.urls")),
    path("console/helpdesk/", include("shegong.helpdesk.urls")),
    path("console/contest/", include("shegong.contest.urls")),
    path("console/api/", include("shegong.api.console_urls")),
    # The REST API (token sign-in, JSON only): docs/api.md.
    path("api/v1/", include("shegong.api.urls")),
    path("console/jobs/", include("shegong.jobs.urls")),
    # Public site: the only views that opt out of login, here and at the top (their URLs are
    # kept forever: docs/contracts.md).
    path("", include("shegong.campaigns.public_urls")),
    path("", include("shegong.helpdesk.public_urls")),
    path("", include("shegong.contest.public_urls")),
    path("", include("shegong.survey.public_urls")),
    path("", include("shegong.public.urls")),
]
