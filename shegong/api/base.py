"""What every API view shares: token sign-in, the staff check, language, limits, pages, ETags,
and filters validated like any other input."""

import hashlib

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, mixins, permissions, serializers
from rest_framework.response import Response

from shegong.core.access import get_visible_or_404
from shegong.orgs.models import Unit
from shegong.orgs.rules import is_staff_member

from .auth import BearerTokenAuthentication
from .pagination import PageNumberPagination
from .throttling import AnonRateThrottle, TokenRateThrottle


def request_language(request) -> str:
    """English when asked for (``Accept-Language: en`` or ``?lang=en``), else Chinese: the API's
    clients are programs, so the header a program sends is the natural switch."""
    if request.GET.get("lang") in ("en", "zh-hans"):
        return request.GET["lang"]
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        code = code.lower()
        if code.startswith("en"):
            return "en"
        if code.startswith("zh"):
            return "zh-hans"
    return "zh-hans"


class IsStaffMember(permissions.BasePermission):
    """The console's staff (city, districts, stations): judges and citizens have no unit data.
    Anonymous callers get 401 (DRF asks for a token first)."""

    def has_permission(self, request, view):
        return is_staff_member(request.user)


class ApiView(generics.GenericAPIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsStaffMember]
    throttle_classes = [TokenRateThrottle, AnonRateThrottle]
    pagination_class = PageNumberPagination
    filters_class: type[serializers.Serializer] | None = None
    lookup_url_kwarg = "pk"

    def dispatch(self, request, *args, **kwargs):
        language = request_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    def perform_authentication(self, request):
        """Limits are counted before the permission check, and before a bad token's 401: a
        flood without a valid token is counted per address (and answered 429 once over), not
        refused 401 for free forever. DRF's own order checks them last, after both."""
        try:
            request.user  # noqa: B018 (signs the token in)
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)
            raise
        self.check_throttles(request)

    def check_throttles(self, request):
        if getattr(self, "_throttles_checked", False):
            return  # counted once, in perform_authentication; DRF's initial() asks again
        self._throttles_checked = True
        super().check_throttles(request)

    def filters(self) -> dict:
        """The list's query parameters, validated (400 naming the parameter at fault)."""
        if self.filters_class is None:
            return {}
        form = self.filters_class(data=self.request.query_params)
        form.is_valid(raise_exception=True)
        return {k: v for k, v in form.validated_data.items() if v not in (None, "")}

    def get_object(self):
        queryset = self.get_queryset()
        lookup = self.lookup_field
        return get_visible_or_404(queryset, **{lookup: self.kwargs[self.lookup_url_kwarg]})

    def finalize_response(self, request, response, *args, **kwargs):
        """``ETag`` on every successful read; ``If-None-Match`` with it answers 304, so a client
        polling a list downloads it again only when it changed."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            patch = response.get("Vary", "")
            if "Authorization" not in patch:
                response["Vary"] = ", ".join(
                    v for v in (patch, "Authorization", "Accept-Language") if v
                )
            asked = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
            if etag in asked or "*" in asked:
                not_modified = Response(status=304)
                not_modified["ETag"] = etag
                not_modified["Vary"] = response["Vary"]
                return super().finalize_response(request, not_modified, *args, **kwargs)
        return response


class ListView(mixins.ListModelMixin, ApiView):
    """A paginated list of what the user may see, narrowed by ``filters_class``."""

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        return self.filter_list(queryset, self.filters())

    def filter_list(self, queryset, filters: dict):
        return queryset


class DetailView(ApiView):
    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)


class UnitCodeField(serializers.CharField):
    """A unit named by its statistical code (e.g. 460105 for 秀英区), as everywhere."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        code = super().run_validation(data)  # the text's own checks (length) first
        if code in (None, ""):
            return code
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise serializers.ValidationError(_("没有代码为 %(code)s 的单位。") % {"code": code})
        return unit


def with_filters(filters_class):
    """Declare a list view's filters in its OpenAPI description."""
    return extend_schema(parameters=[filters_class])
