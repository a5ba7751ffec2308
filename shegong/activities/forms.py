from django import forms

from shegong.campaigns.models import Campaign, Task
from shegong.core.forms import Form, ModelForm
from shegong.orgs.models import Partner, Unit

from .models import (
    Activity,
    Audience,
    Case,
    Focus,
    LiveStream,
    MediaCoverage,
    RiskAssessment,
    Submission,
    codes_split,
)
from .services import ACTIVITY_FIELDS, RISK_FIELDS

DATETIME_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
MAX_COUNT = 2_000_000_000  # what every database stores as an integer; no honest count is near it
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _in_years(value, label: str):
    """A time a phone user mistyped (year 0001 or 9999) is refused before it reaches the
    database, which cannot store a moment before year 1 in UTC."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            f"{label}须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间，请检查年份。"
        )
    return value


def _required(label: str) -> dict:
    return {"required": f"请填写{label}。", "invalid": f"{label}格式不正确。"}


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        initial=0,
        required=False,
        error_messages={
            "invalid": f"{label}请填写整数。",
            "min_value": f"{label}不能为负数。",
            "max_value": f"{label}数字过大，请检查。",
        },
    )


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
        required=False,
        error_messages={
            "invalid": f"{label}请填写金额数字（如 1200 或 1200.50）。",
            "min_value": f"{label}不能为负数。",
            "max_decimal_places": f"{label}最多保留两位小数。",
            "max_digits": f"{label}数额过大。",
        },
    )


class ActivityForm(Form):
    campaign = forms.ModelChoiceField(
        label="所属宣传活动",
        queryset=Campaign.objects.all(),
        required=False,
        empty_label="（不属于某次宣传活动）",
    )
    kind = forms.ChoiceField(label="活动形式", choices=Activity.Kind.choices)
    title = forms.CharField(label="活动名称", max_length=200, error_messages=_required("活动名称"))
    starts_at = forms.DateTimeField(
        label="活动时间",
        input_formats=DATETIME_INPUT,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "请填写活动时间。",
            "invalid": "活动时间格式不正确，请按“2023-03-21 09:30”填写。",
        },
    )
    place = forms.CharField(label="活动地点", max_length=200, required=False)
    audiences = forms.MultipleChoiceField(
        label="受众",
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    focus_tags = forms.MultipleChoiceField(
        label="宣传重点",
        choices=Focus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label="参与伙伴（五社等）",
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tasks = forms.ModelMultipleChoiceField(
        label="对应的方案任务",
        queryset=Task.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="本活动落实了宣传活动方案中的哪项任务。",
    )
    participants = _count("参与人数")
    volunteers = _count("志愿者人数")
    views = _count("浏览量")
    live_viewers = _count("直播观看人数")
    reads = _count("阅读量")
    budget_planned = _money("计划预算（元）")
    spend_actual = _money("实际支出（元）")
    outcome = forms.CharField(
        label="活动成效", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    held = forms.BooleanField(label="已举办", required=False)
    # Risk assessment: required for on-site events (see clean()).
    expected_crowd = forms.IntegerField(
        label="预计人数（风险评估）",
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        error_messages={
            "invalid": "预计人数请填写整数。",
            "min_value": "预计人数不能为负数。",
            "max_value": "预计人数数字过大，请检查。",
        },
    )
    venue = forms.ChoiceField(
        label="场地类型", choices=[("", "—"), *RiskAssessment.Venue.choices], required=False
    )
    weather = forms.ChoiceField(
        label="天气", choices=[("", "—"), *RiskAssessment.Weather.choices], required=False
    )
    emergency_plan = forms.CharField(
        label="应急预案", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    person_responsible = forms.CharField(label="安全责任人", max_length=50, required=False)

    RISK = RISK_FIELDS

    def __init__(self, *args, user=None, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user
        if user is not None:
            units = Unit.objects.changeable_by(user)
            if activity is None:
                # The units the Excel import accepts for this user, no more, no fewer.
                self.fields = {
                    "unit": forms.ModelChoiceField(
                        label="登记单位",
                        queryset=units,
                        initial=user.unit.code if user.unit_id else None,
                        to_field_name="code",
                        empty_label=None,
                        required=False,
                        help_text="不选时为本单位。",
                        error_messages={
                            "invalid_choice": "所选单位不在您可登记的范围内，请重新选择。",
                        },
                    ),
                    **self.fields,
                }
            self.fields["partners"].queryset = Partner.objects.offered_to(
                user, already=activity.partners.values("pk") if activity else None
            )
            levels = [activity.unit.level] if activity else units.values("level")
            self.fields["tasks"].queryset = Task.objects.filter(level__in=levels).select_related(
                "campaign"
            )

    def clean_unit(self):
        unit = self.cleaned_data.get("unit")
        if unit is None and self._user is not None and self._user.unit_id is not None:
            unit = self.fields["unit"].queryset.filter(pk=self._user.unit_id).first()
        if unit is None:
            raise forms.ValidationError("请选择登记单位。")
        return unit

    def clean_starts_at(self):
        return _in_years(self.cleaned_data.get("starts_at"), "活动时间")

    def clean(self):
        data = super().clean()
        for name in ("participants", "volunteers", "views", "live_viewers", "reads"):
            if data.get(name) is None:
                data[name] = 0
        for name in ("budget_planned", "spend_actual"):
            if data.get(name) is None:
                data[name] = 0
        if data.get("kind") == Activity.Kind.ONSITE:
            labels = {
                "expected_crowd": "预计人数",
                "venue": "场地类型",
                "weather": "天气",
                "person_responsible": "安全责任人",
            }
            for name, label in labels.items():
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, f"现场活动须做风险评估：请填写{label}。")
        return data

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.RISK]

    def risk_fields(self):
        return [self[name] for name in self.RISK]

    def activity_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.RISK}

    def risk_data(self) -> dict | None:
        data = self.cleaned_data
        if data.get("expected_crowd") is None or not data.get("venue") or not data.get("weather"):
            return None
        return {name: data.get(name) or "" for name in self.RISK} | {
            "expected_crowd": data["expected_crowd"]
        }

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        # Audiences and focus tags are stored as code lists; they are split below.
        initial = {
            name: getattr(activity, name)
            for name in ACTIVITY_FIELDS
            if name not in ("audiences", "focus_tags")
        }
        initial["audiences"] = codes_split(activity.audiences)
        initial["focus_tags"] = codes_split(activity.focus_tags)
        initial["partners"] = list(activity.partners.all())
        initial["tasks"] = list(activity.tasks.all())
        risk = getattr(activity, "risk", None)
        if risk is not None:
            initial.update({name: getattr(risk, name) for name in cls.RISK})
        return initial


class CommentForm(Form):
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "审核意见不能超过 1000 字。"},
    )


class MediaForm(Form):
    file = forms.FileField(
        label="照片或视频",
        error_messages={"required": "请选择要上传的照片或视频。", "empty": "文件是空的。"},
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,video/mp4,video/quicktime"}),
    )
    caption = forms.CharField(label="说明", max_length=200, required=False)
    shows_minors = forms.BooleanField(label="画面中有未成年人", required=False)


class ConsentForm(Form):
    note = forms.CharField(
        label="监护人同意情况",
        max_length=200,
        error_messages={"required": "请写明同意书的情况。"},
    )


class NewsForm(Form):
    title = forms.CharField(label="标题", max_length=200, error_messages=_required("标题"))
    body = forms.CharField(
        label="正文（可使用简单的 HTML：段落、加粗、列表、链接）",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages=_required("正文"),
    )


class AdoptForm(Form):
    outlet = forms.CharField(label="采用媒体", max_length=100, error_messages=_required("采用媒体"))
    url = forms.URLField(
        assume_scheme="https",
        label="链接",
        required=False,
        error_messages={"invalid": "请填写完整的网址（http 开头）。"},
    )


class BudgetCapForm(Form):
    unit = forms.CharField(label="单位代码", max_length=20, error_messages=_required("单位代码"))
    campaign = forms.ModelChoiceField(
        label="宣传活动",
        queryset=Campaign.objects.all(),
        error_messages={"required": "请选择宣传活动。"},
    )
    amount = _money("经费上限（元）")


def _activity_field(user):
    return forms.ModelChoiceField(
        label="关联活动",
        queryset=Activity.objects.visible_to(user).filter(unit_id=user.unit_id),
        required=False,
        empty_label="（不关联）",
    )


class _LinkedForm(ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"] = _activity_field(user)
        for field in self.fields.values():
            field.error_messages.setdefault("required", f"请填写{field.label}。")
            field.error_messages["required"] = f"请填写{field.label}。"
            field.error_messages["invalid"] = f"{field.label}格式不正确。"


def _url(label: str) -> forms.URLField:
    return forms.URLField(
        label=label,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "请填写完整的网址（http 开头）。"},
    )


class CoverageForm(_LinkedForm):
    url = _url("链接")
    focus_tags = forms.MultipleChoiceField(
        label="宣传重点", choices=Focus.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = MediaCoverage
        fields = ["activity", "outlet", "type", "title", "url", "published_on", "reach"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}


class SubmissionForm(_LinkedForm):
    url = _url("刊发链接")

    class Meta:
        model = Submission
        fields = ["activity", "outlet", "title", "submitted_on", "status", "url"]
        widgets = {"submitted_on": forms.DateInput(attrs={"type": "date"})}


class LiveStreamForm(_LinkedForm):
    replay_url = _url("回放链接")
    starts_at = forms.DateTimeField(
        label="开播时间",
        input_formats=DATETIME_INPUT,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "请填写开播时间。", "invalid": "开播时间格式不正确。"},
    )

    def clean_unit(self):
        unit = self.cleaned_data.get("unit")
        if unit is None and self._user is not None and self._user.unit_id is not None:
            unit = self.fields["unit"].queryset.filter(pk=self._user.unit_id).first()
        if unit is None:
            raise forms.ValidationError("请选择登记单位。")
        return unit

    def clean_starts_at(self):
        return _in_years(self.cleaned_data.get("starts_at"), "开播时间")

    class Meta:
        model = LiveStream
        fields = ["activity", "platform", "title", "starts_at", "peak_viewers", "replay_url"]


class SubmissionStatusForm(Form):
    status = forms.ChoiceField(label="状态", choices=Submission.Status.choices)
    url = forms.URLField(
        assume_scheme="https",
        label="刊发链接",
        required=False,
        error_messages={"invalid": "请填写完整的网址（http 开头）。"},
    )


class CaseForm(ModelForm):
    partners = forms.ModelMultipleChoiceField(
        label="参与伙伴",
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = [
            "kind",
            "title",
            "beneficiary_group",
            "problem",
            "intervention",
            "outcome",
            "person_name",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "intervention": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.offered_to(
            user, already=case.partners.values("pk") if case else None
        )
        self.fields["title"].error_messages["required"] = "请填写标题。"


class ImportForm(Form):
    campaign = forms.ModelChoiceField(
        label="导入到宣传活动",
        queryset=Campaign.objects.all(),
        required=False,
        empty_label="（不属于某次宣传活动）",
    )
    file = forms.FileField(
        label="台账文件（.xlsx）", error_messages={"required": "请选择要导入的 Excel 文件。"}
    )

    def clean_file(self):
        from .excel import MAX_ROWS, MAX_UNPACKED_BYTES, MAX_UPLOAD_BYTES, check_unpacked_size

        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件太大（{upload.size / 1024 / 1024:.1f} MB）：台账文件不能超过 "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB，请分成几个文件导入"
                f"（每次最多 {MAX_ROWS} 行）。"
            )
        # What is not an .xlsx at all (a photo, a text) is refused here, on the form, rather
        # than by the job a moment later; the cells are read by the job.
        check_unpacked_size(upload, MAX_UNPACKED_BYTES)
        return upload
