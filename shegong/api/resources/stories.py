"""The story contest's public submission, for programs (a WeChat official account's tools, a
district's own site) that collect entries for the bureau: no token, the same call, form, service
and daily limits as the public form at /stories/submit/.

Validation is the public form's (``contest.forms.EntryForm``) run over what the serializer
typed, so the two cannot drift apart: the same messages, the call's own categories, the phone
check, the consent boxes. The form's honeypot is left out: it catches programs that fill every
field of a page they scrape, and an API is read by programs by design; the per-address limits
(the API's and the contest's per day) are what bound a flood here."""

from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from shegong.contest import selectors, services
from shegong.contest.forms import EntryForm
from shegong.contest.models import Category, Entry
from shegong.core.forms import UNREADABLE
from shegong.core.http import client_address
from shegong.helpdesk.services import LimitReached, client_hash

from ..base import ApiView
from ..errors import error_body
from ..schema import Error

FORM = EntryForm.base_fields


def _said(name: str, *keys: str) -> dict:
    """The public form's own words for a field's refusals, keyed as DRF names them."""
    messages = FORM[name].error_messages
    out = {"null_characters_not_allowed": UNREADABLE}
    for key in keys:
        form_key = {"blank": "required", "null": "required", "invalid": "required"}
        out[key] = messages[form_key.get(key, key)]
    return out


class CitizenText(serializers.CharField):
    """A text field that words a NUL byte as the public forms do (Django's Chinese catalogue
    gets that message wrong). Set in ``__init__``: DRF rebuilds fields from their arguments."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, ProhibitNullCharactersValidator):
                validator.message = UNREADABLE


def _text(name: str, help_text: str = "", **kwargs):
    field = FORM[name]
    keys = ("required", "blank", "null") if field.required else ()
    if getattr(field, "max_length", None):
        keys += ("max_length",)
        kwargs["max_length"] = field.max_length
    typed = CitizenText(
        required=field.required,
        allow_blank=not field.required,
        trim_whitespace=False,  # the form trims, as on the page
        error_messages=_said(name, *keys),
        help_text=help_text or str(field.help_text),
        **kwargs,
    )
    return typed


def _ticked(name: str, help_text: str):
    return serializers.BooleanField(
        help_text=help_text, error_messages=_said(name, "required", "null", "invalid")
    )


class StoryEntrySerializer(serializers.Serializer):
    title = _text("title", "作品标题，不超过 100 字。")
    category = serializers.ChoiceField(
        choices=Category.choices,
        help_text="written 文字故事、photo 图片故事、video 短视频（以本次征集开放的类别为准）。",
        error_messages=_said("category", "required", "null", "invalid_choice"),
    )
    text = _text("text")
    author_name = _text("author_name", "作者姓名（署名发表）。")
    phone = _text("phone", "联系电话，只用于联系获奖作者和查询进度，不会公开。")
    district = _text(
        "district",
        "所在区的单位代码（可不填），如 460105；须为本市的区。",
        default="",
        max_length=20,
    )
    shows_minors = serializers.BooleanField(
        required=False, default=False, help_text=str(FORM["shows_minors"].help_text)
    )
    originality = _ticked("originality", "原创声明：须为 true。")
    consent = _ticked("consent", "同意主办方署名发表：须为 true，否则作品无法参加评选。")

    def to_internal_value(self, data):
        """The typed values, then the public form over them: its checks, its messages, its
        cleaning. Every field at fault is named at once, as the page does."""
        try:
            attrs = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(data, Mapping):
                raise  # not an object at all: DRF's refusal says so
            # Ill-typed fields keep their refusal; the others still get the form's.
            typed = {k: v for k, v in data.items() if k not in exc.detail and k in self.fields}
            typed = {k: v for k, v in typed.items() if isinstance(v, str | bool)}
            form = self._form(typed)
            form.is_valid()
            extra = {k: v for k, v in self._errors(form).items() if k not in exc.detail}
            raise serializers.ValidationError({**exc.detail, **extra}) from None
        form = self._form(attrs)
        if not form.is_valid():
            raise serializers.ValidationError(self._errors(form))
        return form.cleaned_data

    def _form(self, attrs) -> EntryForm:
        data = {
            name: ("on" if value in (True, "true", "True", "1") else "")
            if isinstance(self.fields[name], serializers.BooleanField)
            else value
            for name, value in attrs.items()
            if name != "files"
        }
        files = MultiValueDict({"files": list(attrs.get("files", []))})
        return EntryForm(data, files, call=self.context["call"])

    @staticmethod
    def _errors(form) -> dict:
        return {name: [str(m) for m in errors] for name, errors in form.errors.items()}


class StoryEntryUploadSerializer(StoryEntrySerializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=str(FORM["files"].help_text),
    )


class StoryEntryCreatedSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="查询码，如 AC7K-M3PX：凭它和手机号后四位查询进度。")
    title = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField(help_text="submitted：已提交，等待评审。")
    files = serializers.IntegerField(help_text="收到并处理好的照片、视频个数。")
    follow_url = serializers.URLField(help_text="查询进度、撤回作品的页面。")


def retry_after(code: str, *, ip_hash: str, phone: str, now) -> int:
    """Seconds until the oldest entry counted against the limit leaves the day's window."""
    recent = Entry.objects.filter(created_at__gte=now - timedelta(days=1))
    recent = recent.filter(ip_hash=ip_hash) if code == "ip_limit" else recent.filter(phone=phone)
    oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest is None:
        return 1
    return max(1, int((oldest + timedelta(days=1) - now).total_seconds()) + 1)


class StorySubmit(ApiView):
    """Enter a story in the contest now open (as /stories/submit/ does; no token needed)."""

    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser, MultiPartParser]
    serializer_class = StoryEntrySerializer

    @extend_schema(
        request={
            "application/json": StoryEntrySerializer,
            "multipart/form-data": StoryEntryUploadSerializer,
        },
        responses={
            201: StoryEntryCreatedSerializer,
            400: OpenApiResponse(
                Error,
                "请求有误，或现在没有接收投稿的征集（code 为 closed）：message 说明原因。",
            ),
            429: OpenApiResponse(
                Error,
                "请求过于频繁，或本地址、本电话今天投稿已达上限（code 为 limit_reached）："
                "Retry-After 头给出需等待的秒数。",
            ),
            415: OpenApiResponse(Error, "请求内容须为 JSON 或 multipart/form-data（带文件时）。"),
        },
        auth=[{}, {"bearerAuth": []}],
    )
    def post(self, request):
        call = selectors.current_call()
        if call is None or not call.accepts_entries():
            # The service's own words for a closed call (it is asked only with a call).
            body = error_body("closed", _("本次征集现在不接收投稿。"))
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        uploading = request.content_type.startswith("multipart/")
        kind = StoryEntryUploadSerializer if uploading else StoryEntrySerializer
        form = kind(data=request.data, context={"call": call})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        ip = client_address(request)
        try:
            entry = services.entry_submit(
                call=call,
                author_name=data["author_name"],
                phone=data["phone"],
                title=data["title"],
                category=data["category"],
                text=data["text"],
                uploads=data["files"],
                shows_minors=data["shows_minors"],
                area=data["district"],
                ip=ip,
            )
        except LimitReached as exc:
            wait = retry_after(
                exc.code, ip_hash=client_hash(ip), phone=data["phone"], now=timezone.now()
            )
            response = Response(
                error_body("limit_reached", exc.messages[0]),
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
            response["Retry-After"] = str(wait)
            return response
        except ValidationError as exc:
            field = "files" if exc.code in ("file", "files") else "non_field_errors"
            raise serializers.ValidationError({field: exc.messages}) from None
        return Response(
            {
                "code": entry.display_code,
                "title": entry.title,
                "category": entry.category,
                "status": entry.status,
                "files": entry.media.count(),
                "follow_url": settings.SITE_URL + reverse("contest_public_follow"),
            },
            status=status.HTTP_201_CREATED,
        )
