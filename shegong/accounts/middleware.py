import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .services import login_record_idle_logout
from .twofactor import PENDING

LAST_SEEN = "last_seen"
# The session is written at most this often just to note activity.
TOUCH_EVERY = 60


class StaffIdleTimeoutMiddleware:
    """Signs out a staff member who has done nothing for ``STAFF_IDLE_TIMEOUT`` seconds.

    A console left open on a shared office PC must not stay usable for the session's full
    age. Citizens have no sessions, so public pages cost nothing here. After the sign-out the
    request goes on as anonymous: console pages send the user to the login page, which says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.STAFF_IDLE_TIMEOUT:
                user = request.user
                logout(request)
                login_record_idle_logout(user=user, idle_seconds=now - last)
                messages.info(
                    request,
                    f"您已超过 {settings.STAFF_IDLE_TIMEOUT // 60} 分钟未操作，"
                    "为保护群众信息已自动退出，请重新登录。",
                )
            elif last is None or now - last >= TOUCH_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


# What a user held at the second factor may still open.
SECOND_FACTOR_OPEN = {"two_factor_verify", "two_factor", "logout"}


class SecondFactorMiddleware:
    """Holds a user who signed in with a password at the second-factor pages until verified.

    The flag is set at sign-in (``signals.on_logged_in``) only for accounts that need a second
    factor, and cleared when a code from their app is accepted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.session.get(PENDING) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match and match.namespace == "accounts" and match.url_name in SECOND_FACTOR_OPEN:
            return None
        target = reverse("accounts:two_factor_verify")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
