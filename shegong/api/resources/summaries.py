"""Campaign summaries (工作总结) of the units the user oversees, with their figures: frozen at
submission, computed live (as the console shows them) while a draft."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shegong.campaigns.models import Campaign
from shegong.core.access import get_visible_or_404
from shegong.orgs.models import Unit
from shegong.reports.models import Summary
from shegong.reports.summary_documents import figures_of, summary_for

from ..base import DetailView, ListView, UnitCodeField, with_filters


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()


class SummarySerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Summary
        fields = ["unit", "campaign", "status", "first_submitted_at", "submitted_at", "reviewed_at"]


class SummaryDetailSerializer(SummarySerializer):
    figures = serializers.SerializerMethodField()

    class Meta(SummarySerializer.Meta):
        fields = [
            *SummarySerializer.Meta.fields,
            "work",
            "methods",
            "highlights",
            "problems",
            "plans",
            "review_comment",
            "figures_frozen_at",
            "figures",
        ]

    @extend_schema_field(FigureSerializer(many=True))
    def get_figures(self, summary):
        return [
            {"key": f["key"], "label": f["label"], "value": int(f["value"] or 0)}
            for f in figures_of(summary)
        ]


class SummaryFilters(serializers.Serializer):
    unit = UnitCodeField(required=False, help_text="该单位及其下级单位的总结（单位代码）。")
    status = serializers.ChoiceField(choices=Summary.Status.choices, required=False)


def _summaries(view):
    campaign = get_visible_or_404(
        Campaign.objects.visible_to(view.request.user), slug=view.kwargs["campaign_slug"]
    )
    return (
        Summary.objects.visible_to(view.request.user)
        .filter(campaign=campaign)
        .select_related("unit", "campaign")
        .order_by("unit__path")
    )


@with_filters(SummaryFilters)
class SummaryList(ListView):
    serializer_class = SummarySerializer
    filters_class = SummaryFilters

    def get_queryset(self):
        return _summaries(self)

    def filter_list(self, queryset, filters):
        if "unit" in filters:
            queryset = queryset.filter(unit__path__startswith=filters["unit"].path)
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        return queryset


class SummaryDetail(DetailView):
    """A unit's summary as the console's summary page shows it: the saved one, or the draft
    the platform writes from the unit's figures while nobody has saved one yet."""

    serializer_class = SummaryDetailSerializer

    def get_object(self):
        user = self.request.user
        campaign = get_visible_or_404(
            Campaign.objects.visible_to(user), slug=self.kwargs["campaign_slug"]
        )
        unit = get_visible_or_404(Unit.objects.changeable_by(user), code=self.kwargs["unit_code"])
        return summary_for(campaign, unit)
