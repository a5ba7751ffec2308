"""Forms of the summary pages. Console forms: messages name their field (core.forms)."""

from django import forms

from shegong.campaigns.services import document_number_error
from shegong.core.forms import Form, ModelForm

from .models import Summary


class SummaryForm(ModelForm):
    class Meta:
        model = Summary
        fields = [
            "document_number",
            "signer",
            "contact_person",
            "contact_phone",
            "work",
            "methods",
            "highlights",
            "problems",
            "plans",
        ]
        widgets = {
            key: forms.Textarea(attrs={"rows": 8, "maxlength": 20000})
            for key in ("work", "methods", "highlights", "problems", "plans")
        }
        help_texts = {"document_number": "如 秀民报〔2023〕5号；留空时文件中留出空位待填。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in ("work", "methods", "highlights", "problems", "plans"):
            self.fields[key].max_length = 20000
            self.fields[key].required = False

    def clean_document_number(self):
        value = self.cleaned_data["document_number"].strip()
        error = document_number_error(value)
        if error:
            raise forms.ValidationError(error)
        return value


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label="审核结果",
        choices=[("accept", "采用"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必须写明需要修改的地方。",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "退回时请写明修改意见。")
        return data


class PhotoForm(Form):
    photo = forms.FileField(label="照片", help_text="JPEG 或 PNG，不超过 20 MB。")
    name = forms.CharField(label="照片说明", required=False, max_length=200)


class PlanForm(Form):
    stations_report = forms.BooleanField(label="社工站向区局报送总结", required=False)
    stations_days_before = forms.IntegerField(
        label="社工站提前天数",
        min_value=0,
        max_value=30,
        initial=3,
        help_text="社工站的截止日期比区级总结截止日期早几天。",
    )
    city_report_to = forms.CharField(
        label="市级报告主送机关", max_length=100, help_text="如 海南省民政厅。"
    )
