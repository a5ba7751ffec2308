"""Reads of the awareness survey: the public form's survey, and the awareness figures."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from .models import Answer, Survey

AWARE = Q(knows_social_work=Answer.Knows.YES)


def survey_public(slug: str) -> Survey | None:
    return Survey.objects.select_related("campaign").filter(slug=slug).first()


def survey_open_for_home(day) -> Survey | None:
    """The survey the public home page links to: open today, of the latest campaign."""
    return (
        Survey.objects.open_on(day)
        .order_by("-campaign__starts_on", "-opens_on", "-id")
        .only("slug")
        .first()
    )


def answers_of(campaign) -> QuerySet:
    return Answer.objects.filter(survey__campaign=campaign)


def baseline_q(campaign) -> Q:
    """Answers given before the campaign's first day: the baseline."""
    return Q(answered_on__lt=campaign.starts_on)


def campaign_q(campaign) -> Q:
    """Answers given from the campaign's first day on: the campaign's figure."""
    return Q(answered_on__gte=campaign.starts_on)


def rate(aware: int, total: int) -> Decimal | None:
    """The share aware, in percent with one decimal; ``None`` when nobody answered."""
    if not total:
        return None
    return (Decimal(100) * aware / total).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Awareness:
    baseline_answers: int
    baseline_aware: int
    campaign_answers: int
    campaign_aware: int

    @property
    def baseline_rate(self) -> Decimal | None:
        return rate(self.baseline_aware, self.baseline_answers)

    @property
    def campaign_rate(self) -> Decimal | None:
        return rate(self.campaign_aware, self.campaign_answers)

    @property
    def change(self) -> Decimal | None:
        if self.baseline_rate is None or self.campaign_rate is None:
            return None
        return self.campaign_rate - self.baseline_rate


def _counts(campaign) -> dict:
    before, during = baseline_q(campaign), campaign_q(campaign)
    return {
        "baseline_answers": Count("id", filter=before),
        "baseline_aware": Count("id", filter=before & AWARE),
        "campaign_answers": Count("id", filter=during),
        "campaign_aware": Count("id", filter=during & AWARE),
    }


AWARENESS_FIELDS = ("baseline_answers", "baseline_aware", "campaign_answers", "campaign_aware")


def awareness_counts(campaign, answers: QuerySet, fields: tuple[str, ...]):
    """Rows of ``fields`` with the four counts of ``Awareness`` and, per source (bus ad,
    poster …), how many of those aware named it: one query for a whole dashboard."""
    sources = {name: Count("id", filter=AWARE & Q(**{name: True})) for name in Answer.SOURCES}
    return answers.values(*fields).annotate(**_counts(campaign), **sources).order_by()


def awareness(campaign, answers: QuerySet | None = None) -> Awareness:
    """Baseline and campaign awareness over ``answers`` (default: all of the campaign's)."""
    answers = answers_of(campaign) if answers is None else answers
    return Awareness(**answers.aggregate(**_counts(campaign)))


def kpi_awareness_rate(campaign) -> Decimal:
    """KPI 社会工作知晓率（%）: the share of answers given since the campaign started that know
    what social workers do; 0 while no such answer exists."""
    figure = awareness(campaign).campaign_rate
    return figure if figure is not None else Decimal(0)
