import os
from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from whitenoise.middleware import WhiteNoiseMiddleware

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME
ELDER_COOKIE = "elder"
SIZE_COOKIE = "size"
TEXT_SIZES = {"l", "xl"}  # elder mode's two sizes; normal mode has its own
ONE_YEAR = 365 * 24 * 3600
LANGUAGES = {code for code, _ in settings.LANGUAGES}


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with its index of the static files built once per process.

    WhiteNoise reads every static file's size, type and compressed variants when its middleware
    is made, once per request handler. A server makes one handler per process, but Django's test
    client makes one per client: the suite paid a scan of 1,255 files for each of its thousands
    of clients. The collected files do not change while a process runs; the index is kept per
    directory and per header setting, and a new ``collectstatic`` (a new manifest) reads it
    again. Without the index (``autorefresh``, development) nothing is kept.
    """

    _indexes: ClassVar[dict[tuple, dict]] = {}

    def _headers_key(self) -> tuple:
        return (
            self.max_age,
            self.allow_all_origins,
            self.charset,
            self.add_headers_function,
            self.index_file,
            getattr(settings, "WHITENOISE_IMMUTABLE_FILE_TEST", None),
            repr(getattr(settings, "WHITENOISE_MIMETYPES", None)),
        )

    def _add_indexed(self, key: tuple, build: Callable[[], None]) -> None:
        if self.autorefresh:
            build()
            return
        key = (*key, *self._headers_key())
        index = self._indexes.get(key)
        if index is None:
            kept, self.files = self.files, {}
            try:
                build()
                index = self._indexes[key] = self.files
            finally:
                self.files = kept
        self.files.update(index)

    def add_files(self, root, prefix=None) -> None:
        manifest = os.path.join(root, "staticfiles.json")
        stamp = os.stat(manifest).st_mtime_ns if os.path.exists(manifest) else None
        self._add_indexed(
            ("root", os.fspath(root), prefix, stamp),
            lambda: super(StaticFilesMiddleware, self).add_files(root, prefix),
        )

    def add_files_from_finders(self) -> None:
        self._add_indexed(
            ("finders", self.static_prefix, tuple(map(str, settings.STATICFILES_DIRS))),
            super().add_files_from_finders,
        )


class DisplayPreferencesMiddleware:
    """Language, elder mode and its text size from ``?lang=`` / ``?elder=`` / ``?size=`` or
    their cookies; nothing else.

    Chinese is the default whatever the browser's Accept-Language says: the site serves a
    Chinese city, and a page that changes language with the phone's settings confuses people
    reading it over each other's shoulders. Printed QR codes may carry the parameters, so they
    work without a form post or JavaScript; the choice is remembered in a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen_lang = request.GET.get("lang")
        if chosen_lang not in LANGUAGES:
            chosen_lang = None
        lang = chosen_lang or request.COOKIES.get(LANGUAGE_COOKIE)
        if lang not in LANGUAGES:
            lang = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = lang

        chosen_elder = request.GET.get("elder")
        if chosen_elder not in {"0", "1"}:
            chosen_elder = None
        request.elder_mode = (chosen_elder or request.COOKIES.get(ELDER_COOKIE)) == "1"
        # Elder mode comes in two sizes (large, extra large): with normal mode, three in all.
        chosen_size = request.GET.get("size")
        if chosen_size not in TEXT_SIZES:
            chosen_size = None
        size = chosen_size or request.COOKIES.get(SIZE_COOKIE)
        request.text_size = size if size in TEXT_SIZES else "l"

        # override() puts the previous language back afterwards, so one English page cannot
        # leave English active for whatever this thread runs next (a task, a command, a test).
        with translation.override(lang):
            response = self.get_response(request)

        response.headers.setdefault("Content-Language", lang)
        patch_vary_headers(response, ["Cookie"])
        # Secure wherever the session cookie is (production): no cookie travels over plain HTTP.
        secure = settings.SESSION_COOKIE_SECURE
        if chosen_lang:
            response.set_cookie(
                LANGUAGE_COOKIE, chosen_lang, max_age=ONE_YEAR, samesite="Lax", secure=secure
            )
        if chosen_elder:
            response.set_cookie(
                ELDER_COOKIE, chosen_elder, max_age=ONE_YEAR, samesite="Lax", secure=secure
            )
        if chosen_size:
            response.set_cookie(
                SIZE_COOKIE, chosen_size, max_age=ONE_YEAR, samesite="Lax", secure=secure
            )
        return response


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    The policy is strict (``settings.CONTENT_SECURITY_POLICY``): scripts, styles, images and
    fonts only from this site, no inline script or style, no plugins, no framing, forms posting
    only here. The house style already forbids inline JS and CSS; ``tests/core/
    test_security_headers.py`` walks the site for any that crept in, and a browser test fails
    on any violation the browser reports.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = _policy(settings.CONTENT_SECURITY_POLICY)
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body is over the limit before anything reads it.

    Django caps form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but streams uploaded files to disk
    without a total: an anonymous 100 MB POST to ``/help/`` was read in full before its CSRF
    refusal. Staff may upload a phone video (``MAX_REQUEST_BODY_STAFF``); anyone else far less
    (``MAX_REQUEST_BODY_PUBLIC``). Installed after the authentication middleware, which reads
    only the session cookie; the body is first read by the CSRF check, after this. The web
    server in front should cap bodies too (nginx ``client_max_body_size``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_PUBLIC:
            staff = request.user.is_authenticated
            limit = settings.MAX_REQUEST_BODY_STAFF if staff else settings.MAX_REQUEST_BODY_PUBLIC
            if length > limit:
                return render(
                    request,
                    "core/request_too_large.html",
                    {"limit_mb": limit // (1024 * 1024), "length_mb": length // (1024 * 1024)},
                    status=413,
                )
        return self.get_response(request)


class HtmlGzipMiddleware(GZipMiddleware):
    """Compresses HTML pages for a browser that accepts gzip, whatever serves the app.

    Static files come compressed from WhiteNoise and nginx compresses what it proxies, but the
    app server may face phones directly (granian without nginx), and a public page is read on
    a weak phone network. Only HTML: documents, photos and videos are compressed already (and
    a video's byte ranges must stay as they are). Django's middleware pads each response with
    random bytes against BREACH (a page holding a CSRF token is compressed safely).
    """

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
