"""The optional second factor: a TOTP authenticator app (django-otp's TOTP device).

A staff member who has confirmed a device, or must have one (``OTP_REQUIRED_FOR_CITY_ADMINS``
and they see everything), signs in with their password and is then held at the second-factor
pages (``middleware.SecondFactorMiddleware``) until they type a code from the app, or set one
up. The hold is a flag in the session set at sign-in, so an ordinary request costs no query.
"""

from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING = "second_factor_pending"
DEVICE_NAME = "验证器应用"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_required(user) -> bool:
    """Whether this account may not work without a second factor (a setting, on in
    production): the city's administrators and superusers, who see everything."""
    return settings.OTP_REQUIRED_FOR_CITY_ADMINS and user.sees_everything


def needs_second_factor(user) -> bool:
    return second_factor_required(user) or confirmed_device(user) is not None


def pending_device(user) -> TOTPDevice:
    """The device being set up: one unconfirmed device per user, kept until confirmed, so the
    code shown stays the same while the user scans it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as the app's "enter a key" screen wants it: base32, in groups of four."""
    secret = b32encode(unhexlify(device.key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no style, no script)."""
    return segno.make_qr(device.config_url).svg_inline(scale=4, border=4, dark="#000", light="#fff")
