"""The Haikou 2023 demo shows every state of 总结报送, and a second seed changes nothing."""

import io

import pytest
from django.core.management import call_command

from shegong.reports.models import ReportingDuty, Summary, SummaryEvent
from shegong.reports.summary_selectors import reporting_rate

pytestmark = pytest.mark.django_db


def test_demo_summaries_show_every_state_and_reseeding_changes_nothing(demo_data):
    first = list(Summary.objects.values_list("unit__code", "status", "first_submitted_at"))
    events = SummaryEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())

    assert list(Summary.objects.values_list("unit__code", "status", "first_submitted_at")) == first
    assert SummaryEvent.objects.count() == events
    states = {code: status for code, status, _ in first}
    assert states == {
        "460105": "accepted",
        "460106": "submitted",  # returned, then resubmitted
        "460107": "submitted",  # late
        "460108400": "draft",
    }
    steps = list(
        SummaryEvent.objects.filter(summary__unit__code="460106").values_list(
            "to_status", flat=True
        )
    )
    assert steps == ["submitted", "returned", "submitted"]
    summary = Summary.objects.first()
    rate = reporting_rate(summary.campaign, reports_to=summary.campaign.issuer)
    assert ReportingDuty.objects.filter(campaign=summary.campaign).count() == rate.expected == 5
    assert (rate.submitted, rate.on_time, rate.accepted) == (3, 2, 1)
    assert [row.unit.code for row in rate.late_rows] == ["460107"]
    assert {row.unit.code for row in rate.missing_rows} == {"460108", "460108400"}
