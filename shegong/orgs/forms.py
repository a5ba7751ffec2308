from django import forms

from shegong.core.forms import Form
from shegong.core.validators import normalise_phone, validate_phone

from .models import Partner


def _required(label: str) -> dict:
    return {"required": f"请填写{label}。", "invalid": f"{label}格式不正确。"}


class UnitContactForm(Form):
    contact_person = forms.CharField(
        label="联系人",
        max_length=50,
        error_messages={
            "required": "请填写联系人姓名。",
            "max_length": "联系人姓名不能超过 50 个字。",
        },
    )
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=30,
        error_messages={
            "required": "请填写联系电话。",
            "max_length": "联系电话不能超过 30 个字符。",
        },
    )

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"]
        validate_phone(value)
        return normalise_phone(value)


class PartnerForm(Form):
    name = forms.CharField(label="名称", max_length=120, error_messages=_required("名称"))
    kind = forms.ChoiceField(label="类型", choices=Partner.Kind.choices)
    contact_person = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(
        label="合作中",
        required=False,
        initial=True,
        help_text="不再合作时取消勾选：伙伴不再出现在登记活动和案例的选择中，已有记录照常保留。",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]  # a partner being added is a partner

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"]
        if not value:
            return ""
        validate_phone(value)
        return normalise_phone(value)
