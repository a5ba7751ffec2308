"""Read-only admin for superusers: every write goes through ``activities.services`` (budget
flags recomputed, workflow kept, audited), which the admin would bypass; the console is where
activities, caps (``budgetcap_set``), media, coverage, 投稿 and cases are changed."""

from django.contrib import admin

from shegong.core.admin import ReadOnlyAdmin

from .models import Activity, ActivityMedia, BudgetCap, Case, MediaCoverage, Submission


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "kind", "starts_at", "status", "over_plan", "over_cap"]
    list_filter = ["status", "kind", "over_plan", "over_cap", "is_demo"]
    search_fields = ["title", "place", "unit__name", "unit__code"]
    list_select_related = ["unit"]


@admin.register(ActivityMedia)
class ActivityMediaAdmin(ReadOnlyAdmin):
    list_display = ["activity", "kind", "shows_minors", "consent_recorded_at", "created_at"]
    list_filter = ["kind", "shows_minors", "is_demo"]


@admin.register(BudgetCap)
class BudgetCapAdmin(ReadOnlyAdmin):
    list_display = ["unit", "campaign", "amount"]
    list_select_related = ["unit", "campaign"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit"]


@admin.register(MediaCoverage)
class MediaCoverageAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit"]
