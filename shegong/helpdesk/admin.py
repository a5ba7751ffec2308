from django.contrib import admin

from .models import CampaignSetting


@admin.register(CampaignSetting)
class CampaignSettingAdmin(admin.ModelAdmin):
    """Per-campaign deadline and retention. Requests themselves are not in the admin: every
    view of a citizen's details goes through the console, where it is logged."""

    list_display = ["campaign", "first_response_working_days", "retention_days"]
