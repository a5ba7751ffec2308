import decimal

from django import forms

from shegong.core.forms import Form
from shegong.core.validators import normalise_phone, validate_public_phone

from .models import Service, StaffMember

HEX_COLOR = r"^#[0-9a-fA-F]{6}$"


def _required(label: str) -> dict:
    return {"required": f"请填写{label}。"}


class CoordinateField(forms.DecimalField):
    """Degrees rounded to six decimals (about 0.1 m): map apps copy many more digits."""

    def to_python(self, value):
        number = super().to_python(value)
        if number is None or not number.is_finite() or abs(number) >= 1000:
            return number  # left to the range check and its message
        return number.quantize(decimal.Decimal("0.000001"), rounding=decimal.ROUND_HALF_UP)


class ListingForm(Form):
    name = forms.CharField(label="站点名称", max_length=100, error_messages=_required("站点名称"))
    summary = forms.CharField(
        label="服务内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("服务内容（向群众介绍本站做什么）"),
    )
    address = forms.CharField(label="地址", max_length=200, error_messages=_required("地址"))
    latitude = CoordinateField(
        label="纬度",
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        help_text="例如 20.0186；可在地图软件中长按站点位置获取。",
        error_messages={
            "invalid": "纬度须是数字，例如 20.0186。",
            "min_value": "纬度须在 -90 到 90 之间。",
            "max_value": "纬度须在 -90 到 90 之间。",
        },
    )
    longitude = CoordinateField(
        label="经度",
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        help_text="例如 110.3312。",
        error_messages={
            "invalid": "经度须是数字，例如 110.3312。",
            "min_value": "经度须在 -180 到 180 之间。",
            "max_value": "经度须在 -180 到 180 之间。",
        },
    )
    hours = forms.CharField(
        label="服务时间",
        max_length=200,
        help_text="例如 周一至周五 8:30-12:00，14:30-17:30",
        error_messages=_required("服务时间"),
    )
    phone = forms.CharField(label="联系电话", max_length=30, error_messages=_required("联系电话"))
    process_steps = forms.CharField(
        label="服务流程",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一步，按顺序填写。",
        error_messages=_required("服务流程"),
    )

    name_en = forms.CharField(
        label="站点名称（英文）",
        max_length=150,
        required=False,
        help_text="供外籍居民阅读，例如 Xiuying Street Social Work Station；不填则显示中文。",
    )
    address_en = forms.CharField(label="地址（英文）", max_length=250, required=False)
    hours_en = forms.CharField(
        label="服务时间（英文）",
        max_length=200,
        required=False,
        help_text="例如 Mon-Fri 8:30-12:00, 14:30-17:30",
    )
    summary_en = forms.CharField(
        label="服务内容（英文）", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    process_steps_en = forms.CharField(
        label="服务流程（英文）",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="每行一步，与中文一一对应；不填则显示中文。",
    )

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        validate_public_phone(value)
        return normalise_phone(value)

    def clean(self):
        data = super().clean()
        if "latitude" in self.errors or "longitude" in self.errors:
            return data
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError("经纬度须同时填写或同时留空。")
        return data


class StaffForm(Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages=_required("姓名"))
    role = forms.CharField(label="岗位", max_length=50, error_messages=_required("岗位"))
    role_en = forms.CharField(
        label="岗位（英文）",
        max_length=50,
        required=False,
        help_text="站长、驻站社工、督导、志愿者等常用岗位会自动译成英文，可不填。",
    )
    # Blank extra rows must count as unchanged, so each select starts on its initial value.
    qualification = forms.ChoiceField(
        label="职业资格",
        choices=StaffMember.Qualification.choices,
        initial=StaffMember.Qualification.ASSISTANT,
    )


class ServiceForm(Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="服务名称", max_length=100, error_messages=_required("服务名称"))
    category = forms.ChoiceField(
        label="服务类别", choices=Service.Category.choices, initial=Service.Category.ELDERLY
    )
    target_group = forms.CharField(
        label="服务对象", max_length=100, error_messages=_required("服务对象")
    )
    description = forms.CharField(
        label="服务内容",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required("服务内容"),
    )
    eligibility = forms.CharField(label="申请条件", max_length=200, required=False)
    fee = forms.CharField(
        label="收费", max_length=100, initial="免费", error_messages=_required("收费")
    )
    how_to_apply = forms.CharField(label="申请方式", max_length=200, required=False)
    # Optional English (foreign residents); the public page falls back to the Chinese.
    name_en = forms.CharField(label="服务名称（英文）", max_length=100, required=False)
    target_group_en = forms.CharField(label="服务对象（英文）", max_length=100, required=False)
    description_en = forms.CharField(
        label="服务内容（英文）", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    eligibility_en = forms.CharField(label="申请条件（英文）", max_length=200, required=False)
    fee_en = forms.CharField(label="收费（英文）", max_length=100, required=False)
    how_to_apply_en = forms.CharField(label="申请方式（英文）", max_length=200, required=False)


StaffFormSet = forms.formset_factory(StaffForm, extra=1, can_delete=True)
ServiceFormSet = forms.formset_factory(ServiceForm, extra=1, can_delete=True)


def formset_rows(formset) -> list[dict]:
    """The filled, not deleted rows of a valid formset, in order."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class QrLinkForm(Form):
    channel = forms.CharField(
        label="投放渠道",
        max_length=100,
        help_text="印在哪里，例如：公交12路车身广告、市人民医院门诊海报、站点门口。",
        error_messages=_required("投放渠道"),
    )
    target = forms.CharField(
        label="跳转地址",
        max_length=300,
        help_text="本站页面，例如 /stations/460105001/ 或 /help/。",
        error_messages=_required("跳转地址"),
    )


# The primary colour draws the QR modules and poster text on white: it must be dark enough.
MIN_PRIMARY_CONTRAST = 4.5


def contrast_with_white(color: str) -> float:
    """WCAG contrast ratio of a ``#rrggbb`` colour against white."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


class BrandKitForm(Form):
    name = forms.CharField(label="品牌名称", max_length=50, error_messages=_required("品牌名称"))
    slogan = forms.CharField(label="口号", max_length=100, required=False)
    primary_color = forms.RegexField(
        label="主色",
        regex=HEX_COLOR,
        error_messages={"invalid": "颜色须写成 #rrggbb，例如 #a3211b。", **_required("主色")},
    )
    accent_color = forms.RegexField(
        label="辅助色",
        regex=HEX_COLOR,
        error_messages={"invalid": "颜色须写成 #rrggbb，例如 #f2b705。", **_required("辅助色")},
    )
    logo = forms.ImageField(
        label="标志",
        required=False,
        help_text="PNG 或 JPEG，建议方形、至少 300×300 像素，不超过 2 MB。",
        error_messages={"invalid_image": "请上传 PNG 或 JPEG 图片。"},
    )

    def clean_primary_color(self):
        value = self.cleaned_data["primary_color"]
        ratio = contrast_with_white(value)
        if ratio < MIN_PRIMARY_CONTRAST:
            raise forms.ValidationError(
                f"主色太浅：它用于二维码和海报文字，与白色的对比度须至少 "
                f"{MIN_PRIMARY_CONTRAST}:1（现为 {ratio:.1f}:1），否则手机可能扫不出二维码。"
            )
        return value

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo is None:
            return None
        if logo.size > 2 * 1024 * 1024:
            raise forms.ValidationError("标志图片不能超过 2 MB。")
        if getattr(logo, "image", None) is not None and logo.image.format not in ("PNG", "JPEG"):
            raise forms.ValidationError("请上传 PNG 或 JPEG 图片。")
        return logo
