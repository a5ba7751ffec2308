from django import forms

from shegong.core.forms import Form


class TokenCreateForm(Form):
    name = forms.CharField(
        label="令牌名称",
        max_length=60,
        help_text="写明用在哪里，如“区局台账表格”，以便日后辨认和吊销。",
        error_messages={"required": "请填写令牌名称，如“区局台账表格”。"},
    )
    expires_on = forms.DateField(
        label="有效期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空则长期有效，直到吊销。",
        error_messages={"invalid": "请按“年-月-日”填写有效期，如 2027-06-30。"},
    )


class TokenRevokeForm(Form):
    token = forms.IntegerField(
        label="令牌",
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": "请选择要吊销的令牌。", "invalid": "请选择要吊销的令牌。"},
    )
