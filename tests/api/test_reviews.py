"""Judges through the API: their assignments only, blind, scored through the service."""

import datetime

import pytest
from django.utils import timezone

from shegong.contest import services
from shegong.contest.models import Call, Review
from shegong.core.models import AuditEntry
from tests.contest.conftest import call, enter, judges, media_root  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewing(call, city_admin, judges, enter):  # noqa: F811
    entries = [enter(), enter(), enter()]
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        submission_closes=now - datetime.timedelta(hours=2),
        review_opens=now - datetime.timedelta(hours=1),
    )
    call.refresh_from_db()
    services.review_start(actor=city_admin, call=call, now=now)
    return entries


def test_judge_sees_only_assigned_entries_blind(api, judges, reviewing):  # noqa: F811
    judge = judges[0]
    assigned = set(Review.objects.filter(judge=judge).values_list("entry_id", flat=True))
    client = api(judge)
    listed = client.get("/api/v1/reviews/").json()["results"]
    assert {r["entry_id"] for r in listed} == assigned
    text = str(listed)
    for entry in reviewing:
        assert entry.author_name not in text
        assert entry.phone not in text
    other = next(e for e in reviewing if e.pk not in assigned)
    assert client.get(f"/api/v1/reviews/{other.pk}/").status_code == 404
    mine = client.get(f"/api/v1/reviews/{min(assigned)}/").json()
    assert [c["name"] for c in mine["criteria"]] == ["真实感人", "专业体现", "文字表达", "传播价值"]
    assert "author_name" not in mine
    assert "奶奶" in mine["text"]


def test_judge_scores_through_the_service(api, judges, reviewing):  # noqa: F811
    judge = judges[0]
    review = Review.objects.filter(judge=judge).first()
    client = api(judge)
    detail = client.get(f"/api/v1/reviews/{review.entry_id}/").json()
    scores = {str(c["id"]): 80 for c in detail["criteria"]}
    url = f"/api/v1/reviews/{review.entry_id}/score/"

    partial = client.post(
        url, {"scores": dict(list(scores.items())[:1])}, content_type="application/json"
    )
    assert partial.status_code == 400
    assert "请为每个评分项打分" in partial.json()["message"]
    too_high = client.post(
        url, {"scores": dict.fromkeys(scores, 101)}, content_type="application/json"
    )
    assert too_high.json()["field"].startswith("scores")

    done = client.post(url, {"scores": scores, "comment": "感人"}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["total"] == 80.0
    assert AuditEntry.objects.filter(
        action="contest.review_score", target_id=str(review.pk)
    ).exists()


def test_staff_are_refused_the_judges_endpoints(api, station_worker, reviewing):
    response = api(station_worker).get("/api/v1/reviews/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
