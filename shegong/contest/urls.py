from django.urls import path

from . import views

app_name = "contest"

# Console pages of this app, mounted under /console/contest/.
urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("new/", views.call_new, name="call_new"),
    path("entries/", views.unit_entries, name="unit_entries"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/action/", views.entry_action, name="entry_action"),
    path("entries/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("entries/<int:pk>/wechat/", views.wechat, name="wechat"),
    path("media/<int:pk>/", views.media_file, name="media_file"),
    path("media/<int:pk>/consent/", views.media_consent, name="media_consent"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("calls/<slug:slug>/", views.call_detail, name="call_detail"),
    path("calls/<slug:slug>/edit/", views.call_edit, name="call_edit"),
    path("calls/<slug:slug>/judges/", views.judge_action, name="judge_action"),
    path("calls/<slug:slug>/judges/remove/", views.judge_remove, name="judge_remove"),
    path("calls/<slug:slug>/start/", views.review_start, name="review_start"),
    path("calls/<slug:slug>/ranking/", views.ranking, name="ranking"),
    path("calls/<slug:slug>/shortlist/", views.shortlist, name="shortlist"),
    path("calls/<slug:slug>/decisions/", views.publish_decisions, name="publish_decisions"),
    path("calls/<slug:slug>/schedule/", views.schedule, name="schedule"),
]
