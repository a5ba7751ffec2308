from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.core.forms import Form, SpecificErrorsMixin


class LoginForm(SpecificErrorsMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意密码区分大小写。",
        "inactive": "该账号已停用，请联系市局管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请输入用户名。"
        self.fields["password"].error_messages["required"] = "请输入密码。"

    @property
    def locked_until(self):
        return getattr(self.request, "login_locked_until", None)

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if self.locked_until is None:
                raise
            minutes = max(1, round((self.locked_until - timezone.now()).total_seconds() / 60))
            until = timezone.localtime(self.locked_until).strftime("%H:%M")
            raise ValidationError(
                f"登录失败次数过多，该用户名或本网络地址已暂时锁定，请于 {until}（约 {minutes} "
                "分钟后）再试。忘记密码请联系上级单位管理员重置。",
                code="locked",
            ) from None


class PasswordChangeForm(SpecificErrorsMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": "原密码",
            "new_password1": "新密码",
            "new_password2": "确认新密码",
        }
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = f"请输入{label}。"


class TokenForm(Form):
    """A six-digit code from the authenticator app."""

    token = forms.CharField(
        label="验证码",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
        help_text="打开手机上的验证器应用，输入其当前显示的 6 位数字。",
        error_messages={
            "required": "请输入验证器应用显示的 6 位数字。",
            "max_length": "验证码是 6 位数字，您输入了 %(show_value)d 位。",
            "min_length": "验证码是 6 位数字，您输入了 %(show_value)d 位。",
        },
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isascii() or not token.isdigit():
            raise forms.ValidationError("验证码只含数字，请输入验证器应用显示的 6 位数字。")
        return token

    def refuse(self, result: str) -> None:
        """Put the service's answer on the form as the user's message."""
        if result == "throttled":
            self.add_error("token", "验证码错误次数过多，请稍等片刻再输入新的验证码。")
        else:
            self.add_error("token", "验证码不正确或已过期，请输入验证器应用中当前显示的数字。")
