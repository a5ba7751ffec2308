from django import forms

from shegong.core.forms import Form
from shegong.core.validators import normalise_phone, validate_phone


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
