"""The figures of a summary: what a unit's subtree did in a campaign, each figure with the link to
the records it counts. A fixed number of queries whatever the volume (bench/bench_summary.py).

A figure is a plain dict ``{"key", "label", "value", "url"}`` so a submitted summary stores the
list as it was (``Summary.figures``) and a later change to the ledger does not rewrite it.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from shegong.activities.models import (
    Activity,
    Audience,
    Case,
    MediaCoverage,
    Submission,
    codes_split,
)
from shegong.contest.selectors import stories_of
from shegong.directory.models import STALE_AFTER_DAYS, QrScanDay, StationListing
from shegong.helpdesk.models import HelpRequest
from shegong.orgs.models import Partner, Unit
from shegong.survey.selectors import answers_of, awareness

ADOPTED = (Submission.Status.ADOPTED, Submission.Status.PUBLISHED)


@dataclass(frozen=True)
class Scope:
    """Whose records count: a unit's whole subtree, or (``own_only``) the unit's own rows, as
    the city's own work beside its districts' in the city report."""

    unit: Unit
    own_only: bool = False

    def q(self, field: str = "unit") -> Q:
        if self.own_only:
            return Q(**{f"{field}_id": self.unit.pk})
        return Q(**{f"{field}__path__startswith": self.unit.path})


def ledger_url(unit: Unit, campaign, **extra) -> str:
    """The 台账 filtered to what a figure counts (the ledger's own query parameters)."""
    query = {"unit": unit.code, "campaign": campaign.slug, **extra}
    return f"{reverse('activities:activity_list')}?{urlencode(query)}"


def records_url(unit: Unit, campaign, key: str) -> str:
    return reverse("reports:summary_records", args=[campaign.slug, unit.code, key])


def period(campaign) -> tuple[datetime.date, datetime.date]:
    return campaign.starts_on, campaign.ends_on


def period_bounds(campaign) -> tuple[datetime.datetime, datetime.datetime]:
    """The campaign's days as aware datetimes: [first day 00:00, day after the last 00:00)."""
    start, end = period(campaign)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    until = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return since, until


# The querysets behind the figures that are not ledger rows: the records page lists exactly these.
def coverage_counted(scope: Scope, campaign):
    return MediaCoverage.objects.filter(scope.q(), published_on__range=period(campaign))


def submissions_adopted(scope: Scope, campaign):
    return Submission.objects.filter(
        scope.q(), submitted_on__range=period(campaign), status__in=ADOPTED
    )


def cases_published(scope: Scope, campaign):
    return Case.objects.filter(scope.q(), status=Case.Status.PUBLISHED)


def listings_fresh(scope: Scope, campaign, *, today: datetime.date):
    cutoff = today - datetime.timedelta(days=STALE_AFTER_DAYS)
    return StationListing.objects.complete().filter(scope.q(), last_verified_on__gte=cutoff)


def stations_in(scope: Scope):
    if scope.own_only:
        return Unit.objects.filter(pk=scope.unit.pk, level=Unit.Level.STATION)
    return Unit.objects.stations().filter(path__startswith=scope.unit.path)


def qr_scan_days(scope: Scope, campaign):
    return QrScanDay.objects.filter(scope.q("link__unit"), day__range=period(campaign))


def help_requests(scope: Scope, campaign):
    since, until = period_bounds(campaign)
    return HelpRequest.objects.filter(scope.q(), created_at__gte=since, created_at__lt=until)


def five_social_partners(scope: Scope, campaign):
    """The 五社 partners linked to the counted activities, each once: partner ids from the link
    table for activities of the scope's units (ids, not a join on paths), unordered. A join of
    partners to activities with DISTINCT took seconds at 100,000 activities."""
    if scope.own_only:
        units = [scope.unit.pk]
    else:
        units = Unit.objects.filter(path__startswith=scope.unit.path).values("pk")
    links = Activity.partners.through.objects.filter(
        activity__unit_id__in=units, activity__campaign=campaign
    ).values("partner_id")
    return Partner.objects.filter(pk__in=links, kind__in=Partner.FIVE_SOCIAL).order_by()


def featured_activities(scope: Scope, campaign, *, limit: int = 3) -> list[Activity]:
    """The scope's activities marked 优秀案例, most participants first. Looked up from the
    status (few rows in the whole ledger) and narrowed here: filtering the scope first reads
    every activity of the subtree."""
    path = scope.unit.path
    ids = [
        pk
        for pk, unit_id, unit_path, campaign_id in Activity.objects.filter(
            status=Activity.Status.FEATURED
        )
        .values_list("pk", "unit_id", "unit__path", "campaign_id")
        .order_by()
        if campaign_id == campaign.pk
        and (unit_id == scope.unit.pk if scope.own_only else unit_path.startswith(path))
    ]
    return list(Activity.objects.filter(pk__in=ids).order_by("-participants", "starts_at")[:limit])


def activity_totals(activities) -> dict[str, int]:
    """Counts and sums of the activity figures in one pass: rows grouped by kind, audiences
    and focus tags (a few hundred groups), added up here. Faster on SQLite than one aggregate
    with a conditional count per figure."""
    groups = (
        activities.values("kind", "audiences", "focus_tags")
        .annotate(
            n=Count("id"),
            people=Sum("participants"),
            helpers=Sum("volunteers"),
            seen=Sum("views"),
            watched=Sum("live_viewers"),
            read=Sum("reads"),
        )
        .order_by()
    )
    keys = ["count", "participants", "volunteers", "reach", "elderly", "children", "five_social"]
    keys += [f"aud_{code}" for code in Audience.values]
    keys += [f"kind_{code}" for code in Activity.Kind.values]
    totals = dict.fromkeys(keys, 0)
    for group in groups:
        n = group["n"]
        totals["count"] += n
        totals["participants"] += group["people"] or 0
        totals["volunteers"] += group["helpers"] or 0
        totals["reach"] += (group["seen"] or 0) + (group["watched"] or 0) + (group["read"] or 0)
        totals[f"kind_{group['kind']}"] = totals.get(f"kind_{group['kind']}", 0) + n
        for code in codes_split(group["focus_tags"]):
            if code in ("elderly", "children", "five_social"):
                totals[code] += n
        for code in codes_split(group["audiences"]):
            key = f"aud_{code}"
            if key in totals:
                totals[key] += n
    return totals


def summary_figures(unit: Unit, campaign, *, own_only: bool = False, today=None) -> list[dict]:
    """The figures of ``unit``'s subtree (or its own rows) in ``campaign``, in the order a
    summary reports them. Activity figures link to the filtered ledger, the others to the
    records page of this summary."""
    scope = Scope(unit, own_only)
    today = today or timezone.localdate()
    activities = Activity.objects.filter(scope.q(), campaign=campaign)
    totals = activity_totals(activities)
    by_kind = {code: totals[f"kind_{code}"] for code, _label in Activity.Kind.choices}
    partners = list(five_social_partners(scope, campaign).values_list("kind", flat=True))
    kind_names = dict(Partner.Kind.choices)
    partner_kinds = [kind_names[k] for k in Partner.FIVE_SOCIAL if k in set(partners)]
    help_totals = help_requests(scope, campaign).aggregate(
        received=Count("pk"),
        in_time=Count(
            "pk",
            filter=Q(first_response_at__isnull=False) & Q(first_response_at__lte=F("respond_by")),
        ),
    )
    scans = qr_scan_days(scope, campaign).aggregate(n=Sum("count"))["n"] or 0
    survey = awareness(campaign, answers_of(campaign).filter(scope.q("area")))
    stories = stories_of(unit, campaign, own_only=own_only)

    def ledger(**extra):
        return ledger_url(unit, campaign, **extra) if not own_only else ""

    def records(key):
        return records_url(unit, campaign, key) if not own_only else ""

    figures = [
        {
            "key": "activities",
            "label": "开展宣传活动（场）",
            "value": totals["count"],
            "url": ledger(),
        },
    ]
    for code, label in Activity.Kind.choices:
        if by_kind.get(code):
            figures.append(
                {
                    "key": f"kind_{code}",
                    "label": f"其中{label}（场）",
                    "value": by_kind[code],
                    "url": ledger(kind=code),
                }
            )
    figures += [
        {
            "key": "participants",
            "label": "参与群众（人次）",
            "value": totals["participants"],
            "url": ledger(),
        },
        {
            "key": "volunteers",
            "label": "参与志愿者（人次）",
            "value": totals["volunteers"],
            "url": ledger(),
        },
        {
            "key": "reach",
            "label": "线上浏览、观看、阅读（次）",
            "value": totals["reach"],
            "url": ledger(),
        },
    ]
    for code, label in Audience.choices:
        figures.append(
            {
                "key": f"audience_{code}",
                "label": f"面向{label}的活动（场）",
                "value": totals[f"aud_{code}"],
                "url": ledger(audience=code),
            }
        )
    figures += [
        {
            "key": "elderly",
            "label": "“一老”主题活动（场）",
            "value": totals["elderly"],
            "url": ledger(focus="elderly"),
        },
        {
            "key": "children",
            "label": "“一小”主题活动（场）",
            "value": totals["children"],
            "url": ledger(focus="children"),
        },
        {
            "key": "five_social_activities",
            "label": "“五社联动”主题活动（场）",
            "value": totals["five_social"],
            "url": ledger(focus="five_social"),
        },
        {
            "key": "five_social_partners",
            "label": "参与活动的“五社”伙伴（家）",
            "value": len(partners),
            "url": records("five_social_partners"),
            "kinds": partner_kinds,
        },
        {
            "key": "media_reports",
            "label": "媒体报道（篇）",
            "value": coverage_counted(scope, campaign).count(),
            "url": records("media_reports"),
        },
        {
            "key": "submissions_adopted",
            "label": "投稿被采用（篇）",
            "value": submissions_adopted(scope, campaign).count(),
            "url": records("submissions_adopted"),
        },
        {
            "key": "cases",
            "label": "典型案例、先进典型（个）",
            "value": cases_published(scope, campaign).count(),
            "url": records("cases"),
        },
        {
            "key": "stations",
            "label": "社工站（个）",
            "value": stations_in(scope).count(),
            "url": records("stations"),
        },
        {
            "key": "stations_listed",
            "label": "名录信息完整且近90天核实的社工站（个）",
            "value": listings_fresh(scope, campaign, today=today).count(),
            "url": records("stations_listed"),
        },
        {
            "key": "qr_scans",
            "label": "二维码扫码（次）",
            "value": scans,
            "url": records("qr_scans"),
        },
        {
            "key": "help_received",
            "label": "收到群众求助（件）",
            "value": help_totals["received"],
            "url": records("help_received"),
        },
        {
            "key": "help_in_time",
            "label": "按时首次响应的求助（件）",
            "value": help_totals["in_time"],
            "url": records("help_in_time"),
        },
        {
            "key": "survey_answers",
            "label": "活动期间知晓度调查答卷（份）",
            "value": survey.campaign_answers,
            "url": "",  # anonymous answers: the dashboard shows them by area and age group
        },
        {
            "key": "survey_aware",
            "label": "其中知晓社会工作（份）",
            "value": survey.campaign_aware,
            "url": "",
        },
        {
            "key": "stories_entered",
            "label": "社工故事征集作品（篇）",
            "value": stories["entered"],
            "url": "",  # the contest's own pages list entries (authors' data stays there)
        },
        {
            "key": "stories_awarded",
            "label": "其中获奖作品（篇）",
            "value": stories["awarded"],
            "url": "",
        },
    ]
    return figures
