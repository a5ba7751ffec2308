"""Sign-in events from django.contrib.auth, handed to services (connected in apps.py).

Django reports every sign-in through these signals, whichever form or view did it (the
console's login, the admin's), so the throttle and the audit log see them all."""

from shegong.core.http import client_address

from .services import login_record_failure, login_record_success
from .twofactor import PENDING, needs_second_factor


def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is None:  # a check outside a request (a command): nothing to throttle
        return
    locked_before = getattr(request, "login_locked_until", None) is not None
    locked_until = login_record_failure(
        username=str(credentials.get("username") or ""),
        address=client_address(request),
        locked_before=locked_before,
    )
    if locked_until is not None:
        request.login_locked_until = locked_until


def on_logged_in(sender, request, user, **kwargs):
    address = client_address(request) if request is not None else ""
    login_record_success(user=user, address=address)
    if request is not None and hasattr(request, "session") and needs_second_factor(user):
        request.session[PENDING] = True
