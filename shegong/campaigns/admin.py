from django import forms
from django.contrib import admin

from shegong.core.admin import ReadOnlyAdmin

from .models import Campaign, KpiTarget, Task, TaskProgress
from .services import CAMPAIGN_FIELDS, campaign_create, campaign_errors


class CampaignAdminForm(forms.ModelForm):
    """The service's cross-field checks shown on the form, not as an error page."""

    def clean(self):
        data = super().clean()
        errors = campaign_errors({name: data.get(name) for name in CAMPAIGN_FIELDS})
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        return data


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["order", "level", "title", "deliverables", "due_on", "paragraph", "numbered"]


class KpiTargetInline(admin.TabularInline):
    model = KpiTarget
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """For superusers: a new campaign may be started here (through ``campaign_create``, which
    validates and audits); everything after that (its plan, tasks, KPIs, dates) is edited in
    the console, whose services validate and write the audit log. Campaigns are never deleted
    here: their records and documents hang on them."""

    form = CampaignAdminForm
    list_display = ["name", "document_number", "starts_on", "ends_on", "disclosure"]
    search_fields = ["name", "document_number", "slug"]

    def get_inlines(self, request, obj):
        return [TaskInline, KpiTargetInline] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        campaign_create(actor=request.user, campaign=obj)


@admin.register(TaskProgress)
class TaskProgressAdmin(ReadOnlyAdmin):
    """Read-only: units report their own progress in the console (audited)."""

    list_display = ["task", "unit", "status", "done_on", "updated_at"]
    list_filter = ["status", "task__campaign", "task__level"]
    search_fields = ["unit__name", "unit__code", "task__title"]
    list_select_related = ["task", "unit"]
