"""Sign-in throttling: failures counted per account and per client address, in the database.

After ``LOGIN_FAILURES_PER_ACCOUNT`` wrong passwords for one user name, or
``LOGIN_FAILURES_PER_ADDRESS`` from one address, within ``LOGIN_FAILURE_WINDOW``, further
sign-ins for that name or from that address are refused for ``LOGIN_LOCKOUT`` without checking
the password (so a locked-out guesser costs one query, not a hash). The count is kept for names
that do not exist too, so the lock-out says nothing about which accounts exist. A successful
sign-in clears its account's count, never the address's: an attacker with an account of their
own cannot reset the count of the address they guess from.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import LoginThrottle

KEY_MAX = 200


def _clean(text: str) -> str:
    return (text or "").replace("\x00", "").strip().lower()


def throttle_keys(*, username: str, address: str) -> list[tuple[str, int]]:
    """The counters one attempt touches, each with its failure limit."""
    keys = []
    name = _clean(username)
    if name:
        keys.append((f"account:{name}"[:KEY_MAX], settings.LOGIN_FAILURES_PER_ACCOUNT))
    if address:
        keys.append((f"address:{address}"[:KEY_MAX], settings.LOGIN_FAILURES_PER_ADDRESS))
    return keys


def login_locked_until(*, username: str, address: str, now: datetime.datetime):
    """When the lock on this name or address ends; ``None`` when sign-in may be tried."""
    keys = [key for key, _ in throttle_keys(username=username, address=address)]
    if not keys:
        return None
    ends = LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now).values_list(
        "locked_until", flat=True
    )
    return max(ends, default=None)


def _locked_row(key: str, now: datetime.datetime) -> LoginThrottle:
    row = LoginThrottle.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return LoginThrottle.objects.create(key=key, failures=0, window_start=now)
    except IntegrityError:  # another worker created it first
        return LoginThrottle.objects.select_for_update().get(key=key)


@transaction.atomic
def login_failure_count(*, username: str, address: str, now: datetime.datetime):
    """Count one failed sign-in against its name and its address.

    Side effects: creates or updates ``LoginThrottle`` rows; locks a name or address that
    reached its limit. Returns when the new lock ends, or ``None`` when nothing was locked.
    """
    window = settings.LOGIN_FAILURE_WINDOW
    locked = None
    for key, limit in throttle_keys(username=username, address=address):
        row = _locked_row(key, now)
        if row.window_start < now - window:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + settings.LOGIN_LOCKOUT
            row.failures, row.window_start = 0, now
            locked = max(locked or row.locked_until, row.locked_until)
        row.save()
    return locked


def login_success_clear(*, username: str) -> None:
    """A correct password clears its account's count (the address's stays)."""
    keys = [key for key, _ in throttle_keys(username=username, address="")]
    LoginThrottle.objects.filter(key__in=keys).delete()


def login_throttle_purge(*, now: datetime.datetime) -> int:
    """Delete counters whose window and lock are both over. Returns how many."""
    deleted, _ = (
        LoginThrottle.objects.filter(window_start__lt=now - settings.LOGIN_FAILURE_WINDOW)
        .exclude(locked_until__gt=now)
        .delete()
    )
    return deleted


def login_unlock(*, username: str = "", address: str = "") -> int:
    """Forget the failures (and any lock) of a name and/or an address. Returns rows removed."""
    keys = [key for key, _ in throttle_keys(username=username, address=address)]
    deleted, _ = LoginThrottle.objects.filter(key__in=keys).delete()
    return deleted
