from django.urls import path

from . import dashboard_views, summary_views, views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
]

# Summaries and reporting (总结报送).
S = "summaries/<slug:slug>"
urlpatterns += [
    path("summaries/", summary_views.summary_home, name="summary_home"),
    path(f"{S}/", summary_views.summary_list, name="summary_list"),
    path(f"{S}/plan/", summary_views.reporting_plan, name="reporting_plan"),
    path(f"{S}/compare/", summary_views.summary_compare, name="summary_compare"),
    path(f"{S}/city-report/", summary_views.city_report, name="city_report"),
    path(
        f"{S}/city-report/export.<str:fmt>",
        summary_views.city_report_export,
        name="city_report_export",
    ),
    path(f"{S}/<str:code>/", summary_views.summary_detail, name="summary_detail"),
    path(f"{S}/<str:code>/submit/", summary_views.summary_submit, name="summary_submit"),
    path(f"{S}/<str:code>/review/", summary_views.summary_review, name="summary_review"),
    path(f"{S}/<str:code>/attach/", summary_views.summary_attach, name="summary_attach"),
    path(
        f"{S}/<str:code>/attach-ledger/",
        summary_views.summary_attach_ledger,
        name="summary_attach_ledger",
    ),
    path(
        f"{S}/<str:code>/attachments/<int:pk>/",
        summary_views.attachment_file,
        name="summary_attachment",
    ),
    path(
        f"{S}/<str:code>/attachments/<int:pk>/remove/",
        summary_views.attachment_remove,
        name="summary_attachment_remove",
    ),
    path(f"{S}/<str:code>/export.<str:fmt>", summary_views.summary_export, name="summary_export"),
    path(
        f"{S}/<str:code>/records/<str:key>/",
        summary_views.summary_records,
        name="summary_records",
    ),
]
