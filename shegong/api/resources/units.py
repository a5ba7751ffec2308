"""Units: the bureau's tree as the user sees it (their subtree and the units above them)."""

from rest_framework import serializers

from shegong.orgs.models import Unit

from ..base import DetailView, ListView, UnitCodeField, with_filters


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "level",
            "area_name",
            "area_name_en",
            "parent",
            "contact_person",
            "contact_phone",
        ]


class UnitFilters(serializers.Serializer):
    level = serializers.ChoiceField(choices=Unit.Level.choices, required=False)
    within = UnitCodeField(required=False, help_text="只列出该单位及其下级单位（单位代码）。")


def _units(request):
    return Unit.objects.visible_to(request.user).select_related("parent").order_by("path")


@with_filters(UnitFilters)
class UnitList(ListView):
    serializer_class = UnitSerializer
    filters_class = UnitFilters

    def get_queryset(self):
        return _units(self.request)

    def filter_list(self, queryset, filters):
        if "level" in filters:
            queryset = queryset.filter(level=filters["level"])
        if "within" in filters:
            queryset = queryset.filter(path__startswith=filters["within"].path)
        return queryset


class UnitDetail(DetailView):
    serializer_class = UnitSerializer
    lookup_field = "code"
    lookup_url_kwarg = "unit_code"

    def get_queryset(self):
        return _units(self.request)
