"""Campaigns (the city's plan every unit works on), their tasks, and each unit's progress."""

from rest_framework import serializers

from shegong.campaigns.models import Campaign, Task, TaskProgress
from shegong.core.access import get_visible_or_404

from ..base import DetailView, ListView, UnitCodeField, with_filters


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "level", "order", "title", "text", "deliverables", "due_on"]


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "slug",
            "name",
            "theme",
            "starts_on",
            "ends_on",
            "summary_deadline",
            "document_number",
        ]


class CampaignDetailSerializer(CampaignSerializer):
    tasks = TaskSerializer(many=True, read_only=True)

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "goals", "tasks"]


class CampaignList(ListView):
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).order_by("-starts_on", "-id")


class CampaignDetail(DetailView):
    serializer_class = CampaignDetailSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "campaign_slug"

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).prefetch_related("tasks")


class ProgressSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    task = TaskSerializer(read_only=True)

    class Meta:
        model = TaskProgress
        fields = ["id", "unit", "task", "status", "note", "evidence_links", "done_on", "updated_at"]


class ProgressFilters(serializers.Serializer):
    unit = UnitCodeField(required=False, help_text="该单位及其下级单位的进度（单位代码）。")
    status = serializers.ChoiceField(choices=TaskProgress.Status.choices, required=False)


@with_filters(ProgressFilters)
class ProgressList(ListView):
    """Per-unit progress on the campaign's tasks, for the units the user oversees."""

    serializer_class = ProgressSerializer
    filters_class = ProgressFilters

    def get_queryset(self):
        campaign = get_visible_or_404(
            Campaign.objects.visible_to(self.request.user), slug=self.kwargs["campaign_slug"]
        )
        return (
            TaskProgress.objects.visible_to(self.request.user)
            .filter(task__campaign=campaign)
            .select_related("unit", "task")
            .order_by("task__level", "task__order", "unit__path")
        )

    def filter_list(self, queryset, filters):
        if "unit" in filters:
            queryset = queryset.filter(unit__path__startswith=filters["unit"].path)
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        return queryset
