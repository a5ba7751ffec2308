from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shegong.core.http import client_address

from .throttle import login_locked_until


class DemoAwareBackend(ModelBackend):
    """The model backend, except that demo accounts sign in only in demo mode, and a
    locked-out name or address is refused before its password is checked (every way in, the
    console's login and the admin's, passes here, so the lock-out holds for all).

    Demo passwords are printed in the README; a production server must never accept them.
    ``DEMO_MODE`` is refused at start-up on a public host or a non-demo database (settings.py),
    and is independent of DEBUG: `make demo` runs with DEBUG off.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            until = login_locked_until(
                username=username or "", address=client_address(request), now=timezone.now()
            )
            if until is not None:
                request.login_locked_until = until
                # authenticate() stops at PermissionDenied and reports the failed attempt.
                raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
