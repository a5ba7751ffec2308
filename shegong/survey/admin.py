from django.contrib import admin

from .models import Answer, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["slug", "campaign", "opens_on", "closes_on"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["answered_at", "survey", "district", "age_group", "knows_social_work"]
    list_filter = ["survey", "knows_social_work", "age_group"]
    raw_id_fields = ["area", "district"]
    exclude = ["ip_hash"]
