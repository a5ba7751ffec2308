import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shegong.accounts.models import Notification
from shegong.activities import services
from shegong.activities.models import Activity, BudgetCap, RiskAssessment
from shegong.activities.services import risk_level

from .conftest import NOW, assess, make_activity

L = RiskAssessment.Level

ONSITE = {
    "kind": Activity.Kind.ONSITE,
    "title": "社工宣传周广场活动",
    "starts_at": NOW - datetime.timedelta(days=1),
    "place": "万绿园",
}
LOW_RISK = {
    "expected_crowd": 40,
    "venue": "indoor",
    "weather": "fine",
    "emergency_plan": "疏散路线已张贴",
    "person_responsible": "李站长",
}
HIGH_RISK = {**LOW_RISK, "expected_crowd": 1500, "venue": "street"}


@pytest.mark.parametrize(
    ("crowd", "venue", "weather", "plan", "level"),
    [
        (30, "indoor", "fine", "预案", L.LOW),
        (30, "indoor", "fine", "", L.MEDIUM),
        (150, "outdoor", "fine", "预案", L.MEDIUM),
        (300, "street", "fine", "预案", L.HIGH),
        (1000, "indoor", "fine", "预案", L.HIGH),
        (30, "indoor", "typhoon", "预案", L.HIGH),
        (30, "waterside", "fine", "预案", L.HIGH),
        (150, "outdoor", "rain", "", L.HIGH),
    ],
)
def test_risk_level_is_computed_from_the_factors(crowd, venue, weather, plan, level):
    assert (
        risk_level(expected_crowd=crowd, venue=venue, weather=weather, emergency_plan=plan) == level
    )


def test_onsite_event_cannot_be_recorded_held_without_assessment(station_worker, station):
    with pytest.raises(ValidationError, match="须在举办前完成风险评估"):
        services.activity_create(actor=station_worker, unit=station, held=True, now=NOW, **ONSITE)

    assert not Activity.objects.exists()


def test_high_risk_event_needs_district_approval_before_it_is_held(
    station_worker, district_officer, station
):
    activity = services.activity_create(
        actor=station_worker, unit=station, risk=HIGH_RISK, now=NOW, **ONSITE
    )
    assert activity.risk.level == L.HIGH
    assert "风险等级为高" in Notification.objects.get(recipient=district_officer).message

    with pytest.raises(ValidationError, match="须经上级批准风险评估"):
        services.activity_update(actor=station_worker, activity=activity, held=True, now=NOW)
    services.risk_approve(actor=district_officer, activity=activity, now=NOW)
    services.activity_update(actor=station_worker, activity=activity, held=True, now=NOW)

    activity.refresh_from_db()
    assert activity.held is True


def test_low_risk_event_may_be_recorded_held_at_once(station_worker, station):
    activity = services.activity_create(
        actor=station_worker, unit=station, risk=LOW_RISK, held=True, now=NOW, **ONSITE
    )

    assert activity.held is True
    assert activity.risk.level == L.LOW


def test_event_in_the_future_cannot_be_recorded_held(station_worker, station):
    with pytest.raises(ValidationError, match="活动时间还没到"):
        services.activity_create(
            actor=station_worker,
            unit=station,
            risk=LOW_RISK,
            held=True,
            now=NOW,
            **{**ONSITE, "starts_at": NOW + datetime.timedelta(days=3)},
        )


def test_changed_risk_plan_needs_approval_again(station_worker, district_officer, station):
    activity = services.activity_create(
        actor=station_worker, unit=station, risk=HIGH_RISK, now=NOW, **ONSITE
    )
    services.risk_approve(actor=district_officer, activity=activity, now=NOW)

    services.activity_update(
        actor=station_worker, activity=activity, risk={**HIGH_RISK, "expected_crowd": 3000}
    )

    activity.risk.refresh_from_db()
    assert activity.risk.approved_at is None


def test_risk_approval_is_refused_for_the_wrong_person_and_for_low_risk(
    station_worker, sibling_officer, district_officer, station
):
    activity = make_activity(station, kind=Activity.Kind.ONSITE)
    assess(activity, level=L.HIGH)

    with pytest.raises(ValidationError, match="只有上级审核单位"):
        services.risk_approve(actor=sibling_officer, activity=activity)
    with pytest.raises(ValidationError, match="只有上级审核单位"):
        services.risk_approve(actor=station_worker, activity=activity)
    low = make_activity(station, kind=Activity.Kind.ONSITE)
    assess(low)
    with pytest.raises(ValidationError, match="只有高风险"):
        services.risk_approve(actor=district_officer, activity=low)


def test_high_risk_activity_cannot_be_approved_before_its_assessment(district_officer, station):
    activity = make_activity(station, kind=Activity.Kind.ONSITE, status=Activity.Status.SUBMITTED)
    assess(activity, level=L.HIGH)

    with pytest.raises(ValidationError, match="请先批准风险评估"):
        services.activity_approve(actor=district_officer, activity=activity)
    services.risk_approve(actor=district_officer, activity=activity)
    services.activity_approve(actor=district_officer, activity=activity)

    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.APPROVED


def test_spend_over_plan_is_flagged(station_worker, station, campaign):
    activity = services.activity_create(
        actor=station_worker,
        unit=station,
        campaign=campaign,
        budget_planned=Decimal("500"),
        spend_actual=Decimal("650"),
        **{**ONSITE, "kind": Activity.Kind.POSTER},
    )

    activity.refresh_from_db()
    assert activity.over_plan is True
    assert activity.over_cap is False


def test_spend_over_the_unit_cap_flags_the_activity_that_crossed_it(
    station_worker, district_officer, station, campaign
):
    first = make_activity(station, campaign=campaign, spend_actual=600, budget_planned=600)
    second = make_activity(
        station,
        campaign=campaign,
        spend_actual=600,
        budget_planned=600,
        starts_at=NOW - datetime.timedelta(hours=1),
    )

    services.budgetcap_set(
        actor=district_officer, unit=station, campaign=campaign, amount=Decimal("1000")
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.over_cap, second.over_cap) == (False, True)
    services.budgetcap_set(
        actor=district_officer, unit=station, campaign=campaign, amount=Decimal("2000")
    )
    second.refresh_from_db()
    assert second.over_cap is False


def test_budget_cap_is_set_only_from_above(station_worker, sibling_officer, station, campaign):
    with pytest.raises(ValidationError, match="只有上级单位"):
        services.budgetcap_set(actor=station_worker, unit=station, campaign=campaign, amount=1)
    with pytest.raises(ValidationError, match="只有上级单位"):
        services.budgetcap_set(actor=sibling_officer, unit=station, campaign=campaign, amount=1)


def test_budget_report_page_shows_over_cap_units_in_scope_only(
    login, district_officer, station, sibling_station, campaign
):
    make_activity(station, campaign=campaign, spend_actual=900, budget_planned=500)
    make_activity(sibling_station, campaign=campaign, spend_actual=100)
    services.budgetcap_set(actor=district_officer, unit=station, campaign=campaign, amount=800)

    content = login(district_officer).get("/console/activities/budget/").content.decode()

    assert "秀英街道社工站" in content
    assert "超出经费上限" in content
    assert "中山街道社工站" not in content


def test_budget_cap_form_refuses_unit_out_of_scope(
    login, district_officer, sibling_station, campaign
):
    response = login(district_officer).post(
        "/console/activities/budget/",
        {"unit": sibling_station.code, "campaign": campaign.pk, "amount": "1000"},
    )

    assert "不在您的管理范围内" in response.content.decode()


def test_district_officer_cannot_set_their_own_districts_cap(district_officer, district, campaign):
    with pytest.raises(ValidationError, match="只有上级单位可以设置经费上限"):
        services.budgetcap_set(actor=district_officer, unit=district, campaign=campaign, amount=1)


def test_district_officer_cannot_set_own_cap_through_the_page(
    login, district_officer, district, campaign
):
    response = login(district_officer).post(
        "/console/activities/budget/",
        {"unit": district.code, "campaign": campaign.pk, "amount": "999999"},
    )

    assert response.status_code == 200
    assert "只有上级单位可以设置经费上限" in response.content.decode()
    assert not BudgetCap.objects.exists()
