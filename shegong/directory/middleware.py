from django.urls import reverse
from django.utils.functional import cached_property

from .public_views import qr_answer


class QrShortLinkMiddleware:
    """Answers a QR short link (``/q/<code>``) before the session, CSRF, authentication,
    language and message middleware that follow it.

    A scan is the site's most frequent request (codes printed on buses and posters) and its
    answer is a redirect that sets no cookie and reads none: the middleware after this one
    only cost it time (bench/bench_directory_public.py). Installed after the security
    middleware, so the redirect carries the same security headers as every answer. An unknown
    code, or a method other than GET and HEAD, goes on through the whole stack to the URL's
    view (``public_views.qr_redirect``), which answers with the site's 404 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def prefix(self) -> str:
        # On the first request, not at start: the URL modules load on first use, and an
        # application server stopped while its workers start must not wait for them.
        return reverse("directory_qr_redirect", args=["-"]).removesuffix("-")

    def __call__(self, request):
        path = request.path_info
        if request.method in ("GET", "HEAD") and path.startswith(self.prefix):
            code = path[len(self.prefix) :]
            if "/" not in code:
                response = qr_answer(request, code)
                if response is not None:
                    return response
        return self.get_response(request)
