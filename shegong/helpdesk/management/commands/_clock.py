from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def parse_now(value: str | None) -> datetime:
    """``--now 2023-03-10T09:00`` fixes the clock (tests, replays); default: the real time."""
    if not value:
        return timezone.now()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now: not an ISO date-time: {value}") from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
