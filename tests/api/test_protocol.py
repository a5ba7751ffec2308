"""What every endpoint shares: pages, ETags, limits (429 with Retry-After), the OpenAPI
description and its interactive page."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone

from shegong.activities import services as activity_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(station, station_worker):
    for n in range(5):
        activity_services.activity_create(
            actor=station_worker,
            unit=station,
            kind="poster",
            title=f"海报{n}",
            starts_at=timezone.now() - datetime.timedelta(days=n + 1),
        )


def test_pages_walk_to_the_end_and_past_it(api, station_worker, activities):
    client = api(station_worker)
    first = client.get("/api/v1/activities/?page_size=2").json()
    assert (first["count"], first["pages"], first["page"]) == (5, 3, 1)
    assert [a["title"] for a in first["results"]] == ["海报0", "海报1"]
    seen, url = [], "/api/v1/activities/?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [a["title"] for a in page["results"]]
        url = page["next"]
    assert seen == [f"海报{n}" for n in range(5)]
    past = client.get("/api/v1/activities/?page=9&page_size=2")
    assert past.status_code == 200
    assert past.json()["results"] == []
    for bad in ("page=0", "page=x", "page_size=201", "page_size=-3"):
        response = client.get(f"/api/v1/activities/?{bad}")
        assert response.status_code == 400
        assert response.json()["field"] == bad.split("=")[0]


def test_etag_answers_304_until_the_data_changes(api, station_worker, station, activities):
    client = api(station_worker)
    first = client.get("/api/v1/activities/")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/activities/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    activity_services.activity_create(
        actor=station_worker, unit=station, kind="poster", title="新海报", starts_at=timezone.now()
    )
    changed = client.get("/api/v1/activities/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_token_limit_answers_429_with_retry_after(api, station_worker, settings):
    settings.API_RATE_TOKEN = "3/minute"
    client = api(station_worker)
    answers = [client.get("/api/v1/units/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/v1/units/")
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another token of another user has its own count.
    other = api(station_worker)
    assert other.get("/api/v1/units/").status_code == 200


def test_anonymous_limit_is_per_address(db, settings):
    settings.API_RATE_ANON = "2/minute"
    here, there = Client(REMOTE_ADDR="10.1.1.1"), Client(REMOTE_ADDR="10.1.1.2")
    assert [here.get("/api/v1/openapi.json").status_code for _ in range(3)] == [200, 200, 429]
    assert "Retry-After" in here.get("/api/v1/openapi.json")
    assert there.get("/api/v1/openapi.json").status_code == 200


def test_requests_without_a_valid_token_are_counted_per_address(db, settings):
    """A flood without a token, or with a wrong one, is answered 429 once over the address's
    limit, not refused 401 for free forever."""
    settings.API_RATE_ANON = "3/minute"
    here, there = Client(REMOTE_ADDR="10.5.5.5"), Client(REMOTE_ADDR="10.5.5.6")
    answers = [here.get("/api/v1/activities/").status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]
    refused = here.get("/api/v1/help-requests/")
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    # A wrong token counts against the address too; another address has its own count.
    forged = Client(REMOTE_ADDR="10.5.5.6", headers={"authorization": "Bearer sg_forged"})
    assert [forged.get("/api/v1/units/").status_code for _ in range(3)] == [401, 401, 401]
    assert there.get("/api/v1/units/").status_code == 429
    assert Client(REMOTE_ADDR="10.5.5.7").get("/api/v1/units/").status_code == 401


def test_the_public_submission_is_counted_per_address(db, settings):
    settings.API_RATE_ANON = "2/minute"
    here = Client(REMOTE_ADDR="10.6.6.6")
    answers = [
        here.post("/api/v1/stories/submissions/", {}, content_type="application/json")
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [400, 400, 429]
    assert "Retry-After" in answers[-1]


def test_a_token_refused_403_is_counted_too(api, judge, settings):
    settings.API_RATE_TOKEN = "2/minute"
    client = api(judge)
    assert [client.get("/api/v1/activities/").status_code for _ in range(3)] == [403, 403, 429]


def test_openapi_describes_every_api_route(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    [resolver] = [r for r in get_resolver().url_patterns if str(r.pattern) == "api/v1/"]
    described = set(schema["paths"])
    for pattern in resolver.url_patterns:
        route = "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        if pattern.name in ("openapi", "docs", "not_found"):
            continue
        assert route in described, route
    create = schema["paths"]["/api/v1/activities/"]["post"]
    assert "201" in create["responses"]
    assert "429" in create["responses"]


def test_docs_page_uses_vendored_swagger_under_the_policy(db):
    response = Client().get("/api/v1/docs/")
    text = response.content.decode()
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in text
    assert "/api/v1/openapi.json" in text
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "img-src 'self' data:" in policy
    assert "unsafe-inline" not in policy


def test_unknown_api_addresses_answer_json_404(api, station_worker):
    for url in ("/api/v1/activities/abc/", "/api/v1/nothing-here", "/api/v1/"):
        response = api(station_worker).get(url, headers={"accept-language": "en"})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert response.json()["message"].startswith("Not found")
