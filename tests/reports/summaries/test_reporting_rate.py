"""Reporting rates as DHIS2 shows them (expected, submitted, on time, accepted, rates; late and
missing units), and the reminders run_periodic writes around the deadline."""

import datetime

import pytest

from shegong.accounts.models import Notification
from shegong.campaigns.services import campaign_update
from shegong.reports import services
from shegong.reports.models import ReportingDuty, SummaryReminder
from shegong.reports.summary_selectors import reporting_rate
from tests.factories import UserFactory, district_unit

from .conftest import DEADLINE, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def duties(world):
    services.reporting_duties_ensure(campaign=world)
    return world


def _submit(campaign, unit, officer, day):
    summary = services.summary_save(actor=officer, campaign=campaign, unit=unit)
    return services.summary_submit(actor=officer, summary=summary, now=at(day))


def rate_of(campaign, today=DEADLINE):
    rate = reporting_rate(campaign, reports_to=campaign.issuer, today=today)
    return rate, {row.unit.code: row for row in rate.rows}


def test_districts_report_to_the_city_on_the_summary_deadline(duties, city):
    duty_rows = ReportingDuty.objects.filter(campaign=duties)

    assert {(d.unit.code, d.reports_to.code, d.due_on) for d in duty_rows} == {
        ("460105", city.code, DEADLINE),
        ("460106", city.code, DEADLINE),
    }


def test_nothing_submitted(duties):
    rate, _rows = rate_of(duties, today=DEADLINE + datetime.timedelta(days=1))

    assert (rate.expected, rate.submitted, rate.on_time, rate.accepted) == (2, 0, 0, 0)
    assert (rate.submitted_rate, rate.on_time_rate, rate.accepted_rate) == (0, 0, 0)
    assert [row.unit.code for row in rate.missing_rows] == ["460105", "460106"]
    assert all(row.late(rate.today) for row in rate.rows)


def test_late_submission_counts_as_submitted_not_on_time(duties, district, district_officer):
    _submit(duties, district, district_officer, DEADLINE + datetime.timedelta(days=2))
    rate, _rows = rate_of(duties)

    assert (rate.expected, rate.submitted, rate.on_time) == (2, 1, 0)
    assert rate.submitted_rate == 50
    assert [row.unit.code for row in rate.late_rows] == ["460105"]
    assert [row.unit.code for row in rate.missing_rows] == ["460106"]


def test_submitted_on_the_deadline_day_is_on_time(duties, district, district_officer):
    summary = services.summary_save(actor=district_officer, campaign=duties, unit=district)
    services.summary_submit(
        actor=district_officer,
        summary=summary,
        now=at(DEADLINE, 23),  # late in the evening, local time
    )
    _rate, rows = rate_of(duties)

    assert rows["460105"].on_time


def test_returned_then_resubmitted_on_time(duties, district, district_officer, city_admin):
    summary = _submit(duties, district, district_officer, DEADLINE - datetime.timedelta(days=3))
    services.summary_return(actor=city_admin, summary=summary, comment="请补充数据来源。")

    rate, rows = rate_of(duties)
    assert (rate.submitted, rate.on_time) == (0, 0)  # sent back: not a report until resubmitted
    assert rows["460105"].status_label == "已退回，待重报"

    services.summary_submit(
        actor=district_officer, summary=summary, now=at(DEADLINE + datetime.timedelta(days=1))
    )
    services.summary_accept(actor=city_admin, summary=summary)
    rate, rows = rate_of(duties)
    # On time: first handed in before the deadline; the revision asked for does not make it late.
    assert (rate.submitted, rate.on_time, rate.accepted) == (1, 1, 1)
    assert (rate.submitted_rate, rate.on_time_rate, rate.accepted_rate) == (50, 50, 50)


def test_a_unit_added_mid_campaign_is_expected_from_then_on(duties, city):
    district_unit(city, "460108", "美兰区")

    assert services.reporting_duties_ensure(campaign=duties) == 1
    rate, rows = rate_of(duties)
    assert rate.expected == 3
    assert rows["460108"].status_label == "未报送"


def test_a_unit_with_no_stations_reports_like_any_other(duties, city):
    lonely = district_unit(city, "460199", "无站区")
    officer = UserFactory(username="lonely", role="district_officer", unit=lonely)
    services.reporting_duties_ensure(campaign=duties)
    _submit(duties, lonely, officer, DEADLINE)

    rate, rows = rate_of(duties)
    assert rows["460199"].on_time
    assert (rate.expected, rate.submitted) == (3, 1)


def test_stations_report_to_their_district_a_few_days_earlier_when_planned(
    duties, district, station, second_station, city_admin, district_officer, login
):
    services.reporting_plan_set(
        actor=city_admin, campaign=duties, stations_report=True, stations_days_before=3
    )
    station_duty = ReportingDuty.objects.get(campaign=duties, unit=station)
    rate = reporting_rate(duties, reports_to=district)

    assert station_duty.reports_to == district
    assert station_duty.due_on == DEADLINE - datetime.timedelta(days=3)
    assert [row.unit.code for row in rate.rows] == ["460105001", "460105002"]
    page = login(district_officer).get("/console/summaries/haikou-2023/").content.decode()
    assert "海秀街道社工站" in page
    assert "中山街道社工站" not in page

    services.reporting_plan_set(
        actor=city_admin, campaign=duties, stations_report=False, stations_days_before=3
    )
    assert not ReportingDuty.objects.filter(campaign=duties, unit=station).exists()


def test_the_city_page_lists_rates_and_late_and_missing_units(
    duties, district, district_officer, city_admin, login
):
    _submit(duties, district, district_officer, DEADLINE + datetime.timedelta(days=1))
    page = login(city_admin).get("/console/summaries/haikou-2023/").content.decode()

    assert 'data-figure="expected">2<' in page
    assert 'data-figure="submitted">1（50%）<' in page
    assert 'data-figure="on_time">0（0%）<' in page
    assert "逾期报送：秀英区民政局" in page
    assert "尚未报送：龙华区民政局（未报送）" in page


def test_reminders_three_days_before_on_the_day_and_after_each_once(
    duties, district, district_officer, sibling_officer
):
    _submit(duties, district, district_officer, DEADLINE - datetime.timedelta(days=5))

    assert services.reminders_send(today=DEADLINE - datetime.timedelta(days=4)) == 0
    assert services.reminders_send(today=DEADLINE - datetime.timedelta(days=3)) == 1
    assert services.reminders_send(today=DEADLINE - datetime.timedelta(days=2)) == 0
    assert services.reminders_send(today=DEADLINE) == 1
    assert services.reminders_send(today=DEADLINE) == 0
    assert services.reminders_send(today=DEADLINE + datetime.timedelta(days=1)) == 1
    assert services.reminders_send(today=DEADLINE + datetime.timedelta(days=5)) == 0

    messages = list(
        Notification.objects.filter(recipient=sibling_officer).values_list("message", flat=True)
    )
    assert len(messages) == 3
    assert any("请于4月10日前报送" in m for m in messages)
    assert any("今天（4月10日）是报送截止日" in m for m in messages)
    assert any("报送已于4月10日截止，请尽快补报" in m for m in messages)
    # The district that submitted got none.
    assert not Notification.objects.filter(recipient=district_officer).exists()


def test_a_missed_run_sends_only_the_latest_reminder(duties, sibling_officer):
    assert services.reminders_send(today=DEADLINE + datetime.timedelta(days=2)) == 2
    assert set(SummaryReminder.objects.values_list("moment", flat=True)) == {"after"}


def test_run_periodic_adds_duties_and_sends_reminders(duties, city, sibling_officer):
    from django.utils import timezone

    from shegong.reports.summary_waiting import summary_periodic

    district_unit(city, "460108", "美兰区")
    report = summary_periodic(timezone.make_aware(datetime.datetime(2023, 4, 7, 8)))  # noqa: DTZ001

    assert report == "summary duties added: 1; summary reminders sent: 3"
    assert Notification.objects.filter(recipient=sibling_officer).count() == 1


def test_console_home_shows_the_summary_to_do(duties, district_officer, city_admin, login):
    from shegong.reports.summary_waiting import summary_waiting

    items = summary_waiting(district_officer)
    assert items[0].label.startswith("待报送的工作总结（4月10日截止")
    assert items[0].url == "/console/summaries/haikou-2023/460105/"


def test_another_citys_districts_owe_this_campaign_nothing(duties):
    from tests.factories import city_unit

    other_city = city_unit(code="460200", name="三亚市民政局")
    district_unit(other_city, "460202", "海棠区")

    assert services.reporting_duties_ensure(campaign=duties) == 0
    assert not ReportingDuty.objects.filter(unit__code="460202").exists()


def test_opening_the_summaries_writes_no_duty_a_campaign_change_makes_them(
    world, login, city_admin
):
    # GET writes nothing: a campaign made outside the services (here a factory) has no duties
    # until the periodic job or a change through the campaigns' services makes them.
    page = login(city_admin).get(f"/console/summaries/{world.slug}/")

    assert "秀英区民政局" not in page.content.decode()
    assert not ReportingDuty.objects.exists()

    later = DEADLINE + datetime.timedelta(days=2)
    campaign_update(
        actor=city_admin, campaign=world, summary_deadline=later, recipients="各区民政局"
    )

    assert set(ReportingDuty.objects.values_list("unit__code", "due_on")) == {
        ("460105", later),
        ("460106", later),
    }
    page = login(city_admin).get(f"/console/summaries/{world.slug}/")
    assert "秀英区民政局" in page.content.decode()
