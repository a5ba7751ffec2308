"""The activity ledger: list, read, record (a draft), submit for review; the unit's media
coverage, 投稿 and live streams. Writes go through ``shegong.activities.services``, so the audit
entries and the reviewer's notification are those of the console."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from shegong.activities import services
from shegong.activities.models import Activity, LiveStream, MediaCoverage, Submission
from shegong.campaigns.models import Campaign, Task
from shegong.core.access import require
from shegong.orgs.models import Partner, Unit
from shegong.orgs.rules import can_record_for_unit, is_unit_member

from ..base import ApiView, DetailView, ListView, UnitCodeField, with_filters


class ActivitySerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    partners = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "unit",
            "campaign",
            "kind",
            "title",
            "starts_at",
            "place",
            "participants",
            "volunteers",
            "views",
            "live_viewers",
            "reads",
            "outcome",
            "held",
            "status",
            "review_comment",
            "partners",
            "tasks",
            "created_at",
            "updated_at",
        ]

    def get_partners(self, activity) -> list[int]:
        return [p.pk for p in activity.partners.all()]

    def get_tasks(self, activity) -> list[int]:
        return [t.pk for t in activity.tasks.all()]


class ActivityCreateSerializer(serializers.Serializer):
    """What the console's activity form asks for; the service checks the rest (the recording
    scope, the campaign's tasks, 已举办 only for past activities with a cleared risk check)."""

    unit = UnitCodeField(help_text="登记单位的代码，如 460105001。")
    campaign = serializers.SlugField(required=False, allow_blank=True, help_text="宣传活动标识。")
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    title = serializers.CharField(
        max_length=200,
        error_messages={"blank": _lazy("请填写活动名称。"), "required": _lazy("请填写活动名称。")},
    )
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    participants = serializers.IntegerField(min_value=0, max_value=10**7, required=False)
    volunteers = serializers.IntegerField(min_value=0, max_value=10**7, required=False)
    views = serializers.IntegerField(min_value=0, max_value=2 * 10**9, required=False)
    reads = serializers.IntegerField(min_value=0, max_value=2 * 10**9, required=False)
    live_viewers = serializers.IntegerField(min_value=0, max_value=2 * 10**9, required=False)
    outcome = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    partners = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=50,
    )
    tasks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=50,
    )

    def validate_title(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("请填写活动名称。"))
        return value.strip()

    def validate_campaign(self, value):
        if not value:
            return None
        campaign = (
            Campaign.objects.visible_to(self.context["request"].user).filter(slug=value).first()
        )
        if campaign is None:
            raise serializers.ValidationError(
                _("没有标识为 %(slug)s 的宣传活动。") % {"slug": value}
            )
        return campaign

    def validate_unit(self, unit: Unit):
        if not can_record_for_unit(self.context["request"].user, unit):
            raise serializers.ValidationError(_("您不能为该单位登记活动。"))
        return unit

    def validate_partners(self, value):
        usable = Partner.objects.usable_by(self.context["request"].user).filter(pk__in=value)
        found = {p.pk: p for p in usable}
        missing = [pk for pk in value if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("所选的参与伙伴不在可选范围内：%(ids)s。") % {"ids": ", ".join(map(str, missing))}
            )
        return list(found.values())

    def validate_tasks(self, value):
        found = {t.pk: t for t in Task.objects.filter(pk__in=value)}
        missing = [pk for pk in value if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("没有这些任务：%(ids)s。") % {"ids": ", ".join(map(str, missing))}
            )
        return list(found.values())


class ActivityFilters(serializers.Serializer):
    unit = UnitCodeField(required=False, help_text="该单位及其下级单位的活动（单位代码）。")
    campaign = serializers.SlugField(required=False, help_text="宣传活动标识。")
    status = serializers.ChoiceField(choices=Activity.Status.choices, required=False)
    kind = serializers.ChoiceField(choices=Activity.Kind.choices, required=False)
    since = serializers.DateField(required=False, help_text="活动日期不早于（YYYY-MM-DD）。")
    until = serializers.DateField(required=False, help_text="活动日期不晚于（YYYY-MM-DD）。")


def _activities(user):
    return (
        Activity.objects.visible_to(user)
        .select_related("unit", "campaign")
        .prefetch_related("partners", "tasks")
        .order_by("-starts_at", "-id")
    )


def _filter_dated(queryset, filters, field):
    if "unit" in filters:
        queryset = queryset.filter(unit__path__startswith=filters["unit"].path)
    if "since" in filters:
        queryset = queryset.filter(**{f"{field}__gte": filters["since"]})
    if "until" in filters:
        queryset = queryset.filter(**{f"{field}__lte": filters["until"]})
    return queryset


@with_filters(ActivityFilters)
class ActivityList(ListView):
    serializer_class = ActivitySerializer
    filters_class = ActivityFilters

    def get_queryset(self):
        return _activities(self.request.user)

    def filter_list(self, queryset, filters):
        queryset = _filter_dated(queryset, filters, "starts_at__date")
        for name in ("status", "kind"):
            if name in filters:
                queryset = queryset.filter(**{name: filters[name]})
        if "campaign" in filters:
            queryset = queryset.filter(campaign__slug=filters["campaign"])
        return queryset

    @extend_schema(request=ActivityCreateSerializer, responses={201: ActivitySerializer})
    def post(self, request):
        """Record an activity as a draft (登记活动), as the console's form does."""
        form = ActivityCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        unit = data.pop("unit")
        activity = services.activity_create(actor=request.user, unit=unit, **data)
        activity = _activities(request.user).get(pk=activity.pk)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityDetail(DetailView):
    serializer_class = ActivitySerializer
    lookup_url_kwarg = "activity_id"

    def get_queryset(self):
        return _activities(self.request.user)


class ActivitySubmit(ApiView):
    """Submit a draft (or a returned activity) for review: the unit's own staff only."""

    serializer_class = ActivitySerializer
    lookup_url_kwarg = "activity_id"

    def get_queryset(self):
        return _activities(self.request.user)

    @extend_schema(request=None, responses={200: ActivitySerializer})
    def post(self, request, activity_id: int):
        activity = self.get_object()
        require(is_unit_member(request.user, activity.unit))
        services.activity_submit(actor=request.user, activity=activity)
        return Response(ActivitySerializer(_activities(request.user).get(pk=activity.pk)).data)


# --- coverage, 投稿, live streams ------------------------------------------------------------


class RecordFilters(serializers.Serializer):
    unit = UnitCodeField(required=False, help_text="该单位及其下级单位的记录（单位代码）。")
    since = serializers.DateField(required=False, help_text="日期不早于（YYYY-MM-DD）。")
    until = serializers.DateField(required=False, help_text="日期不晚于（YYYY-MM-DD）。")


def _record_view(model, fields, date_field, doc):
    class Meta:
        pass

    Meta.model = model
    Meta.fields = ["id", "unit", "activity", *fields]
    serializer = type(
        f"{model.__name__}Serializer",
        (serializers.ModelSerializer,),
        {
            "unit": serializers.SlugRelatedField(slug_field="code", read_only=True),
            "activity": serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True),
            "Meta": Meta,
        },
    )

    class RecordList(ListView):
        serializer_class = serializer
        filters_class = RecordFilters

        def get_queryset(self):
            return (
                model.objects.visible_to(self.request.user)
                .select_related("unit")
                .order_by(f"-{date_field}", "-id")
            )

        def filter_list(self, queryset, filters):
            key = f"{date_field}__date" if date_field == "starts_at" else date_field
            return _filter_dated(queryset, filters, key)

    RecordList.__doc__ = doc
    RecordList.__name__ = RecordList.__qualname__ = f"{model.__name__}List"
    return with_filters(RecordFilters)(RecordList)


CoverageList = _record_view(
    MediaCoverage,
    ["outlet", "type", "title", "url", "published_on", "reach"],
    "published_on",
    "Media coverage (媒体报道) of the units the user sees.",
)
SubmissionList = _record_view(
    Submission,
    ["outlet", "title", "submitted_on", "status", "url"],
    "submitted_on",
    "Pieces submitted to outlets (投稿) by the units the user sees.",
)
LiveStreamList = _record_view(
    LiveStream,
    ["platform", "title", "starts_at", "peak_viewers", "replay_url"],
    "starts_at",
    "Live streams (直播) of the units the user sees.",
)
