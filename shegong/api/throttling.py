"""Rate limits: per token for signed-in clients, per client address for anonymous ones.

Counted in Django's cache (local memory by default; one shared Redis with REDIS_URL), read at
request time from ``settings.API_RATE_TOKEN`` / ``API_RATE_ANON`` so a test or deployment can
change them. A refused request gets 429 with ``Retry-After`` (DRF's Throttled)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from shegong.core.http import client_address


class _Throttle(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        return getattr(settings, self.setting)

    def __init__(self):
        # The rate is read per request (SimpleRateThrottle reads it once, at class level).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)


class TokenRateThrottle(_Throttle):
    scope = "token"
    setting = "API_RATE_TOKEN"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return f"api-throttle:token:{token.pk}"


class AnonRateThrottle(_Throttle):
    scope = "anon"
    setting = "API_RATE_ANON"

    def get_cache_key(self, request, view):
        if getattr(request, "auth", None) is not None:
            return None
        return f"api-throttle:anon:{client_address(request)}"
