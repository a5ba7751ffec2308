# Public pages of this app, mounted at the site root. Their URLs are kept forever
# (docs/contracts.md).
from django.urls import path

from . import public_views

urlpatterns = [
    path("help/", public_views.help_form, name="helpdesk_public_form"),
    path("help/sent/", public_views.help_sent, name="helpdesk_public_sent"),
    path("help/track/", public_views.help_track, name="helpdesk_public_track"),
    path("help/track/rate/", public_views.help_rate, name="helpdesk_public_rate"),
]
