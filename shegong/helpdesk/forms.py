from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import CitizenForm, Form, MultilineField, PhoneLast4Field
from shegong.core.validators import normalise_phone, validate_phone
from shegong.orgs.models import Unit

from .models import HelpRequest


def area_choices(units) -> list:
    """One <optgroup> per district, so district → town/street works without JavaScript."""
    groups: dict[int, tuple[str, list]] = {}
    stations = []
    for unit in units:
        if unit.level == Unit.Level.DISTRICT:
            groups[unit.pk] = (
                unit.area_label,
                [
                    (
                        unit.code,
                        _("%(district)s（不清楚街道，由区里分派）") % {"district": unit.area_label},
                    )
                ],
            )
        else:
            stations.append(unit)
    for unit in stations:
        if unit.parent_id in groups:
            groups[unit.parent_id][1].append((unit.code, unit.area_label))
    return [("", _("请选择所在区和乡镇（街道）")), *groups.values()]


class HelpForm(CitizenForm):
    for_whom = forms.ChoiceField(
        label=_("为谁求助"),
        choices=HelpRequest.ForWhom.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择为谁求助。"),
            "invalid_choice": _("请选择为谁求助。"),
        },
    )
    category = forms.ChoiceField(
        label=_("需要帮助的是"),
        choices=HelpRequest.Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择求助类别。"),
            "invalid_choice": _("请选择求助类别。"),
        },
    )
    description = MultilineField(
        label=_("遇到了什么困难"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("简单说说情况，例如：独居老人腿脚不便，需要有人上门探访。"),
        error_messages={
            "required": _("请简单说说遇到了什么困难。"),
            "max_length": _("情况说明不能超过 2000 个字。"),
        },
    )
    area = forms.ChoiceField(
        label=_("所在区和乡镇（街道）"),
        error_messages={
            "required": _("请选择所在的区和乡镇（街道）。"),
            "invalid_choice": _("请从列表中选择所在的区和乡镇（街道）。"),
        },
    )
    contact_name = forms.CharField(
        label=_("联系人称呼"),
        max_length=50,
        help_text=_("例如：王阿姨、李先生。"),
        error_messages={
            "required": _("请填写怎么称呼您。"),
            "max_length": _("称呼不能超过 50 个字。"),
        },
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={
            "required": _("请填写联系电话，社工会打这个电话联系您。"),
            "max_length": _("电话号码太长了，请检查。"),
        },
    )
    preferred_time = forms.ChoiceField(
        label=_("方便接电话的时间"),
        choices=HelpRequest.PreferredTime.choices,
        initial=HelpRequest.PreferredTime.ANY,
        error_messages={"invalid_choice": _("请选择方便接电话的时间。")},
    )
    consent = forms.BooleanField(
        label=_("我已阅读上面的隐私说明，同意社工使用这些信息联系我"),
        error_messages={"required": _("请勾选同意隐私说明，否则社工无法联系您。")},
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(label=_("网址（请不要填写）"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        self.fields["area"].choices = area_choices(units)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_area(self):
        return self.units[self.cleaned_data["area"]]

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        validate_phone(value)
        return normalise_phone(value)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class TrackForm(CitizenForm):
    code = forms.CharField(
        label=_("查询码"),
        max_length=12,
        help_text=_("提交求助后看到的 8 位查询码，如 AC7K-M3PX。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={
            "required": _("请填写查询码。"),
            "max_length": _("查询码是 8 位字母和数字，如 AC7K-M3PX。"),
        },
    )
    last4 = PhoneLast4Field()


class RateForm(TrackForm):
    rating = forms.TypedChoiceField(
        label=_("您对这次服务满意吗"),
        coerce=int,
        choices=[
            (5, _("非常满意")),
            (4, _("满意")),
            (3, _("一般")),
            (2, _("不满意")),
            (1, _("非常不满意")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择满意程度。"),
            "invalid_choice": _("请选择满意程度。"),
        },
    )
    comment = MultilineField(
        label=_("意见和建议（可不填）"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("意见不能超过 300 个字。"),
        },
    )


class ActionForm(Form):
    """One action on a request, with only that action's fields: the detail page shows one such
    form per action the request's state allows (``models.ACTIONS_FROM``), each opened by its own
    button, so 办结结果 never sits beside 不予受理原因."""

    ACTIONS = [
        ("accept", "受理"),
        ("start", "开始处理"),
        ("close", "办结"),
        ("reject", "不予受理"),
        ("refer", "转介"),
        ("note", "添加记录"),
    ]
    # The fields each action uses, and which of them it cannot do without.
    FIELDS = {
        "accept": (("note", True), ("public", False)),
        "start": (("note", True), ("public", False)),
        "close": (("outcome", True), ("note", False), ("public", False)),
        "reject": (("reason", True), ("note", True), ("public", False)),
        "refer": (("unit", False), ("partner", False), ("note", True), ("public", False)),
        "note": (("note", True), ("public", False)),
    }
    action = forms.ChoiceField(
        label="操作",
        choices=ACTIONS,
        error_messages={"required": "请选择操作。", "invalid_choice": "请选择操作。"},
    )
    note = MultilineField(
        label="处理说明",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "处理说明不能超过 2000 个字。"},
    )
    public = forms.BooleanField(label="求助人查询时可见", required=False)
    outcome = MultilineField(
        label="办结结果",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "办结结果不能超过 2000 个字。"},
    )
    reason = forms.ChoiceField(
        label="不予受理原因",
        choices=[("", "—"), *HelpRequest.RejectReason.choices],
        required=False,
        error_messages={"invalid_choice": "请选择不予受理的原因。"},
    )
    unit = forms.ModelChoiceField(
        label="转介给单位",
        queryset=Unit.objects.filter(level__in=[Unit.Level.DISTRICT, Unit.Level.STATION]),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "请从列表中选择单位。"},
    )
    partner = forms.CharField(
        label="或转介给合作机构",
        max_length=100,
        required=False,
        error_messages={"max_length": "合作机构名称不能超过 100 个字。"},
    )

    def __init__(self, *args, action: str | None = None, **kwargs):
        data = args[0] if args else kwargs.get("data")
        if action is None and data is not None:
            action = data.get("action")
        kwargs.setdefault("auto_id", f"{action}-%s" if action in self.FIELDS else "id_%s")
        super().__init__(*args, **kwargs)
        self.action = action if action in self.FIELDS else None
        keep = dict(self.FIELDS.get(self.action, ()))
        for name in list(self.fields):
            if name != "action" and name not in keep:
                del self.fields[name]
        for name, required in keep.items():
            self.fields[name].required = required
        if self.action is not None:
            # Chosen by the button that opened this form, not by a drop-down.
            self.fields["action"].widget = forms.HiddenInput()
            self.fields["action"].initial = self.action
        if self.action == "note":
            self.fields["note"].label = "记录内容"
