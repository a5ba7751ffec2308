from django.urls import path

from . import views

app_name = "campaigns"

# Console pages of this app, mounted under /console/campaigns/.
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/edit/", views.campaign_edit, name="edit"),
    path("<slug:slug>/clone/", views.campaign_clone_view, name="clone"),
    path("<slug:slug>/kpis/", views.campaign_kpis_edit, name="kpis"),
    path("<slug:slug>/tasks/new/", views.task_new, name="task_new"),
    path("<slug:slug>/tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<slug:slug>/tasks/<int:pk>/withdraw/", views.task_withdraw_view, name="task_withdraw"),
    path("<slug:slug>/matrix/", views.progress_matrix, name="matrix"),
    path("<slug:slug>/progress/<int:pk>/", views.progress_edit, name="progress_edit"),
    path("<slug:slug>/notice.<str:fmt>", views.notice_download, name="notice"),
]
