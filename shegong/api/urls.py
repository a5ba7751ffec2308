# The REST API, mounted at /api/v1/ (a stable contract: docs/contracts.md). Path parameters are
# named after what they name (unit_code, activity_id, help_code …): the leak sweep fills them
# from the OpenAPI description by these names.
from django.urls import path, re_path

from . import views
from .resources import (
    activities,
    campaigns,
    helprequests,
    partners,
    reviews,
    stations,
    stories,
    summaries,
    units,
)

app_name = "api"

urlpatterns = [
    path("openapi.json", views.OpenApiJson.as_view(), name="openapi"),
    path("docs/", views.docs, name="docs"),
    path("units/", units.UnitList.as_view(), name="unit_list"),
    path("units/<str:unit_code>/", units.UnitDetail.as_view(), name="unit_detail"),
    path("campaigns/", campaigns.CampaignList.as_view(), name="campaign_list"),
    path(
        "campaigns/<slug:campaign_slug>/",
        campaigns.CampaignDetail.as_view(),
        name="campaign_detail",
    ),
    path(
        "campaigns/<slug:campaign_slug>/progress/",
        campaigns.ProgressList.as_view(),
        name="progress_list",
    ),
    path(
        "campaigns/<slug:campaign_slug>/summaries/",
        summaries.SummaryList.as_view(),
        name="summary_list",
    ),
    path(
        "campaigns/<slug:campaign_slug>/summaries/<str:unit_code>/",
        summaries.SummaryDetail.as_view(),
        name="summary_detail",
    ),
    path("activities/", activities.ActivityList.as_view(), name="activity_list"),
    path(
        "activities/<int:activity_id>/",
        activities.ActivityDetail.as_view(),
        name="activity_detail",
    ),
    path(
        "activities/<int:activity_id>/submit/",
        activities.ActivitySubmit.as_view(),
        name="activity_submit",
    ),
    path("coverage/", activities.CoverageList.as_view(), name="coverage_list"),
    path("submissions/", activities.SubmissionList.as_view(), name="submission_list"),
    path("livestreams/", activities.LiveStreamList.as_view(), name="livestream_list"),
    path("help-requests/", helprequests.HelpRequestList.as_view(), name="helprequest_list"),
    path(
        "help-requests/<str:help_code>/",
        helprequests.HelpRequestDetail.as_view(),
        name="helprequest_detail",
    ),
    path(
        "help-requests/<str:help_code>/actions/",
        helprequests.HelpRequestAct.as_view(),
        name="helprequest_act",
    ),
    path("stations/", stations.StationList.as_view(), name="station_list"),
    path("stations/<slug:listing_slug>/", stations.StationDetail.as_view(), name="station_detail"),
    path("qr-links/", stations.QrLinkList.as_view(), name="qrlink_list"),
    path("partners/", partners.PartnerList.as_view(), name="partner_list"),
    path("reviews/", reviews.ReviewList.as_view(), name="review_list"),
    path("reviews/<int:entry_id>/", reviews.ReviewDetail.as_view(), name="review_detail"),
    path("reviews/<int:entry_id>/score/", reviews.ReviewScore.as_view(), name="review_score"),
    path("stories/submissions/", stories.StorySubmit.as_view(), name="story_submit"),
    # Last: whatever else is asked for under /api/v1/ is the API's JSON 404.
    re_path(r"", views.not_found, name="not_found"),
]
