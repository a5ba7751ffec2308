from django.urls import path

from . import public_views

# Public pages of this app, mounted at the site root. Their URLs are kept forever
# (docs/contracts.md).
app_name = "campaigns_public"

urlpatterns = [
    path("docs/", public_views.document_index, name="index"),
    path("docs/<slug:slug>/", public_views.document_page, name="document"),
    path("docs/<slug:slug>/notice.<str:fmt>", public_views.document_download, name="download"),
]
