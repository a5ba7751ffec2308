# Console pages of this app, mounted under /console/helpdesk/.
from django.urls import path, re_path

from . import views

app_name = "helpdesk"

# Only a well-formed tracking code reaches the database (PostgreSQL refuses NUL bytes).
CODE = r"(?P<code>[0-9A-Z]{8})"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("access-log/", views.access_log, name="access_log"),
    re_path(rf"^{CODE}/$", views.detail, name="detail"),
    re_path(rf"^{CODE}/act/$", views.act, name="act"),
]
