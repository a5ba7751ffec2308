"""schemathesis against /api/v1/openapi.json, in process (WSGI), with a token and without: no
server error, no status code the description does not list, no answer outside its schema or
content type. The counts of the run are printed (``-s``)."""

import datetime
import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shegong.activities import services as activity_services
from shegong.api.services import apitoken_create
from shegong.helpdesk import services as helpdesk_services

APP = get_wsgi_application()
# The fuzzing phase, with valid and invalid data: the coverage phase's thousands of boundary
# cases took minutes of the suite (tests/api asserts the bad-input answers one by one).
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"mode": "all"},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP, config=CONFIG)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
COUNTS: Counter = Counter()


@pytest.fixture(autouse=True)
def _open_call(call):
    """A contest call open for entries, so the public submission's 201 is met too. What the
    run creates is bounded by the contest's own daily limits (5 an address, 3 a phone: then
    429, which the description lists), not by the API's, set out of the way below."""
    return call


@pytest.fixture(autouse=True)
def _one_connection_per_test():
    """Django's test client keeps the test's database connection (and its transaction) across
    requests by leaving ``close_old_connections`` out of the request signals; schemathesis
    calls the WSGI application itself, so this does the same. Otherwise, on PostgreSQL, a
    request that met a database error closed the connection and the next call failed on it,
    far from the cause."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _print_counts():
    yield
    if COUNTS:
        lines = [f"  {key}: {n}" for key, n in sorted(COUNTS.items())]
        print(f"\nschemathesis: {sum(COUNTS.values())} calls\n" + "\n".join(lines))


@pytest.fixture
def token(settings, station, station_worker):
    settings.API_RATE_TOKEN = "1000000/minute"
    settings.API_RATE_ANON = "1000000/minute"
    activity_services.activity_create(
        actor=station_worker,
        unit=station,
        kind="poster",
        title="海报",
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )
    helpdesk_services.helprequest_submit(
        for_whom="self",
        category="elderly",
        description="请社工上门。",
        area=station,
        contact_name="王秀英",
        phone="13912345678",
        ip="10.0.0.1",
    )
    _token, raw = apitoken_create(actor=station_worker, name="schemathesis")
    return raw


EXAMPLES = settings(
    # Enough to meet the usual answers of each operation within the suite's time; a deeper run:
    # API_FUZZ_EXAMPLES=100 pytest tests/api/test_schemathesis.py -s
    max_examples=int(os.getenv("API_FUZZ_EXAMPLES", "5")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_api_conforms_with_a_token(case, token):
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
    COUNTS[f"token {case.method} {response.status_code}"] += 1


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_api_conforms_without_a_token(case, settings):
    settings.API_RATE_ANON = "1000000/minute"
    response = case.call_and_validate(checks=CHECKS)
    COUNTS[f"anonymous {case.method} {response.status_code}"] += 1
