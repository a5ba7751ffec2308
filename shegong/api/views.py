"""The API's HTML pages: the console page where a user creates and revokes their tokens, and
the interactive description (Swagger UI, vendored). The API itself: resources/."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import permissions

from shegong.core.middleware import _policy

from .auth import BearerTokenAuthentication
from .base import request_language
from .errors import MESSAGES, error_body
from .forms import TokenCreateForm, TokenRevokeForm
from .models import ApiToken
from .services import apitoken_create, apitoken_revoke
from .throttling import AnonRateThrottle, TokenRateThrottle


class OpenApiJson(SpectacularJSONAPIView):
    """``/api/v1/openapi.json``: the description, public (it names no unit's data)."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenRateThrottle, AnonRateThrottle]


def docs(request: HttpRequest) -> HttpResponseBase:
    """Swagger UI over openapi.json, from files under static/vendor (no other host). Its
    stylesheet draws a few icons as data: images, so this one page allows those."""
    policy = dict(settings.CONTENT_SECURITY_POLICY)
    policy["img-src"] = [*policy["img-src"], "data:"]
    response = render(request, "api/docs.html")
    response["Content-Security-Policy"] = _policy(policy)
    return response


@csrf_exempt  # as every API view: no cookie signs anyone in here, so there is nothing to forge
def not_found(request: HttpRequest) -> HttpResponseBase:
    """Any other address under /api/v1/ (e.g. ``activities/abc/``): the API's 404, in JSON,
    never the site's HTML page."""
    with translation.override(request_language(request)):
        body = error_body("not_found", str(MESSAGES["not_found"]()))
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


def _tokens(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


@login_required
def tokens(request: HttpRequest) -> HttpResponseBase:
    """The user's own tokens; a new one is shown once, on the page that answers its creation."""
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = apitoken_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            created = {"token": token, "raw": raw}
            form = TokenCreateForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": _tokens(request.user), "created": created},
    )
    if created:
        # The token is on this page only: nothing may keep a copy of it.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponseBase:
    form = TokenRevokeForm(request.POST)
    token = None
    if form.is_valid():
        token = _tokens(request.user).filter(pk=form.cleaned_data["token"]).first()
    if token is None:
        messages.error(request, "没有找到该令牌，可能已被删除。")
    else:
        apitoken_revoke(actor=request.user, token=token)
        messages.success(request, f"已吊销令牌“{token.name}”，使用它的程序将无法再访问。")
    return redirect("api_console:tokens")
