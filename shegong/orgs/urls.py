from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    # Before "<code>/": no unit is coded "partners".
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_edit, name="partner_create"),
    path("partners/<int:partner_id>/", views.partner_edit, name="partner_edit"),
    path("<str:code>/", views.unit_detail, name="unit_detail"),
    path("<str:code>/edit/", views.unit_edit, name="unit_edit"),
]
