from django import forms
from django.core.validators import MaxValueValidator

from shegong.core.forms import Form, ModelForm
from shegong.core.validators import normalise_phone, validate_phone
from shegong.orgs.models import Unit

from .models import Campaign, KpiTarget, Task, TaskProgress
from .officedoc import printable
from .services import CAMPAIGN_FIELDS, campaign_errors

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REQUIRED = {
    "name": "请填写方案名称。",
    "theme": "请填写宣传主题。",
    "starts_on": "请填写开始日期。",
    "ends_on": "请填写结束日期。",
    "summary_deadline": "请填写总结报送截止日期。",
    "recipients": "请填写主送机关，如：各区民政局。",
}


class CampaignForm(ModelForm):
    """Everything the notice and its plan say; cross-field rules live in ``campaign_errors``."""

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "summary_deadline": DATE_WIDGET,
            "signed_on": DATE_WIDGET,
            "printed_on": DATE_WIDGET,
            "notice_body": forms.Textarea(attrs={"rows": 3}),
            "preamble": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 6}),
            "closing": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].required = True
        for name, field in self.fields.items():
            field.error_messages["required"] = REQUIRED.get(name, f"请填写{field.label}。")
            field.error_messages["invalid"] = (
                f"{field.label}格式不对，请按 2023-03-21 的形式填写日期。"
                if isinstance(field, forms.DateField)
                else f"请检查{field.label}。"
            )
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = (
                    f"{field.label}不能超过 {field.max_length} 个字。"
                )

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"]
        if not value:
            return value
        validate_phone(value)
        return normalise_phone(value)

    def clean(self):
        cleaned = _printable_text(super().clean())
        for name, message in campaign_errors(cleaned).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def _post_clean(self):
        # Validation is ours (``clean``); the service saves. Skip the model's full_clean,
        # whose unique-slug and choice checks would repeat or pre-empt our messages.
        pass


def _printable_text(cleaned: dict) -> dict:
    """Drop the invisible control characters that pasted text may carry: they cannot go
    into the .docx the notice is printed as."""
    for name, value in cleaned.items():
        if isinstance(value, str):
            cleaned[name] = printable(value)
    return cleaned


class ProgressForm(Form):
    status = forms.ChoiceField(
        label="状态",
        choices=TaskProgress.Status.choices,
        error_messages={
            "required": "请选择进度状态。",
            "invalid_choice": "请在“未开始、进行中、已完成”中选择。",
        },
    )
    note = forms.CharField(
        label="进展说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "进展说明不能超过 1000 个字。"},
    )
    evidence_links = forms.CharField(
        label="佐证链接",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个网址，如新闻报道、照片或公众号文章的链接。",
    )
    done_on = forms.DateField(
        label="完成日期",
        required=False,
        widget=DATE_WIDGET,
        help_text="标记为已完成时填写实际完成的日期；留空则按今天记。",
        error_messages={"invalid": "完成日期格式不对，请按 2023-03-31 的形式填写日期。"},
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_evidence_links(self):
        validator = forms.URLField(assume_scheme="https")
        lines = [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]
        links = []
        for line in filter(None, lines):
            try:
                links.append(validator.clean(line))
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{line}”不是有效的网址，请填写以 http:// 或 https:// 开头的完整链接。"
                ) from None
        return "\n".join(links)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == TaskProgress.Status.DONE and not (
            cleaned.get("note") or cleaned.get("evidence_links")
        ):
            self.add_error("note", "标记为已完成时，请写明完成情况或附上佐证链接。")
        done_on = cleaned.get("done_on")
        if done_on and self.today and done_on > self.today:
            self.add_error("done_on", "完成日期不能晚于今天。")
        if done_on and cleaned.get("status") != TaskProgress.Status.DONE:
            # A date only means something for a finished task; dropping it silently would
            # lose what the clerk typed, so say why it is not kept.
            self.add_error("done_on", "只有标记为“已完成”时才填写完成日期。")
        return cleaned


class TaskWithdrawForm(Form):
    reason = forms.CharField(
        label="撤回原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="会通知到承担这项任务的每个单位。",
        error_messages={
            "required": "请写明撤回的原因，会通知到承担这项任务的单位。",
            "max_length": "撤回原因不能超过 200 个字。",
        },
    )


class CloneForm(Form):
    year = forms.IntegerField(
        label="新方案年份",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写新方案的年份。",
            "invalid": "年份请填写四位数字，如 2024。",
            "min_value": "年份请填写四位数字，如 2024。",
            "max_value": "年份请填写四位数字，如 2024。",
        },
    )
    slug = forms.SlugField(
        label="标识",
        max_length=60,
        help_text="用于网址，只能用英文字母、数字和连字符，如 haikou-2024。",
        error_messages={
            "required": "请填写标识。",
            "invalid": "标识只能用英文字母、数字和连字符，如 haikou-2024。",
            "max_length": "标识不能超过 60 个字符。",
        },
    )


class TargetField(forms.DecimalField):
    """A KPI target. NaN and Infinity are refused as soon as they are read, like any other
    text that is not a number: Django refuses them later with its "invalid" message
    %-formatted, which the "%" of "知晓率（%）" broke into a server error."""

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def whole_if_integral(value):
    """120.00 → 120, 85.50 → 85.5: a count is shown as the whole number it is."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


class KpiForm(Form):
    """One optional target per KPI kind; an empty box removes the target. Counts (activities,
    participants, reports …) are whole numbers; only the awareness rate, a percentage, takes
    decimals."""

    def __init__(self, *args, initial=None, **kwargs):
        initial = {kind: whole_if_integral(value) for kind, value in (initial or {}).items()}
        super().__init__(*args, initial=initial, **kwargs)
        for kind, label in KpiTarget.Kind.choices:
            # Validators' messages are %-formatted (the "invalid" one is not): the "%" of
            # "知晓率（%）" must be escaped in them.
            name = f"“{label.replace('%', '%%')}”"
            rate = kind == KpiTarget.Kind.AWARENESS_RATE
            self.fields[kind] = TargetField(
                label=label,
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2 if rate else 0,
                widget=forms.NumberInput(attrs={"step": "0.01" if rate else "1", "min": "0"}),
                error_messages={
                    "invalid": f"“{label}”的目标值请填写数字。",
                    "min_value": f"{name}的目标值不能为负数。",
                    "max_digits": f"{name}的目标值太大了。",
                    "max_decimal_places": (
                        f"{name}的目标值最多保留两位小数。"
                        if rate
                        else f"{name}是个数，目标值请填写整数。"
                    ),
                    "max_value": f"{name}的目标值不能超过 100。",
                },
            )
            if kind == KpiTarget.Kind.AWARENESS_RATE:  # a percentage
                self.fields[kind].max_value = 100
                self.fields[kind].validators.append(MaxValueValidator(100))


class TaskForm(Form):
    level = forms.ChoiceField(
        label="下达到",
        choices=[
            (Task.Level.CITY, "市级（发文单位自己）"),
            (Task.Level.DISTRICT, "各区（每个区级单位一份进度）"),
            (Task.Level.STATION, "各社工站（每个社工站一份进度）"),
        ],
        error_messages={
            "required": "请选择任务下达到哪一级。",
            "invalid_choice": "请选择市级、各区或各社工站。",
        },
    )
    title = forms.CharField(
        label="任务",
        max_length=100,
        error_messages={
            "required": "请填写任务名称。",
            "max_length": "任务名称不能超过 100 个字。",
        },
    )
    text = forms.CharField(
        label="方案原文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="印入方案“活动安排”的文字；留空则不印入方案。",
    )
    deliverables = forms.CharField(
        label="交付成果",
        max_length=300,
        required=False,
        error_messages={"max_length": "交付成果不能超过 300 个字。"},
    )
    due_on = forms.DateField(
        label="完成期限",
        widget=DATE_WIDGET,
        error_messages={
            "required": "请填写完成期限。",
            "invalid": "完成期限格式不对，请按 2023-03-31 的形式填写日期。",
        },
    )

    units = forms.ModelMultipleChoiceField(
        label="承担单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选则下达到所选层级的全部单位；只需部分单位承担时，勾选这些单位（须属于所选层级）。",
        error_messages={"invalid_choice": "所选的承担单位不在可选范围内，请重新选择。"},
    )

    def __init__(self, *args, campaign=None, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.task = task
        if campaign is not None:
            self.fields["units"].queryset = (
                Unit.objects.in_subtree_of(campaign.issuer)
                .filter(level__in=[Task.Level.DISTRICT, Task.Level.STATION])
                .order_by("path")
            )
        if task is not None:
            # Its level is fixed once issued; its units can change only if they were chosen.
            del self.fields["level"]
            if not task.chosen_units:
                del self.fields["units"]
            else:
                self.fields["units"].help_text = "已开始这项任务的单位不能撤下。"
                self.fields["units"].queryset = self.fields["units"].queryset.filter(
                    level=task.level
                )

    def clean(self):
        cleaned = _printable_text(super().clean())
        level = self.task.level if self.task is not None else cleaned.get("level")
        title = cleaned.get("title")
        units = cleaned.get("units") or []
        wrong = [u.name for u in units if level and u.level != level]
        if wrong:
            label = dict(TaskForm.base_fields["level"].choices)[level].split("（")[0]
            self.add_error("units", f"{'、'.join(wrong)}不属于“{label}”，请只勾选该层级的单位。")
        if level == Task.Level.CITY and units:
            self.add_error("units", "市级任务由发文单位自己承担，不要勾选单位。")
        if (
            self.campaign is not None
            and level
            and title
            and self.campaign.tasks.filter(level=level, title=title)
            .exclude(pk=getattr(self.task, "pk", None))
            .exists()
        ):
            where = dict(TaskForm.base_fields["level"].choices)[level].split("（")[0]
            self.add_error("title", f"{where}已有任务“{title}”，请勿重复下达。")
        return cleaned

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if self.campaign is not None and due_on < self.campaign.starts_on:
            raise forms.ValidationError("完成期限不能早于活动开始日期。")
        return due_on
