# Public pages of this app, mounted at the site root. Their URLs are kept forever
# (docs/contracts.md).
from django.urls import path

from . import public_views

urlpatterns = [
    path("survey/<slug:slug>/", public_views.survey_form, name="survey_public_form"),
    path("survey/<slug:slug>/thanks/", public_views.survey_thanks, name="survey_public_thanks"),
]
