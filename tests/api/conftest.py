import pytest
from django.test import Client

from shegong.api.services import apitoken_create
from tests.contest.conftest import call, media_root  # noqa: F401 (the contest's open call)


@pytest.fixture
def api():
    """``api(user)``: a client that sends a fresh token of ``user`` on every request."""

    def make(user) -> Client:
        _token, raw = apitoken_create(actor=user, name="测试")
        return Client(headers={"authorization": f"Bearer {raw}"})

    return make
