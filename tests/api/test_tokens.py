"""Tokens: created and revoked in the console (shown once, stored hashed, audited); the API
refuses unknown, revoked and expired ones."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from shegong.api.models import ApiToken
from shegong.api.services import apitoken_create, apitoken_revoke, token_hash
from shegong.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_console_creates_a_token_shown_once_and_stored_hashed(login, station_worker):
    client = login(station_worker)
    page = client.get("/console/")
    assert "/console/api/tokens/" in page.content.decode()  # in the user's menu

    response = client.post("/console/api/tokens/", {"name": "台账表格", "expires_on": ""})

    text = response.content.decode()
    raw = re.search(r"sg_[\w-]{20,}", text)[0]
    assert "只显示这一次" in text
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=station_worker)
    assert token.name == "台账表格"
    assert token.token_hash == token_hash(raw)
    assert raw not in token.token_hash
    assert AuditEntry.objects.filter(action="apitoken.create", actor=station_worker).exists()
    # The list shows the prefix, never the token again.
    again = client.get("/console/api/tokens/").content.decode()
    assert token.prefix in again
    assert raw not in again


def test_console_refuses_a_token_without_name_or_with_a_past_expiry(login, station_worker):
    client = login(station_worker)
    response = client.post("/console/api/tokens/", {"name": "  ", "expires_on": ""})
    assert "请填写令牌名称" in response.content.decode()
    response = client.post("/console/api/tokens/", {"name": "旧表", "expires_on": "2020-01-01"})
    text = response.content.decode()
    assert "有效期须晚于今天" in text
    assert 'value="旧表"' in text  # what was typed is kept
    assert not ApiToken.objects.exists()


def test_console_revokes_only_ones_own_token(login, station_worker, sibling_worker):
    mine, _raw = apitoken_create(actor=station_worker, name="我的")
    theirs, _raw = apitoken_create(actor=sibling_worker, name="别人的")
    client = login(station_worker)

    client.post("/console/api/tokens/revoke/", {"token": theirs.pk})
    client.post("/console/api/tokens/revoke/", {"token": mine.pk})

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
    assert AuditEntry.objects.filter(action="apitoken.revoke", target_id=str(mine.pk)).exists()
    assert "别人的" not in client.get("/console/api/tokens/").content.decode()


def _get(raw, url="/api/v1/units/"):
    return Client(headers={"authorization": f"Bearer {raw}"}).get(url)


def test_valid_token_works_and_notes_its_last_use(station_worker):
    token, raw = apitoken_create(actor=station_worker, name="表")
    response = _get(raw)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_and_expired_tokens_are_refused(station_worker):
    revoked, revoked_raw = apitoken_create(actor=station_worker, name="吊销")
    apitoken_revoke(actor=station_worker, token=revoked)
    expired, expired_raw = apitoken_create(actor=station_worker, name="过期")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    for raw in (revoked_raw, expired_raw, "sg_not-a-token", ""):
        response = _get(raw)
        assert response.status_code == 401, raw
        body = response.json()
        assert body["code"] == "not_authenticated"
        assert "令牌" in body["message"]
        assert response["WWW-Authenticate"] == "Bearer"


def test_no_token_is_asked_for_one_in_english_when_asked(db):
    response = Client().get("/api/v1/activities/", headers={"accept-language": "en"})
    assert response.status_code == 401
    assert response.json()["message"].startswith("Provide a token")
    assert response["Content-Language"] == "en"


def test_a_deactivated_users_token_is_refused(station_worker):
    _token, raw = apitoken_create(actor=station_worker, name="表")
    station_worker.is_active = False
    station_worker.save()
    assert _get(raw).status_code == 401


def test_a_session_cookie_does_not_open_the_api(login, station_worker):
    """Only tokens: a console session in a browser cannot be ridden by another site's page."""
    response = login(station_worker).get("/api/v1/units/")
    assert response.status_code == 401


def test_console_refuses_an_expiry_beyond_five_years(login, station_worker):
    response = login(station_worker).post(
        "/console/api/tokens/", {"name": "远期", "expires_on": "9999-12-31"}
    )
    assert "有效期最长五年" in response.content.decode()
    assert not ApiToken.objects.exists()
