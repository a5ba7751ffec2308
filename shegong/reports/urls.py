from django.urls import path

from . import dashboard_views, views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
]
