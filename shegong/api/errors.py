"""One JSON shape for every error the API answers:

    {"code": "invalid", "message": "…", "field": "title",
     "errors": [{"field": "title", "message": "…"}]}

``message`` is in Chinese, or English when the request says ``Accept-Language: en``;
``field`` names the first field at fault (null when the request as a whole is refused).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"


def _flatten(detail, prefix="") -> list[dict]:
    """DRF's nested error detail as a flat list of {field, message}."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in (NON_FIELD, "__all__") else str(key)
            out += _flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
    elif isinstance(detail, list):
        for item in detail:
            out += _flatten(item, prefix)
    else:
        out.append({"field": prefix or None, "message": str(detail)})
    return out


def error_body(code: str, message: str, errors: list[dict] | None = None) -> dict:
    errors = errors or [{"field": None, "message": message}]
    field = next((e["field"] for e in errors if e["field"]), None)
    return {"code": code, "message": message, "field": field, "errors": errors}


def _django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's refusal (Django's ValidationError) as DRF's, keeping its fields."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        )
    return exceptions.ValidationError({NON_FIELD: list(exc.messages)})


MESSAGES = {
    # Our own words for DRF's generic ones, so they follow the request's language.
    "not_authenticated": lambda: _("请在 Authorization 请求头中提供令牌（Bearer 令牌）。"),
    "permission_denied": lambda: _("您没有权限进行此操作。"),
    "not_found": lambda: _("未找到：对象不存在，或不在您的单位范围内。"),
    "method_not_allowed": lambda: _("该地址不支持此请求方法。"),
    "unsupported_media_type": lambda: _(
        "请以 JSON 发送请求内容（Content-Type: application/json）。"
    ),
    "parse_error": lambda: _("请求内容不是有效的 JSON。"),
    "not_acceptable": lambda: _("该地址只返回 JSON。"),
}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler, logged as any other
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        body = error_body("invalid", errors[0]["message"] if errors else _("请求有误。"), errors)
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        body = error_body(
            "throttled", _("请求过于频繁，请在 %(seconds)s 秒后再试。") % {"seconds": wait}
        )
    elif isinstance(exc, exceptions.AuthenticationFailed):
        body = error_body("not_authenticated", str(exc.detail))
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        message = MESSAGES[code]() if code in MESSAGES else str(exc.detail)
        body = error_body(code, message)
    response.data = body
    return response


def bad_request(field: str, message: str) -> Response:
    return Response(
        error_body("invalid", message, [{"field": field, "message": message}]),
        status=status.HTTP_400_BAD_REQUEST,
    )
