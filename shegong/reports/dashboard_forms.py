from django import forms

from shegong.activities.models import Audience, Focus
from shegong.core.forms import Form
from shegong.survey.models import Answer

SEGMENT_CHOICES = [
    ("", "全部"),
    ("受众", [(f"audience:{code}", label) for code, label in Audience.choices]),
    ("宣传重点", [(f"focus:{code}", label) for code, label in Focus.choices]),
]


class DashboardFilterForm(Form):
    """The dashboard's filters: a unit of the user's jurisdiction and a period."""

    # A select of the districts (the city) or the stations (a district); any unit of the
    # jurisdiction is accepted, so the table's rows can link to their own dashboards.
    unit = forms.CharField(label="单位", required=False, max_length=20, widget=forms.Select)
    date_from = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    # 人群: the activities' audience or focus (活动对象), and the survey's age group.
    segment = forms.ChoiceField(
        label="活动人群",
        required=False,
        choices=SEGMENT_CHOICES,
        help_text="只作用于活动和参与人次",
    )
    age_group = forms.ChoiceField(
        label="答卷年龄段",
        required=False,
        choices=[("", "全部"), *Answer.AgeGroup.choices],
        help_text="只作用于知晓度",
    )

    def __init__(self, *args, units=(), lookup=None, everything_label="全部", **kwargs):
        """``units``: those the select lists (``dashboard.dashboard_units``); ``lookup``: a
        code's unit of the user's jurisdiction, or ``None`` (any such unit is accepted, so the
        table's rows can link to their own dashboards)."""
        super().__init__(*args, **kwargs)
        self.lookup = lookup or (lambda code: None)
        self.units = {unit.code: unit for unit in units}
        chosen = self.data.get("unit", "") if self.data else ""
        listed = list(units)
        if chosen and chosen not in self.units and len(chosen) <= 20:
            found = self.lookup(chosen)
            if found is not None:
                self.units[chosen] = found
                listed.append(found)
        top = min((unit.path.count("/") for unit in listed), default=0)
        self.fields["unit"].widget.choices = [("", everything_label)] + [
            (unit.code, f"{'　' * (unit.path.count('/') - top)}{unit.name}") for unit in listed
        ]

    def clean_unit(self):
        code = self.cleaned_data["unit"]
        if not code:
            return None
        if code not in self.units:
            raise forms.ValidationError("所选的单位不在可选范围内，请重新选择。")
        return self.units[code]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data
