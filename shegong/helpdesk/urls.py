# Console pages of this app, mounted under /console/helpdesk/.
from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("access-log/", views.access_log, name="access_log"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/act/", views.act, name="act"),
]
