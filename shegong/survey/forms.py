from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import CitizenForm
from shegong.helpdesk.forms import area_choices

from .models import Answer


class SurveyForm(CitizenForm):
    """The questionnaire, with the help form's district → town/street choice and honeypot."""

    knows_social_work = forms.ChoiceField(
        label=_("您知道社会工作者（社工）是做什么的吗？"),
        choices=Answer.Knows.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请回答您是否知道社工是做什么的。"),
            "invalid_choice": _("请回答您是否知道社工是做什么的。"),
        },
    )
    knows_station = forms.ChoiceField(
        label=_("您知道离您最近的社工站在哪里吗？"),
        choices=Answer.YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请回答您是否知道社工站在哪里。"),
            "invalid_choice": _("请回答您是否知道社工站在哪里。"),
        },
    )
    used_service = forms.ChoiceField(
        label=_("您或家人用过社工的服务吗？"),
        choices=Answer.YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请回答您或家人是否用过社工的服务。"),
            "invalid_choice": _("请回答您或家人是否用过社工的服务。"),
        },
    )
    heard_from = forms.MultipleChoiceField(
        label=_("您是从哪里了解到社工的？（可多选，没听说过可不选）"),
        choices=list(Answer.SOURCES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("请从列表中选择您是从哪里了解到社工的。"),
            "invalid_list": _("请从列表中选择您是从哪里了解到社工的。"),
        },
    )
    area = forms.ChoiceField(
        label=_("您住在哪个区、哪个乡镇（街道）？"),
        error_messages={
            "required": _("请选择您所在的区和乡镇（街道）。"),
            "invalid_choice": _("请从列表中选择您所在的区和乡镇（街道）。"),
        },
    )
    age_group = forms.ChoiceField(
        label=_("您的年龄段"),
        choices=Answer.AgeGroup.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择您的年龄段。"),
            "invalid_choice": _("请选择您的年龄段。"),
        },
    )
    # Honeypot: hidden from people by CSS, filled in by bots (as on the help form).
    website = forms.CharField(label=_("网址（请不要填写）"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        self.fields["area"].choices = area_choices(units)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_area(self):
        return self.units[self.cleaned_data["area"]]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
