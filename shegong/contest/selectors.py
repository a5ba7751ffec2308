"""Reads of the story contest: ranking, review progress, public stories, KPI figures."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Call, Entry, EntryMedia, Judge, Review, Score

TIE_RULE = (
    "按各评委加权总分的平均分排序；平均分相同的，比较权重最高评分项的平均分；"
    "仍相同的并列同一名次，下一名次顺延。"
)

RANKED = (
    Entry.Status.UNDER_REVIEW,
    Entry.Status.SHORTLISTED,
    Entry.Status.NOT_SELECTED,
    Entry.Status.AWARDED,
    Entry.Status.PUBLISHED,
)


@dataclass
class RankRow:
    entry: Entry
    mean: Decimal | None
    tiebreak: Decimal | None
    reviews_done: int
    reviews_due: int
    rank: int = 0
    tied: bool = False


def _q(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def call_ranking(call: Call) -> list[RankRow]:
    """Entries in review or decided, best first, with ranks; ties share a rank
    (``TIE_RULE``). Entries without any finished review come last, unranked order by id."""
    heaviest = call.criteria.order_by("-weight", "position", "id").first()
    entries = (
        call.entries.filter(status__in=RANKED)
        .select_related("tier")
        .annotate(
            done=Count("reviews", filter=~Q(reviews__submitted_at=None)),
            due=Count("reviews"),
            mean=Avg("reviews__total", filter=~Q(reviews__submitted_at=None)),
        )
        .order_by("pk")
    )
    tiebreaks = {}
    if heaviest is not None:
        tiebreaks = dict(
            Score.objects.filter(
                criterion=heaviest, review__entry__call=call, review__submitted_at__isnull=False
            )
            .values("review__entry")
            .annotate(avg=Avg("value"))
            .values_list("review__entry", "avg")
        )
    rows = [
        RankRow(
            entry=e,
            mean=_q(e.mean),
            tiebreak=_q(tiebreaks.get(e.pk)),
            reviews_done=e.done,
            reviews_due=e.due,
        )
        for e in entries
    ]
    low = Decimal(-1)

    def order(row):
        mean = row.mean if row.mean is not None else low
        tiebreak = row.tiebreak if row.tiebreak is not None else low
        return (-mean, -tiebreak)

    rows.sort(key=order)
    previous = None
    for position, row in enumerate(rows, start=1):
        key = (row.mean, row.tiebreak)
        if previous is not None and key == previous[0] and row.mean is not None:
            row.rank = previous[1].rank
            row.tied = previous[1].tied = True
        else:
            row.rank = position
        previous = (key, row)
    return rows


@dataclass
class JudgeProgress:
    judge: object
    done: int
    due: int
    removed: bool = False
    rows: list = field(default_factory=list)


def judge_progress(call: Call) -> list[JudgeProgress]:
    """Reviews done / due per judge of the panel (the city admin's view)."""
    counts = {
        row["judge"]: row
        for row in Review.objects.filter(entry__call=call)
        .exclude(entry__status=Entry.Status.WITHDRAWN)
        .values("judge")
        .annotate(due=Count("id"), done=Count("id", filter=~Q(submitted_at=None)))
    }
    result = []
    for judge in Judge.objects.filter(call=call).select_related("user").order_by("user__username"):
        c = counts.get(judge.user_id, {"due": 0, "done": 0})
        result.append(
            JudgeProgress(
                judge=judge.user, done=c["done"], due=c["due"], removed=bool(judge.removed_at)
            )
        )
    return result


def reviews_pending_for_judge(user, now=None):
    """The judge's reviews still to score while their window is open: the console home's
    待评审的故事作品 and the review list's ``?pending=1``."""
    from django.utils import timezone

    return reviews_for_judge(user).filter(
        submitted_at=None,
        entry__status="under_review",
        entry__call__review_closes__gt=now or timezone.now(),
    )


def reviews_for_judge(user, call: Call | None = None):
    """A judge's assignments: only what a blind review shows (no author, unit or contact)."""
    qs = (
        Review.for_judge(user)
        .select_related("entry__call")
        .only(
            "id",
            "submitted_at",
            "total",
            "comment",
            "entry__id",
            "entry__title",
            "entry__category",
            "entry__status",
            "entry__call__id",
            "entry__call__title",
            "entry__call__review_opens",
            "entry__call__review_closes",
        )
    )
    if call is not None:
        qs = qs.filter(entry__call=call)
    return qs.order_by("entry__call", "submitted_at", "entry_id")


def current_call(now=None) -> Call | None:
    """The call the public page shows: one open for entries, else the latest."""
    now = now or timezone.now()
    return Call.objects.open_for_entries(now).first() or Call.objects.first()


def published_stories(*, category: str = ""):
    qs = (
        Entry.objects.published()
        .select_related("tier", "call")
        .order_by("-published_at", "-id")
        .only(
            "id",
            "slug",
            "title",
            "category",
            "text",
            "published_at",
            "author_name",
            "tier__name",
            "call__title",
        )
    )
    if category:
        qs = qs.filter(category=category)
    return qs


def public_media(entry: Entry):
    """Photos and videos of a published story that may be shown: minors only with consent."""
    return [
        m
        for m in EntryMedia.objects.filter(entry=entry)
        if m.public_ok and entry.status == Entry.Status.PUBLISHED
    ]


# --- KPI providers (AppConfig.campaign_kpis) -----------------------------------------------


def kpi_stories(campaign) -> int:
    """Stories entered in the campaign's call (withdrawn ones not counted)."""
    return Entry.objects.filter(call__campaign=campaign).counted().count()


def kpi_stories_awarded(campaign) -> int:
    return Entry.objects.filter(
        call__campaign=campaign, status__in=[Entry.Status.AWARDED, Entry.Status.PUBLISHED]
    ).count()


# --- summaries (shegong.reports.summary_figures) --------------------------------------------


def stories_of(unit, campaign, *, own_only: bool = False) -> dict[str, int]:
    """Stories of ``unit``'s subtree (or, ``own_only``, of the unit itself) in the campaign's
    call, counted under their entering unit (``entering_unit_expression``): ``entered`` (not
    withdrawn) and ``awarded`` (awarded or published). One query."""
    entries = Entry.objects.filter(call__campaign=campaign).annotate(
        entering_unit=entering_unit_expression()
    )
    if own_only:
        entries = entries.filter(entering_unit=unit.pk)
    else:
        entries = entries.filter(
            Q(unit__path__startswith=unit.path) | Q(unit=None, area__path__startswith=unit.path)
        )
    return entries.aggregate(
        entered=Count("id", filter=~Q(status=Entry.Status.WITHDRAWN)),
        awarded=Count("id", filter=Q(status__in=[Entry.Status.AWARDED, Entry.Status.PUBLISHED])),
    )


# --- dashboard columns (AppConfig.dashboard_columns) ---------------------------------------


def entering_unit_expression():
    """The unit an entry counts under. A unit's entry (``source=unit``) records the entering
    unit in ``Entry.unit`` (the staff member's station, district or the city bureau). A
    citizen's entry has no ``unit``; the public form lets the citizen name their district,
    kept in ``Entry.area``, so it counts under that district; one that names none counts under
    no unit (only in the campaign's total, ``kpi_stories``)."""
    return Coalesce("unit_id", "area_id")


def dashboard_stories(campaign) -> dict[int, int]:
    """Entries of the campaign's call not withdrawn, per entering unit (see
    ``entering_unit_expression``): ``{unit id: count}``. One query; the dashboard keeps only
    the units its viewer may see and adds stations up into their district's row."""
    rows = (
        Entry.objects.filter(call__campaign=campaign)
        .counted()
        .annotate(entering_unit=entering_unit_expression())
        .exclude(entering_unit=None)
        .values_list("entering_unit")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


# The dashboard's 故事征集进度 (shegong.reports.dashboard): stages an entry has reached.
PROGRESS_STAGES = {
    "submitted": "已投稿",  # entered and not withdrawn
    "in_review": "评审中",
    "scored": "已评定",  # its review is over: shortlisted, not selected, awarded or published
    "published": "已发布",
}
_SCORED = [
    Entry.Status.SHORTLISTED,
    Entry.Status.NOT_SELECTED,
    Entry.Status.AWARDED,
    Entry.Status.PUBLISHED,
]


def stage_q(stage: str) -> Q:
    """Entries that have reached ``stage`` of ``PROGRESS_STAGES`` (withdrawn ones never)."""
    return {
        "submitted": Q(),
        "in_review": Q(status=Entry.Status.UNDER_REVIEW),
        "scored": Q(status__in=_SCORED),
        "published": Q(status=Entry.Status.PUBLISHED),
    }[stage] & ~Q(status=Entry.Status.WITHDRAWN)


def entries_for_dashboard(entries, *, unit=None, own=False, campaign=None, stage: str = ""):
    """``entries`` narrowed as a dashboard figure counted them: entered under ``unit``'s
    subtree (``own``: by ``unit`` itself; a citizen's under the district named), of
    ``campaign``'s call, at ``stage``."""
    if unit is not None and own:
        entries = entries.filter(Q(unit=unit) | Q(unit=None, area=unit))
    elif unit is not None:
        entries = entries.filter(
            Q(unit__path__startswith=unit.path) | Q(unit=None, area__path__startswith=unit.path)
        )
    if campaign is not None:
        entries = entries.filter(call__campaign=campaign)
    if stage in PROGRESS_STAGES:
        entries = entries.filter(stage_q(stage))
    return entries


def dashboard_progress(campaign) -> dict[int, dict[str, int]]:
    """Entries of the campaign's call per entering unit (``entering_unit_expression``) and
    stage (``PROGRESS_STAGES``): ``{unit id: {stage: count}}``. One query."""
    rows = (
        Entry.objects.filter(call__campaign=campaign)
        .counted()
        .annotate(entering_unit=entering_unit_expression())
        .exclude(entering_unit=None)
        .values("entering_unit")
        .annotate(**{stage: Count("id", filter=stage_q(stage)) for stage in PROGRESS_STAGES})
        .order_by()
    )
    return {row.pop("entering_unit"): row for row in rows}


def dashboard_progress_by_campaign(campaign_ids) -> dict[int, dict[str, int]]:
    """``dashboard_progress`` per campaign rather than per unit, for the nation-wide dashboard
    (one row per city, each city its campaign): ``{campaign id: {stage: count}}``. One query."""
    rows = (
        Entry.objects.filter(call__campaign_id__in=campaign_ids)
        .counted()
        .values("call__campaign_id")
        .annotate(**{stage: Count("id", filter=stage_q(stage)) for stage in PROGRESS_STAGES})
        .order_by()
    )
    return {row.pop("call__campaign_id"): row for row in rows}
