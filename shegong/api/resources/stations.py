"""Station listings (社工站名录) and QR short links with their scan counts, for the units the
user sees."""

from django.db.models import Sum
from rest_framework import serializers

from shegong.directory.models import QrLink, Service, StaffMember, StationListing

from ..base import DetailView, ListView, UnitCodeField, with_filters


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["name", "category", "target_group", "description", "eligibility", "fee"]


class StaffSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffMember
        fields = ["name", "role", "qualification"]


class ListingSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = StationListing
        fields = [
            "slug",
            "unit",
            "name",
            "summary",
            "address",
            "latitude",
            "longitude",
            "hours",
            "phone",
            "last_verified_on",
            "version",
        ]


class ListingDetailSerializer(ListingSerializer):
    services = ServiceSerializer(many=True, read_only=True)
    staff = StaffSerializer(many=True, read_only=True)

    class Meta(ListingSerializer.Meta):
        fields = [*ListingSerializer.Meta.fields, "process_steps", "services", "staff"]


class ListingFilters(serializers.Serializer):
    unit = UnitCodeField(required=False, help_text="该单位下的社工站（单位代码）。")


def _listings(user):
    return StationListing.objects.visible_to(user).select_related("unit").order_by("unit__path")


@with_filters(ListingFilters)
class StationList(ListView):
    serializer_class = ListingSerializer
    filters_class = ListingFilters

    def get_queryset(self):
        return _listings(self.request.user)

    def filter_list(self, queryset, filters):
        if "unit" in filters:
            queryset = queryset.filter(unit__path__startswith=filters["unit"].path)
        return queryset


class StationDetail(DetailView):
    serializer_class = ListingDetailSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "listing_slug"

    def get_queryset(self):
        return _listings(self.request.user).prefetch_related("services", "staff")


class QrLinkSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    scans = serializers.IntegerField(read_only=True, help_text="累计扫码次数（已写入数据库的）。")

    class Meta:
        model = QrLink
        fields = ["code", "unit", "channel", "target", "path", "scans", "created_at"]


@with_filters(ListingFilters)
class QrLinkList(ListView):
    serializer_class = QrLinkSerializer
    filters_class = ListingFilters

    def get_queryset(self):
        return (
            QrLink.objects.visible_to(self.request.user)
            .select_related("unit")
            .annotate(scans=Sum("scan_days__count", default=0))
            .order_by("-id")
        )

    def filter_list(self, queryset, filters):
        if "unit" in filters:
            queryset = queryset.filter(unit__path__startswith=filters["unit"].path)
        return queryset
