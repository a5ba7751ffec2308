"""Citizens' help requests, as the console's help desk shows them: lists mask the contact
details; one request's own page shows them whole to the unit that handles it, and every such
view is written to the access log (helpdesk.AccessLogEntry), exactly as in the console."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from shegong.core.access import require
from shegong.helpdesk import selectors, services
from shegong.helpdesk.models import HelpRequest
from shegong.helpdesk.rules import can_handle

from ..base import ApiView, DetailView, ListView, UnitCodeField, with_filters


class HelpRequestListSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    contact_name = serializers.SerializerMethodField()
    phone = serializers.CharField(source="masked_phone", read_only=True)

    class Meta:
        model = HelpRequest
        fields = [
            "code",
            "status",
            "category",
            "for_whom",
            "urgent",
            "unit",
            "area",
            "contact_name",
            "phone",
            "respond_by",
            "first_response_at",
            "created_at",
        ]

    def get_contact_name(self, request) -> str:
        return f"{request.contact_name[:1]}**" if request.contact_name else ""


class NoteSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status_from = serializers.CharField()
    status_to = serializers.CharField()
    text = serializers.CharField()
    public = serializers.BooleanField()


class HelpRequestDetailSerializer(HelpRequestListSerializer):
    """Whole contact details for the unit that handles the request (``full_contact``)."""

    notes = NoteSerializer(many=True, read_only=True)
    full_contact = serializers.SerializerMethodField()

    class Meta(HelpRequestListSerializer.Meta):
        fields = [
            *HelpRequestListSerializer.Meta.fields,
            "description",
            "preferred_time",
            "outcome",
            "referred_to",
            "full_contact",
            "notes",
        ]

    def _full(self, request) -> bool:
        return can_handle(self.context["request"].user, request)

    def get_full_contact(self, request) -> bool:
        return self._full(request)

    def get_contact_name(self, request) -> str:
        return request.contact_name if self._full(request) else super().get_contact_name(request)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self._full(instance):
            data["phone"] = instance.phone
        return data


class HelpRequestFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=HelpRequest.Status.choices, required=False)
    unit = UnitCodeField(required=False, help_text="该单位及其下级单位承办的求助（单位代码）。")
    urgent = serializers.BooleanField(required=False, allow_null=True, default=None)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    since = serializers.DateField(required=False, help_text="提交日期不早于（YYYY-MM-DD）。")
    until = serializers.DateField(required=False, help_text="提交日期不晚于（YYYY-MM-DD）。")


@with_filters(HelpRequestFilters)
class HelpRequestList(ListView):
    serializer_class = HelpRequestListSerializer
    filters_class = HelpRequestFilters

    def get_queryset(self):
        return (
            selectors.helprequest_queue(self.request.user)
            .select_related("area")
            .order_by("-created_at", "-id")
        )

    def filter_list(self, queryset, filters):
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        if "unit" in filters:
            queryset = queryset.filter(unit__path__startswith=filters["unit"].path)
        if filters.get("urgent"):
            queryset = queryset.filter(urgent=True)
        if filters.get("overdue"):
            queryset = queryset.overdue()
        if "since" in filters:
            queryset = queryset.filter(created_at__date__gte=filters["since"])
        if "until" in filters:
            queryset = queryset.filter(created_at__date__lte=filters["until"])
        return queryset


def _detail(view):
    return selectors.helprequest_detail(view.request.user, view.kwargs["help_code"])


class HelpRequestDetail(DetailView):
    serializer_class = HelpRequestDetailSerializer
    lookup_field = "code"
    lookup_url_kwarg = "help_code"

    def get_queryset(self):
        return _detail(self)

    def get(self, request, *args, **kwargs):
        help_request = self.get_object()
        services.access_log_record(user=request.user, request=help_request, action="view")
        return Response(self.get_serializer(help_request).data)


class HelpRequestActionSerializer(serializers.Serializer):
    ACTIONS = [
        ("accept", "受理"),
        ("start", "开始处理"),
        ("note", "添加处理记录"),
        ("refer", "转介"),
        ("close", "办结"),
        ("reject", "不予受理"),
    ]
    action = serializers.ChoiceField(choices=ACTIONS)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    public = serializers.BooleanField(required=False, default=True)
    outcome = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    reason = serializers.ChoiceField(
        choices=HelpRequest.RejectReason.choices, required=False, allow_blank=True, default=""
    )
    unit = UnitCodeField(
        required=False, allow_null=True, default=None, help_text="转介到的单位代码。"
    )
    partner = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate(self, data):
        if (
            data["action"] in ("accept", "start", "note", "refer", "reject")
            and not data["note"].strip()
        ):
            raise serializers.ValidationError({"note": [_("请填写处理说明。")]})
        if data["action"] == "close" and not data["outcome"].strip():
            raise serializers.ValidationError({"outcome": [_("请填写办结结果。")]})
        return data


ACTIONS = {
    "accept": lambda a, r, d: services.helprequest_accept(
        actor=a, request=r, note=d["note"], public=d["public"]
    ),
    "start": lambda a, r, d: services.helprequest_start(
        actor=a, request=r, note=d["note"], public=d["public"]
    ),
    "close": lambda a, r, d: services.helprequest_close(
        actor=a, request=r, outcome=d["outcome"], note=d["note"], public=d["public"]
    ),
    "reject": lambda a, r, d: services.helprequest_reject(
        actor=a, request=r, reason=d["reason"], note=d["note"], public=d["public"]
    ),
    "refer": lambda a, r, d: services.helprequest_refer(
        actor=a, request=r, note=d["note"], unit=d["unit"], partner=d["partner"], public=d["public"]
    ),
    "note": lambda a, r, d: services.helprequest_note_add(
        actor=a, request=r, text=d["note"], public=d["public"]
    ),
}


class HelpRequestAct(ApiView):
    """Accept, note, refer, close (or start, reject) a request: the unit that handles it."""

    serializer_class = HelpRequestDetailSerializer
    lookup_field = "code"
    lookup_url_kwarg = "help_code"

    def get_queryset(self):
        return _detail(self)

    @extend_schema(
        request=HelpRequestActionSerializer, responses={200: HelpRequestDetailSerializer}
    )
    def post(self, request, help_code: str):
        help_request = self.get_object()
        require(can_handle(request.user, help_request))
        form = HelpRequestActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        ACTIONS[form.validated_data["action"]](request.user, help_request, form.validated_data)
        # Read again past the scope: a request referred to another station is answered once
        # more, masked, so the client learns where it went; whole (and logged) otherwise.
        fresh = HelpRequest.objects.select_related("unit", "area").get(pk=help_request.pk)
        if can_handle(request.user, fresh):
            services.access_log_record(user=request.user, request=fresh, action="view")
        return Response(self.get_serializer(fresh).data)
