"""A citizen's request under the Personal Information Protection Law: everything stored about
one phone number, exported and erased, both audited."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from shegong.core.models import AuditEntry
from shegong.helpdesk import services
from shegong.helpdesk.models import HelpRequest, Note, TrackAttempt


@pytest.fixture
def requests_of_wang(station, station_worker):
    made = []
    for text in ("独居老人需要上门探访", "孩子放学无人照看"):
        made.append(
            services.helprequest_submit(
                for_whom="self",
                category="elderly",
                description=text,
                area=station,
                contact_name="王阿姨",
                phone="139 1234 5678",
                ip="198.51.100.2",
            )
        )
    services.helprequest_accept(actor=station_worker, request=made[0], note="已电话联系王阿姨")
    services.helprequest_submit(
        for_whom="self",
        category="family",
        description="别人的求助",
        area=station,
        contact_name="李先生",
        phone="13800001111",
        ip="198.51.100.3",
    )
    return made


def test_export_holds_every_request_of_the_number_and_is_audited(requests_of_wang, city_admin):
    out = StringIO()
    call_command("personal_data", "export", "+86 13912345678", "--operator", "city", stdout=out)

    data = json.loads(out.getvalue())
    assert data["phone"] == "13912345678"
    assert [r["description"] for r in data["help_requests"]] == [
        "独居老人需要上门探访",
        "孩子放学无人照看",
    ]
    assert "已电话联系王阿姨" in [n["text"] for n in data["help_requests"][0]["notes"]]
    assert "别人的求助" not in out.getvalue()
    entry = AuditEntry.objects.get(action="personal_data.export")
    assert entry.actor == city_admin
    assert entry.changes == {"phone": "139****5678", "help_requests": 2}


def test_erase_leaves_counted_cases_without_personal_data(requests_of_wang, city_admin):
    # Remove the HelpRequest update in helpdesk.services.personal_data_erase to see this fail.
    code = requests_of_wang[0].code
    Client().post("/help/track/", {"code": code, "last4": "0000"})
    with pytest.raises(CommandError, match="--yes"):
        call_command("personal_data", "erase", "13912345678", "--operator", "city")

    out = StringIO()
    call_command("personal_data", "erase", "13912345678", "--operator", "city", "--yes", stdout=out)

    assert "erased: 2" in out.getvalue()
    erased = HelpRequest.objects.get(code=code)
    assert (erased.contact_name, erased.phone, erased.phone_last4) == ("", "", "")
    assert erased.description == services.ERASED
    assert erased.category == "elderly"  # still counted
    assert not Note.objects.filter(request=erased, text__contains="王阿姨").exists()
    assert not TrackAttempt.objects.filter(code=code).exists()
    assert HelpRequest.objects.filter(phone="13800001111").exists()  # others untouched
    assert AuditEntry.objects.filter(action="personal_data.erase").count() == 2
    # Nothing is left to export.
    out = StringIO()
    call_command("personal_data", "export", "13912345678", "--operator", "city", stdout=out)
    assert json.loads(out.getvalue())["help_requests"] == []


def test_unknown_operator_is_refused(db):
    with pytest.raises(CommandError, match="no active user"):
        call_command("personal_data", "export", "13912345678", "--operator", "nobody")
