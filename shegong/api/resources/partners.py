"""Partners (五社联动: social organisations, volunteers, charities …) in the registries of the
units the user sees."""

from rest_framework import serializers

from shegong.orgs.models import Partner

from ..base import ListView, UnitCodeField, with_filters


class PartnerSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Partner
        fields = ["id", "unit", "name", "kind", "contact_person", "contact_phone", "is_active"]


class PartnerFilters(serializers.Serializer):
    unit = UnitCodeField(required=False, help_text="该单位及其下级单位的伙伴（单位代码）。")
    kind = serializers.ChoiceField(choices=Partner.Kind.choices, required=False)


@with_filters(PartnerFilters)
class PartnerList(ListView):
    serializer_class = PartnerSerializer
    filters_class = PartnerFilters

    def get_queryset(self):
        return (
            Partner.objects.visible_to(self.request.user)
            .select_related("unit")
            .order_by("unit__path", "name")
        )

    def filter_list(self, queryset, filters):
        if "unit" in filters:
            queryset = queryset.filter(unit__path__startswith=filters["unit"].path)
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        return queryset
