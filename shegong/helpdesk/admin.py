from django.contrib import admin

from .models import CampaignSetting
from .services import campaign_setting_save


@admin.register(CampaignSetting)
class CampaignSettingAdmin(admin.ModelAdmin):
    """Per-campaign deadline and retention, saved through ``campaign_setting_save`` (audited).
    Requests themselves are not in the admin: every view of a citizen's details goes through
    the console, where it is logged."""

    list_display = ["campaign", "first_response_working_days", "retention_days"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = campaign_setting_save(
            actor=request.user,
            campaign=form.cleaned_data["campaign"],
            first_response_working_days=form.cleaned_data["first_response_working_days"],
            retention_days=form.cleaned_data["retention_days"],
        )
        obj.pk = saved.pk
        obj._state.adding = False
