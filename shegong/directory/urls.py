# Console pages of this app, mounted under /console/directory/.
from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.listing_list, name="listing_list"),
    path("stations/<slug:slug>/", views.listing_edit, name="listing_edit"),
    path("stations/<slug:slug>/verify/", views.listing_verify_view, name="listing_verify"),
    path("stations/<slug:slug>/poster-<str:size>.pdf", views.poster_download, name="poster"),
    path("qr/", views.qr_list, name="qr_list"),
    path("qr/<str:code>/", views.qr_detail, name="qr_detail"),
    path("qr/<str:code>/image.<str:fmt>", views.qr_image, name="qr_image"),
    path("brand/", views.brand_edit, name="brand_edit"),
]
