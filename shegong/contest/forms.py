from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.campaigns.models import Campaign
from shegong.core.forms import CitizenForm, Form, MultilineField, PhoneLast4Field
from shegong.core.validators import normalise_phone, validate_phone
from shegong.orgs.models import Unit

from .models import Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def district_choices() -> list:
    districts = Unit.objects.filter(level=Unit.Level.DISTRICT).order_by("code")
    return [("", _("不填")), *((u.code, u.area_label) for u in districts)]


class EntryForm(CitizenForm):
    """A citizen's entry at /stories/submit/."""

    title = forms.CharField(
        label=_("作品标题"),
        max_length=100,
        error_messages={
            "required": _("请填写作品标题。"),
            "max_length": _("标题不能超过 100 个字。"),
        },
    )
    category = forms.ChoiceField(
        label=_("作品类别"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择作品类别。"),
            "invalid_choice": _("请选择作品类别。"),
        },
    )
    text = MultilineField(
        label=_("故事正文"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("300 到 3000 字为宜。写真实的人和事；服务对象请用化名，如“王某某”。"),
        error_messages={
            "required": _("请填写故事正文。"),
            "max_length": _("正文不能超过 5000 个字。"),
        },
    )
    files = MultipleFileField(
        label=_("照片或视频（可不传）"),
        required=False,
        help_text=_(
            "最多 6 个文件；照片 JPEG、PNG、WebP，视频 MP4、MOV。照片中的位置等信息会被去除。"
        ),
        error_messages={
            "invalid": _("没有收到文件，请重新选择后上传。"),
            "empty": _("上传的文件是空的，请重新选择。"),
            "missing": _("没有收到文件，请重新选择后上传。"),
            "max_length": _("文件名太长，请改短后再上传。"),
            "contradiction": _("没有收到文件，请重新选择后上传。"),
        },
    )
    shows_minors = forms.BooleanField(
        label=_("照片或视频中有未成年人"),
        required=False,
        help_text=_("有未成年人的照片，要等工作人员取得监护人同意后才会公开。"),
    )
    author_name = forms.CharField(
        label=_("作者姓名"),
        max_length=50,
        error_messages={
            "required": _("请填写作者姓名。"),
            "max_length": _("姓名不能超过 50 个字。"),
        },
    )
    district = forms.ChoiceField(
        label=_("所在区（可不填）"),
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择所在区。")},
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("只用于联系获奖作者和查询投稿进度，不会公开。"),
        error_messages={
            "required": _("请填写联系电话。"),
            "max_length": _("电话号码太长了，请检查。"),
        },
    )
    originality = forms.BooleanField(
        label=_("我声明作品为本人原创，未侵犯他人权利"),
        error_messages={"required": _("请勾选原创声明。")},
    )
    consent = forms.BooleanField(
        label=_("我同意主办方在网站、公众号和媒体上发表这篇作品（署名）"),
        error_messages={"required": _("请勾选同意发表，否则作品无法参加评选。")},
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(label=_("网址（请不要填写）"), required=False)

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = call.category_choices() if call else list(Category.choices)
        self.fields["category"].choices = [(v, _(label)) for v, label in choices]
        self.fields["district"].choices = district_choices()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        validate_phone(value)
        return normalise_phone(value)

    def clean_district(self):
        code = self.cleaned_data["district"]
        if not code:
            return None
        return Unit.objects.filter(code=code, level=Unit.Level.DISTRICT).first()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class FollowForm(CitizenForm):
    code = forms.CharField(
        label=_("查询码"),
        max_length=12,
        help_text=_("投稿后看到的 8 位查询码，如 AC7K-M3PX。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={
            "required": _("请填写查询码。"),
            "max_length": _("查询码是 8 位字母和数字，如 AC7K-M3PX。"),
        },
    )
    last4 = PhoneLast4Field()


# --- console (Chinese only) -----------------------------------------------------------------


def _lines(text: str, what: str) -> list[tuple[str, int]]:
    """``名称 数字`` per line, e.g. ``真实感人 40`` or ``一等奖 1``."""
    rows = []
    for number, line in enumerate(text.replace("％", "").replace("%", "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        name, _sep, value = line.rpartition(" ")
        if not name.strip() or not value.isdigit():
            raise forms.ValidationError(
                f"{what}第 {number} 行“{line[:20]}”应写成“名称 数字”，如“真实感人 40”。"
            )
        if len(name.strip()) > 30:
            raise forms.ValidationError(f"{what}第 {number} 行的名称不能超过 30 个字。")
        rows.append((name.strip(), int(value)))
    if not rows:
        raise forms.ValidationError(f"请填写{what}。")
    return rows


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
FIRST_YEAR, LAST_YEAR = 2000, 2099


def in_years(form, name: str):
    """A date a phone user mistyped (year 0001 or 9999) is refused before it reaches the
    database or date arithmetic."""
    value = form.cleaned_data.get(name)
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        label = form.fields[name].label
        raise forms.ValidationError(
            f"{label}的年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 年之间，请检查。"
        )
    return value


class CallForm(Form):
    title = forms.CharField(label="征集名称", max_length=200)
    rules_text = forms.CharField(
        label="征集规则", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    categories = forms.MultipleChoiceField(
        label="作品类别", choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    submission_opens = forms.DateTimeField(label="征集开始", widget=DATETIME)
    submission_closes = forms.DateTimeField(label="征集截止", widget=DATETIME)
    review_opens = forms.DateTimeField(label="评审开始", widget=DATETIME)
    review_closes = forms.DateTimeField(label="评审截止", widget=DATETIME)
    reviews_per_entry = forms.IntegerField(label="每件作品评审人数", min_value=1, max_value=9)
    criteria = forms.CharField(
        label="评分项及权重",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text="每行一项：名称 权重，权重合计 100，如“真实感人 40”。",
    )
    tiers = forms.CharField(
        label="奖项及名额",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text="每行一项：奖项 名额，从高到低，如“一等奖 1”。",
    )

    def clean_submission_opens(self):
        return in_years(self, "submission_opens")

    def clean_submission_closes(self):
        return in_years(self, "submission_closes")

    def clean_review_opens(self):
        return in_years(self, "review_opens")

    def clean_review_closes(self):
        return in_years(self, "review_closes")

    def clean_criteria(self):
        rows = _lines(self.cleaned_data["criteria"], "评分项")
        total = sum(weight for _, weight in rows)
        if total != 100:
            raise forms.ValidationError(f"评分项权重合计应为 100，现在是 {total}。")
        return rows

    def clean_tiers(self):
        rows = _lines(self.cleaned_data["tiers"], "奖项")
        if any(count < 1 or count > 1000 for _, count in rows):
            raise forms.ValidationError("每个奖项的名额应在 1 到 1000 之间。")
        return rows

    def clean(self):
        data = super().clean()
        keys = ("submission_opens", "submission_closes", "review_opens", "review_closes")
        if all(data.get(k) for k in keys):
            a, b, c, d = (data[k] for k in keys)
            if not a < b <= c < d:
                raise forms.ValidationError(
                    "时间顺序不对：应为 征集开始 < 征集截止 ≤ 评审开始 < 评审截止。"
                )
        return data


class UnitEntryForm(Form):
    """A unit's staff enter a story for a colleague or a service user."""

    author_name = forms.CharField(label="作者姓名", max_length=50)
    phone = forms.CharField(label="作者联系电话", max_length=30)
    consent_note = forms.CharField(
        label="本人同意情况",
        max_length=200,
        help_text="如：已取得作者本人书面同意投稿和署名发表（同意书存站里）。",
    )
    title = forms.CharField(label="作品标题", max_length=100)
    category = forms.ChoiceField(label="作品类别", choices=Category.choices)
    text = MultilineField(
        label="故事正文", max_length=5000, widget=forms.Textarea(attrs={"rows": 10})
    )
    files = MultipleFileField(label="照片或视频", required=False)
    shows_minors = forms.BooleanField(label="照片或视频中有未成年人", required=False)
    minors_consent_note = forms.CharField(
        label="监护人同意情况",
        max_length=200,
        required=False,
        help_text="有未成年人时填写；不填则照片在登记同意前不会公开。",
    )

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        validate_phone(value)
        return normalise_phone(value)


class ScoreForm(Form):
    """One number per criterion (fields ``c<id>``) and a comment."""

    comment = MultilineField(
        label="评语", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            field = forms.IntegerField(
                label=f"{c.name}（权重 {c.weight}%）", min_value=0, max_value=100
            )
            self.fields[f"c{c.pk}"] = field
        self.order_fields([f"c{c.pk}" for c in self.criteria] + ["comment"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class CallNewForm(CallForm):
    campaign = forms.ModelChoiceField(
        label="方案", queryset=Campaign.objects.filter(call=None), to_field_name="slug"
    )

    field_order = ["campaign"]


class JudgeForm(Form):
    """Seat a judge (``judges``: those not on the panel yet)."""

    judge = forms.ModelChoiceField(label="评委", queryset=User.objects.none())

    def __init__(self, *args, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judges if judges is not None else User.objects.none()


class JudgeRemoveForm(Form):
    """Take a judge off the panel (``judges``: those on it)."""

    judge = forms.ModelChoiceField(label="移出评审组的评委", queryset=User.objects.none())

    def __init__(self, *args, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judges if judges is not None else User.objects.none()


class TierForm(Form):
    tier = forms.ModelChoiceField(
        label="奖项", queryset=User.objects.none(), required=False, empty_label="（无）"
    )

    def __init__(self, *args, tiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = tiers


class ShortlistForm(Form):
    count = forms.IntegerField(label="入围数量", min_value=0, max_value=1000)


class ScheduleForm(Form):
    start = forms.DateField(label="连载开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    every_days = forms.IntegerField(label="间隔天数", min_value=1, max_value=30, initial=1)

    def clean_start(self):
        return in_years(self, "start")


class PushForm(Form):
    outlet = forms.CharField(label="媒体", max_length=100)
    pushed_on = forms.DateField(label="推送日期", widget=forms.DateInput(attrs={"type": "date"}))
    url = forms.URLField(label="链接", max_length=500, required=False, assume_scheme="https")

    def clean_pushed_on(self):
        return in_years(self, "pushed_on")


class ConsentForm(Form):
    note = forms.CharField(label="监护人同意情况", max_length=200)
