"""Facts about the HTTP request that more than one app needs."""

import ipaddress
import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse


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


# Characters Windows, macOS or a browser refuse in a file name, and control characters.
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(name: str) -> str:
    """``name`` fit to be a file name on a clerk's PC: no path separators, quotes, reserved or
    control characters, no surrounding dots or spaces, at most 120 characters before the
    extension (Windows paths end at 260)."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = _UNSAFE_IN_NAME.sub("_", stem).strip(" ._")[:120] or "download"
    return f"{stem}.{_UNSAFE_IN_NAME.sub('', extension)}" if extension else stem


def content_disposition(name: str, *, fallback: str, inline: bool = False) -> str:
    """A Content-Disposition naming the file in Chinese, as a person would name it, for
    browsers that read RFC 6266's ``filename*``, with ``fallback`` (ASCII) for the rest."""
    ascii_name = download_name(fallback).encode("ascii", "ignore").decode() or "download"
    kind = "inline" if inline else "attachment"
    quoted = quote(download_name(name), safe="")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


def attachment_response(
    data, *, name: str, fallback: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """A download of ``data`` (bytes, or an open file streamed with FileResponse) carrying
    the Chinese file name ``name`` and the ASCII ``fallback`` (see ``content_disposition``)."""
    if isinstance(data, (bytes, bytearray, str)):
        response = HttpResponse(data, content_type=content_type)
    else:
        response = FileResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, fallback=fallback, inline=inline)
    return response
