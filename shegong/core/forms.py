"""Form plumbing: every refusal names the entry it is about.

Django's own messages are generic ("这个字段是必填项。", "选择一个有效的选项…") and one of its
Chinese translations is wrong ("不允许是用空字符串。" for a NUL byte). Console forms derive from
``Form`` or ``ModelForm`` below, whose fields get messages built from their labels wherever the
form did not write its own.
"""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _


def _messages_for(field: forms.Field, label: str) -> dict[str, str]:
    if isinstance(field, forms.FileField):
        return {
            "required": f"请选择要上传的{label}。",
            "invalid": f"没有收到{label}，请重新选择后上传。",
            "missing": f"没有收到{label}，请重新选择后上传。",
            "empty": f"上传的{label}是空文件，请重新选择。",
            "max_length": "文件名太长（%(length)d 个字符），请改短到 %(max)d 个字符以内再上传。",
            "contradiction": f"请上传新的{label}或勾选清除，不能同时进行。",
            "invalid_image": f"{label}须是 JPEG 或 PNG 图片，所选文件不是图片或已损坏。",
        }
    if isinstance(field, forms.DateTimeField):
        invalid = f"{label}格式不正确，请按“2023-03-21 09:30”的形式填写。"
    elif isinstance(field, forms.DateField):
        invalid = f"{label}格式不正确，请按 2023-03-21 的形式填写日期。"
    elif isinstance(field, forms.IntegerField):
        invalid = f"{label}请填写整数。"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        invalid = f"{label}请填写数字。"
    elif isinstance(field, forms.URLField):
        invalid = f"{label}请填写完整的网址（http 开头）。"
    else:
        invalid = f"{label}格式不正确，请检查。"
    choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    return {
        "required": f"请选择{label}。" if choose else f"请填写{label}。",
        "invalid": invalid,
        "invalid_choice": f"所选的{label}不在可选范围内（可能已停用或已删除），请重新选择。",
        "invalid_list": f"请从列表中选择{label}。",
        "invalid_pk_value": f"所选的{label}不在可选范围内，请重新选择。",
        "max_length": f"{label}不能超过 %(limit_value)d 个字（现有 %(show_value)d 个）。",
        "min_length": f"{label}至少要有 %(limit_value)d 个字（现有 %(show_value)d 个）。",
        "min_value": f"{label}不能小于 %(limit_value)s。",
        "max_value": f"{label}不能大于 %(limit_value)s，请检查。",
        "max_digits": f"{label}数字位数过多，请检查。",
        "max_whole_digits": f"{label}数字过大，请检查。",
        "max_decimal_places": f"{label}最多保留 %(max)s 位小数。",
        "step_size": f"{label}须是 %(limit_value)s 的整数倍。",
        "null_characters_not_allowed": (
            f"{label}中有无法保存的控制字符（多为从其他文件粘贴带入），请删除后重新填写。"
        ),
    }


def specific_error_messages(field: forms.Field) -> None:
    """Give ``field`` messages that name it, keeping any the form set itself."""
    # Messages with parameters are %-formatted, those without are not: a full-width "％" reads
    # the same in a label and needs no escaping either way.
    label = str(field.label or "此项").replace("%", "％")
    defaults: dict = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    for code, message in _messages_for(field, label).items():
        if code in defaults:
            # A message of the field's class: replace it unless the form chose another.
            if field.error_messages.get(code) is defaults[code]:
                field.error_messages[code] = message
        else:
            # A validator's code (max_length, min_value …): its message is used only when
            # the field names one.
            field.error_messages.setdefault(code, message)


class SpecificErrorsMixin:
    def full_clean(self):
        # Here rather than in __init__, so fields a form adds in its own __init__ are covered.
        for field in self.fields.values():
            specific_error_messages(field)
        super().full_clean()


class Form(SpecificErrorsMixin, forms.Form):
    """A console form whose refusals name the entry (see the module docstring)."""


class ModelForm(SpecificErrorsMixin, forms.ModelForm):
    """A console model form whose refusals name the entry (see the module docstring)."""


# --- public forms (citizens, no account; translated) ----------------------------------------

# A NUL byte cannot be typed: it arrives pasted from another program or sent by a script.
UNREADABLE = _("这里有无法识别的字符（多为从别处复制带入），请删除后重新填写。")
LAST4_MESSAGE = _("请填写联系电话的后四位数字。")


class CitizenForm(forms.Form):
    """A public form: a NUL byte in any field gets ``UNREADABLE`` (translated), unless the field
    words it otherwise, instead of Django's message (wrong in its Chinese catalog).

    Refusals follow the GOV.UK pattern (``public/_error_summary.html``): ``error_summary`` lists
    each problem with the id of the control it is about; each field in error is marked
    ``aria-invalid`` and described by its message (``<id>_error``) and its help (``<id>_help``),
    ids the public field templates render. Name and phone fields say what they hold
    (``autocomplete``) so a phone can fill them in.
    """

    AUTOCOMPLETE = {"contact_name": "name", "author_name": "name", "phone": "tel"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages.setdefault("null_characters_not_allowed", UNREADABLE)
            if name in self.AUTOCOMPLETE:
                field.widget.attrs.setdefault("autocomplete", self.AUTOCOMPLETE[name])
            if field.help_text and not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-describedby", f"{self[name].auto_id}_help")

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            if field.widget.is_hidden or name not in self.errors:
                continue
            described = [f"{self[name].auto_id}_error"]
            if field.help_text and field.widget.attrs.get("aria-describedby"):
                described.insert(0, f"{self[name].auto_id}_help")
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = " ".join(described)

    def error_summary(self) -> list[tuple[str, str]]:
        """``(control id, message)`` for every refusal, in the order of the form; the id is
        empty for a refusal of the whole form."""
        items = [("", str(error)) for error in self.non_field_errors()]
        for name, field in self.fields.items():
            if field.widget.is_hidden or name not in self.errors:
                continue
            bound = self[name]
            # Radios and checkbox lists have no control of their own: point at the first one.
            target = bound.id_for_label
            if not target and bound.subwidgets:
                target = bound.subwidgets[0].id_for_label
            items += [(target, str(error)) for error in bound.errors]
        return items


class MultilineField(forms.CharField):
    """Text from a <textarea>: line breaks arrive as CR LF but count as one character, as the
    browser counted them against ``maxlength``."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class PhoneLast4Field(forms.CharField):
    """The last four digits of the phone a citizen gave, to follow what they sent: digits as
    phones type them (full-width from Chinese input methods, stray spaces) are accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("联系电话后四位"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        kwargs.setdefault(
            "error_messages",
            dict.fromkeys(
                ("required", "invalid", "max_length", "null_characters_not_allowed"),
                LAST4_MESSAGE,
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(unicodedata.normalize("NFKC", value).split()) if value else value

    def validate(self, value):
        super().validate(value)
        if value and not (len(value) == 4 and value.isascii() and value.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
