import datetime
from decimal import Decimal

from django.utils import timezone

from shegong.campaigns.selectors import campaign_kpis
from shegong.survey import services

from .conftest import START


def _answer(survey, area, day, knows):
    return services.answer_submit(
        survey=survey,
        area=area,
        age_group="18_34",
        knows_social_work=knows,
        knows_station="yes",
        used_service="no",
        heard_from=["heard_poster"],
        now=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
    )


def test_awareness_kpi_counts_campaign_answers_only(survey, station, sibling_station):
    before = START - datetime.timedelta(days=3)
    _answer(survey, station, before, "yes")  # baseline: not in the KPI
    _answer(survey, station, START, "yes")
    _answer(survey, sibling_station, START + datetime.timedelta(days=2), "heard")
    _answer(survey, station.parent, START + datetime.timedelta(days=5), "no")

    figure = next(f for f in campaign_kpis(survey.campaign) if f.kind == "awareness_rate")

    assert figure.recorded  # no longer "尚无数据来源"
    assert figure.actual == Decimal("33.3")  # 1 of 3 campaign answers
    assert figure.target == 60


def test_awareness_kpi_is_zero_without_answers(survey):
    figure = next(f for f in campaign_kpis(survey.campaign) if f.kind == "awareness_rate")

    assert figure.recorded
    assert figure.actual == 0
