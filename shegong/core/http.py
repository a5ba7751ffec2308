"""Facts about the HTTP request that more than one app needs."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The citizen's address, for per-address limits.

    Behind ``TRUSTED_PROXY_COUNT`` proxies, the address the outermost of ours appended to
    X-Forwarded-For; anything further left was written by the client and may be forged. Without
    proxies, or when the header is missing or malformed, ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def query_text(query, name: str, max_length: int) -> str:
    """A typed query parameter fit to filter on: trimmed, cut to ``max_length`` (SQLite refuses
    a LIKE pattern over 50,000 bytes) and without NUL bytes (PostgreSQL refuses them in any
    text). Either refusal would otherwise be a server error for a mistyped or forged link."""
    return query.get(name, "").replace("\x00", "").strip()[:max_length]
