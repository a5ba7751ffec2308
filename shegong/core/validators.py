import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$|^\d{7,8}$")


def normalise_phone(value: str) -> str:
    """Strip spaces, the +86 prefix and full-width digits people type on phones."""
    value = value.strip().translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
    value = re.sub(r"[\s()（）]", "", value)
    return value.removeprefix("+86").removeprefix("0086")


def validate_phone(value: str) -> None:
    phone = normalise_phone(value)
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        # Translated: the public help form shows it in English too.
        raise ValidationError(
            _(
                "请填写正确的电话号码：手机号为 11 位数字（如 13800138000），"
                "座机为区号加号码（如 0898-68651227）。"
            ),
            code="invalid_phone",
        )


# Numbers the public dials from anywhere: a landline with its area code, a mobile, a
# government or public-service hotline (12345, 12349, 96xxx), a 400/800 service number.
PUBLIC_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
HOTLINE_RE = re.compile(r"^(1\d{4}|96\d{3,4}|[48]00-?\d{3}-?\d{4})$")


def validate_public_phone(value: str) -> None:
    """A number printed for the public (station listings, posters, the call button): it must
    dial from a mobile anywhere, so a landline carries its area code."""
    phone = normalise_phone(value)
    if MOBILE_RE.match(phone) or PUBLIC_LANDLINE_RE.match(phone) or HOTLINE_RE.match(phone):
        return
    if re.fullmatch(r"\d{7,8}", phone):
        raise ValidationError(
            f"座机号码“{phone}”缺少区号：从手机拨打会打不通，请写成区号加号码，如 0898-{phone}。",
            code="phone_without_area_code",
        )
    raise ValidationError(
        "请填写正确的联系电话：座机为区号加号码（如 0898-68651227），手机号为 11 位数字"
        "（如 13800138000），服务热线如 12345。",
        code="invalid_public_phone",
    )


def mask_phone(value: str) -> str:
    """Show only what identifies the number to its owner: 138****8000."""
    phone = normalise_phone(value)
    if len(phone) <= 4:
        return "*" * len(phone)
    if len(phone) >= 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return f"{'*' * (len(phone) - 4)}{phone[-4:]}"
