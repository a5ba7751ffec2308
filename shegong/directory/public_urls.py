# Public pages of this app, mounted at the site root. Their URLs are kept forever
# (docs/contracts.md).
from django.urls import path

from . import hsds, public_views

urlpatterns = [
    path("stations/", public_views.station_index, name="directory_station_index"),
    path("stations/<slug:slug>/", public_views.station_detail, name="directory_station_detail"),
    path("q/<str:code>", public_views.qr_redirect, name="directory_qr_redirect"),
    path("api/hsds/", hsds.root, name="hsds_root"),
    path("api/hsds/services", hsds.service_list, name="hsds_service_list"),
    path("api/hsds/services/<str:pk>", hsds.service_detail, name="hsds_service_detail"),
    path("api/hsds/organizations", hsds.organization_list, name="hsds_organization_list"),
    path(
        "api/hsds/organizations/<str:pk>",
        hsds.organization_detail,
        name="hsds_organization_detail",
    ),
]
