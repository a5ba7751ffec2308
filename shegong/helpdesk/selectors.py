from django.db.models import Prefetch
from django.utils import timezone

from shegong.orgs.models import Unit

from .models import AccessLogEntry, HelpRequest, Note


def area_units():
    """Districts and stations a citizen can choose, in tree order (one query)."""
    return list(
        Unit.objects.filter(level__in=[Unit.Level.DISTRICT, Unit.Level.STATION]).only(
            "code", "name", "area_name", "level", "parent_id", "path"
        )
    )


def helprequest_queue(user, *, status: str = "", overdue: bool = False, urgent: bool = False):
    requests = HelpRequest.objects.visible_to(user).select_related("unit")
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
    """New and overdue requests in the user's own queue (their unit exactly)."""
    if user.unit_id is None:
        return 0, 0
    mine = HelpRequest.objects.filter(unit_id=user.unit_id)
    return (
        mine.filter(status=HelpRequest.Status.NEW).count(),
        mine.overdue(timezone.now()).count(),
    )


def access_log_entries():
    return AccessLogEntry.objects.select_related("user", "request", "user__unit")
