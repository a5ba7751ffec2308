from django.urls import path

from . import views

app_name = "activities"

# Console pages of this app, mounted under /console/activities/.
urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("export.xlsx", views.activity_export, name="activity_export"),
    path("template.xlsx", views.activity_template, name="activity_template"),
    path("import/", views.activity_import, name="activity_import"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/do/<str:action>/", views.activity_transition, name="activity_transition"),
    path("<int:pk>/media/", views.media_upload, name="media_upload"),
    path("<int:pk>/news/", views.news_edit, name="news_create"),
    path("<int:pk>/news/<int:news_id>/", views.news_edit, name="news_edit"),
    path("<int:pk>/news/<int:news_id>/<str:to>/", views.news_action, name="news_action"),
    path("media/<int:media_id>/", views.media_file, name="media_file"),
    path("media/<int:media_id>/thumb/", views.media_file, {"variant": "thumb"}, name="media_thumb"),
    path("media/<int:media_id>/consent/", views.media_consent, name="media_consent"),
    path("media/<int:media_id>/minors/", views.media_minors, name="media_minors"),
    path("budget/", views.budget_report, name="budget_report"),
    path("coverage/", views.record_list, {"kind": "coverage"}, name="coverage_list"),
    path("coverage/new/", views.record_create, {"kind": "coverage"}, name="coverage_create"),
    path("submissions/", views.record_list, {"kind": "submissions"}, name="submissions_list"),
    path(
        "submissions/new/", views.record_create, {"kind": "submissions"}, name="submissions_create"
    ),
    path(
        "submissions/<int:submission_id>/status/",
        views.submission_status,
        name="submission_status",
    ),
    path("streams/", views.record_list, {"kind": "streams"}, name="streams_list"),
    path("streams/new/", views.record_create, {"kind": "streams"}, name="streams_create"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_edit, name="case_create"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/edit/", views.case_edit, name="case_edit"),
]
