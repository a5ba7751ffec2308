# Public pages of this app, mounted at the site root. Their URLs are kept forever
# (docs/contracts.md):
# /stories/ and /stories/<slug>/ (slugs are "<year>-<number>", never one of the words below).
from django.urls import path

from . import public_views

urlpatterns = [
    path("stories/", public_views.stories, name="contest_public_list"),
    path("stories/submit/", public_views.submit, name="contest_public_submit"),
    path("stories/sent/", public_views.sent, name="contest_public_sent"),
    path("stories/follow/", public_views.follow, name="contest_public_follow"),
    path("stories/verify/<str:code>/", public_views.verify, name="contest_public_verify"),
    path("stories/media/<int:pk>/", public_views.media, name="contest_public_media"),
    path("stories/<slug:slug>/", public_views.story, name="contest_public_story"),
]
