"""Read-mostly admin for superusers; every change that matters goes through services.py."""

from django.contrib import admin

from .models import Activity, ActivityMedia, BudgetCap, Case, MediaCoverage, Submission


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "kind", "starts_at", "status", "over_plan", "over_cap"]
    list_filter = ["status", "kind", "over_plan", "over_cap", "is_demo"]
    search_fields = ["title", "place", "unit__name", "unit__code"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit", "campaign", "created_by", "partners"]
    readonly_fields = ["status", "review_comment", "over_plan", "over_cap"]


@admin.register(ActivityMedia)
class ActivityMediaAdmin(admin.ModelAdmin):
    list_display = ["activity", "kind", "shows_minors", "consent_recorded_at", "created_at"]
    list_filter = ["kind", "shows_minors", "is_demo"]
    raw_id_fields = ["activity"]
    readonly_fields = ["file", "thumbnail", "captured_at", "latitude", "longitude"]


@admin.register(BudgetCap)
class BudgetCapAdmin(admin.ModelAdmin):
    list_display = ["unit", "campaign", "amount"]
    raw_id_fields = ["unit"]


admin.site.register([Case, MediaCoverage, Submission])
