"""The OpenAPI description, generated from the views by drf-spectacular, with the answers
every operation may give besides its own: the one error shape for 400/401/403/404/405/406/415/
429, and 304 for a read whose ETag the client already holds."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from .auth import BearerTokenAuthentication

Error = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(help_text="invalid, not_found, throttled …"),
        "message": serializers.CharField(help_text="中文说明；Accept-Language: en 时为英文。"),
        "field": serializers.CharField(allow_null=True, help_text="第一个有问题的字段。"),
        "errors": serializers.ListField(
            child=serializers.DictField(), help_text="[{field, message}, …]"
        ),
    },
)

ERRORS = {
    400: "请求有误：message 说明原因，field 指出有问题的字段。",
    401: "缺少令牌，或令牌无效、已过期、已被吊销。",
    403: "对象可见，但您无权进行此操作。",
    404: "不存在，或不在您的单位范围内。",
    405: "该地址不支持此请求方法。",
    406: "该地址只返回 JSON。",
    415: "请求内容须为 JSON。",
    429: "请求过于频繁：Retry-After 头给出需等待的秒数。",
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, description in ERRORS.items():
            code = str(status)
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(Error, description), code
                )
        if self.method == "GET":
            responses.setdefault("304", {"description": "未修改：If-None-Match 与当前 ETag 相同。"})
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "个人访问令牌：在工作台“接口令牌”页面创建。",
        }
