from django.contrib import admin

from shegong.core.admin import ReadOnlyAdmin

from .models import Answer, Survey
from .services import survey_create


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """A survey may be started here, through ``survey_create`` (validated, audited); it is not
    changed or deleted here once citizens may be answering it."""

    list_display = ["slug", "campaign", "opens_on", "closes_on"]
    fields = ["campaign", "slug", "opens_on", "closes_on"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        survey = survey_create(
            actor=request.user,
            campaign=form.cleaned_data["campaign"],
            slug=form.cleaned_data["slug"],
            opens_on=form.cleaned_data["opens_on"],
            closes_on=form.cleaned_data["closes_on"],
        )
        obj.pk = survey.pk
        obj._state.adding = False


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    """Citizens' answers: read, never written or removed by hand (the KPIs count them)."""

    list_display = ["answered_at", "survey", "district", "age_group", "knows_social_work"]
    list_filter = ["survey", "knows_social_work", "age_group"]
    raw_id_fields = ["area", "district"]
    exclude = ["ip_hash"]
