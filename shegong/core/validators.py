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


def mask_phone(value: str) -> str:
    """Show only what identifies the number to its owner: 138****8000."""
    phone = normalise_phone(value)
    if len(phone) <= 4:
        return "*" * len(phone)
    if len(phone) >= 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return f"{'*' * (len(phone) - 4)}{phone[-4:]}"
