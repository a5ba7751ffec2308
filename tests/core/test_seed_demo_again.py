"""A second ``seed_demo`` on the real clock, over the demo (tests/demo_data.py), changes nothing
and leaves each app's demo as the first made it. One reseed for the module, checked app by app:
each app's module used to seed a second time for itself, seconds of CPU apiece.
(test_seed_demo.py reseeds on a fixed clock, and after a person's changes.)"""

import io
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from shegong.activities.models import Activity, ActivityMedia, Case, MediaCoverage
from shegong.directory.models import QrLink, Service, StationListing
from shegong.helpdesk.models import HelpRequest
from shegong.orgs.models import Unit
from shegong.reports.models import ReportingDuty, Summary, SummaryEvent
from shegong.reports.summary_selectors import reporting_rate
from shegong.survey.models import Answer, Survey


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def summary_states() -> list:
    return list(Summary.objects.values_list("unit__code", "status", "first_submitted_at"))


@dataclass
class Before:
    """What the first seed made, read before the second."""

    rows: dict[str, int]
    hsds_ids: set[str]
    summaries: list


@pytest.fixture(scope="module")
def before(demo_loader):
    with demo_loader():
        first = Before(
            rows=row_counts(),
            hsds_ids=set(Service.objects.values_list("hsds_id", flat=True)),
            summaries=summary_states(),
        )
        call_command("seed_demo", stdout=io.StringIO())  # again, over the module's demo
        yield first


def test_a_second_seed_adds_no_row(before, db):
    assert row_counts() == before.rows
    assert Answer.objects.count() > 0


def test_activities_spread_over_the_campaign(before, db):
    assert Activity.objects.filter(is_demo=True, campaign__slug="haikou-live-demo").count() == 150
    activities = Activity.objects.filter(is_demo=True, campaign__slug="haikou-2023")
    assert activities.count() == 420
    days = {a.starts_at.date().isoformat() for a in activities}
    assert min(days) == "2023-03-21"
    assert max(days) == "2023-03-31"
    assert activities.values("unit").distinct().count() > 40
    assert activities.values("kind").distinct().count() == len(Activity.Kind)
    assert ActivityMedia.objects.filter(is_demo=True).exists()
    assert MediaCoverage.objects.exists()
    assert Case.objects.exists()


def test_survey_has_baseline_and_campaign_answers_once(before, db):
    survey = Survey.objects.get(slug="haikou-2023")
    campaign = survey.campaign
    assert Answer.objects.filter(answered_on__lt=campaign.starts_on).exists()
    assert Answer.objects.filter(answered_on__gte=campaign.starts_on).exists()
    assert survey.is_open(timezone.localdate())
    assert QrLink.objects.get(target="/survey/haikou-2023/").channel


def test_every_station_keeps_one_listing_and_its_ids(before, db):
    assert StationListing.objects.count() == Unit.objects.stations().count()
    assert set(Service.objects.values_list("hsds_id", flat=True)) == before.hsds_ids
    assert not StationListing.objects.filter(is_demo=False).exists()
    assert not StationListing.objects.filter(latitude=None).exists()
    assert QrLink.objects.filter(is_demo=True).count() >= 3


def test_summaries_show_every_state_unchanged(before, db):
    assert summary_states() == before.summaries
    states = {code: status for code, status, _ in before.summaries}
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


def test_help_requests_spread_over_units_and_states(before, db):
    demo = HelpRequest.objects.filter(is_demo=True)
    assert demo.count() == 45  # 30 of Haikou 2023, 15 of the campaign in progress
    assert demo.filter(urgent=True).count() >= 2
    assert demo.overdue().count() == 0  # 2023's were all handled; today's are within deadline
    assert demo.values("unit__parent").distinct().count() >= 4
    assert demo.values("status").distinct().count() == 6
    assert all(phone.startswith("138000") for phone in demo.values_list("phone", flat=True))
