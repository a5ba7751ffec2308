from django import forms

from shegong.core.forms import Form


class DashboardFilterForm(Form):
    """The dashboard's filters: a unit of the user's jurisdiction and a period."""

    unit = forms.ChoiceField(label="单位", required=False)
    date_from = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units=(), everything_label="全部", **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        self.fields["unit"].choices = [("", everything_label)] + [
            (unit.code, f"{'　' if unit.level == 'station' else ''}{unit.name}") for unit in units
        ]

    def clean_unit(self):
        code = self.cleaned_data["unit"]
        return self.units.get(code) if code else None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data
