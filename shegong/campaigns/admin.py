from django.contrib import admin

from .models import Campaign, KpiTarget, Task, TaskProgress


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["order", "level", "title", "deliverables", "due_on", "paragraph", "numbered"]


class KpiTargetInline(admin.TabularInline):
    model = KpiTarget
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """For superusers. Day-to-day editing goes through the console, whose forms validate the
    document number and dates and whose services write the audit log."""

    list_display = ["name", "document_number", "starts_on", "ends_on", "disclosure"]
    search_fields = ["name", "document_number", "slug"]
    inlines = [TaskInline, KpiTargetInline]


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):
    """Read-only: units report their own progress in the console (audited)."""

    list_display = ["task", "unit", "status", "done_on", "updated_at"]
    list_filter = ["status", "task__campaign", "task__level"]
    search_fields = ["unit__name", "unit__code", "task__title"]
    list_select_related = ["task", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
