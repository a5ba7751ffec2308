# The user's API tokens, under /console/api/ (linked from the user's menu in the top bar).
from django.urls import path

from . import views

app_name = "api_console"

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/revoke/", views.token_revoke, name="token_revoke"),
]
