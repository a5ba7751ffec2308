from django.db.models import Prefetch
from django.utils import timezone

from shegong.orgs.models import Unit

from .models import AccessLogEntry, HelpRequest, Note


def area_units():
    """Districts and stations a citizen can choose, in tree order (one query).

    Every field the form reads is loaded: ``area_label`` reads ``area_name_en`` (in Chinese
    too), and a deferred field costs a query per unit."""
    return list(
        Unit.objects.filter(level__in=[Unit.Level.DISTRICT, Unit.Level.STATION]).only(
            "code", "name", "area_name", "area_name_en", "level", "parent_id", "path"
        )
    )


def helprequest_queue(
    user,
    *,
    status: str = "",
    overdue: bool = False,
    urgent: bool = False,
    mine: bool = False,
    unit: Unit | None = None,
    own: bool = False,
    campaign: str = "",
    date_from=None,
    date_to=None,
):
    """The requests ``user`` sees, filtered; ``mine``: only their own unit's queue. The
    dashboard's figures link here with ``unit`` (its subtree, or with ``own`` itself), a
    ``campaign`` slug and the days the requests were made (``date_from``, ``date_to``)."""
    requests = HelpRequest.objects.visible_to(user).select_related("unit")
    if unit is not None:
        requests = (
            requests.filter(unit=unit) if own else requests.filter(unit__path__startswith=unit.path)
        )
    if campaign:
        requests = requests.filter(campaign__slug=campaign)
    if date_from:
        requests = requests.filter(created_at__date__gte=date_from)
    if date_to:
        requests = requests.filter(created_at__date__lte=date_to)
    if mine:
        requests = requests.filter(unit_id=user.unit_id)
    if status in HelpRequest.Status.values:
        requests = requests.filter(status=status)
    if overdue:
        requests = requests.overdue()
    if urgent:
        requests = requests.filter(urgent=True)
    return requests


def helprequest_public_notes(request: HelpRequest):
    return request.notes.filter(public=True)


def helprequest_detail(user, code: str):
    return (
        HelpRequest.objects.visible_to(user)
        .select_related("unit", "unit__parent", "area", "campaign")
        .prefetch_related(Prefetch("notes", queryset=Note.objects.select_related("author")))
    )


def helprequest_counts_for_unit(user) -> tuple[int, int]:
    """New requests in the user's own queue, and overdue ones they must see to.

    A district officer's overdue count covers its stations too (overdue requests escalate to
    the district); the city audits and handles nothing, so it gets no counts.
    """
    if user.unit_id is None or user.sees_everything:
        return 0, 0
    # The queue's own filters, so each figure equals the list its link opens.
    new = helprequest_queue(user, status=HelpRequest.Status.NEW, mine=True)
    overdue = helprequest_queue(user, overdue=True)
    return new.count(), overdue.count()


def access_log_entries():
    return AccessLogEntry.objects.select_related("user", "request", "user__unit")


def helprequest_figures_for_unit(unit, *, since=None, until=None) -> dict:
    """Help-request figures of a unit's subtree, for summaries and dashboards (3 queries).

    Returns ``{"total", "urgent", "by_status": {status: n}, "answered_in_time",
    "overdue_now", "rated", "average_rating"}``.
    """
    from django.db.models import Avg, Count, F, Q

    requests = HelpRequest.objects.filter(unit__path__startswith=unit.path)
    if since is not None:
        requests = requests.filter(created_at__gte=since)
    if until is not None:
        requests = requests.filter(created_at__lt=until)
    totals = requests.aggregate(
        total=Count("pk"),
        urgent=Count("pk", filter=Q(urgent=True)),
        answered_in_time=Count("pk", filter=Q(first_response_at__lte=F("respond_by"))),
        rated=Count("rating"),
        average_rating=Avg("rating"),
    )
    by_status = dict(requests.values_list("status").annotate(n=Count("pk")).order_by())
    totals["by_status"] = {value: by_status.get(value, 0) for value in HelpRequest.Status.values}
    totals["overdue_now"] = requests.overdue(timezone.now()).count()
    return totals
