"""The optional TOTP second factor, required for city admins when the setting is on, and the
idle sign-out of staff. Each test names the line whose removal makes it fail."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.core.models import AuditEntry


def _token(device, offset_steps=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _sign_in(user, password) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _enrol(client) -> TOTPDevice:
    page = client.get("/accounts/2fa/").content.decode()
    assert "<svg" in page  # the QR code to scan
    device = TOTPDevice.objects.get(confirmed=False)
    secret = page.split('data-testid="otp-secret">')[1].split("<")[0]
    assert secret.replace(" ", "")  # the key to type when the camera fails
    response = client.post("/accounts/2fa/", {"token": _token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_worker_enrols_then_sign_in_asks_for_the_code(station_worker, password):
    # Remove `request.session[PENDING] = True` in signals.on_logged_in to see this fail.
    client = _sign_in(station_worker, password)
    device = _enrol(client)
    assert "两步验证已启用" in client.get("/accounts/2fa/").content.decode()
    client.post("/accounts/logout/")

    client = _sign_in(station_worker, password)
    held = client.get("/console/activities/")
    assert held.status_code == 302
    assert held["Location"] == "/accounts/2fa/verify/?next=%2Fconsole%2Factivities%2F"
    assert client.get("/admin/").status_code == 302

    wrong = client.post("/accounts/2fa/verify/", {"token": "000000", "next": "/console/"})
    assert "验证码不正确或已过期" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the app's next code, typed after the pause it asks
    device.throttling_failure_timestamp = None
    device.save()

    response = client.post(
        "/accounts/2fa/verify/", {"token": _token(device, 1), "next": "/console/activities/"}
    )
    assert response["Location"] == "/console/activities/"
    assert client.get("/console/activities/").status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"user.two_factor_enabled", "login.second_factor", "login.second_factor_failed"} <= (
        actions
    )


def test_same_code_cannot_be_used_twice(station_worker, password):
    # django-otp's TOTP device remembers the last step used (last_t).
    client = _sign_in(station_worker, password)
    device = _enrol(client)
    client.post("/accounts/logout/")
    client = _sign_in(station_worker, password)
    token = _token(device, 1)
    assert client.post("/accounts/2fa/verify/", {"token": token}).status_code == 302
    client.post("/accounts/logout/")

    client = _sign_in(station_worker, password)
    replay = client.post("/accounts/2fa/verify/", {"token": token})

    assert replay.status_code == 200
    assert "验证码不正确或已过期" in replay.content.decode()


def test_city_admin_must_enrol_when_required(settings, city_admin, password):
    # Remove `second_factor_required(user) or` in twofactor.needs_second_factor to see it fail.
    settings.OTP_REQUIRED_FOR_CITY_ADMINS = True
    client = _sign_in(city_admin, password)

    held = client.get("/console/")
    assert held["Location"].startswith("/accounts/2fa/verify/")
    assert client.get(held["Location"])["Location"] == "/accounts/2fa/"
    setup = client.get("/accounts/2fa/").content.decode()
    assert "必须启用两步验证" in setup

    device = _enrol(client)
    assert client.get("/console/").status_code == 200
    # Required: it cannot be switched off.
    refused = client.post("/accounts/2fa/", {"token": _token(device, 1)})
    assert "不能关闭" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=city_admin, confirmed=True).exists()


def test_city_admin_without_the_setting_signs_in_with_password_only(settings, city_admin, password):
    settings.OTP_REQUIRED_FOR_CITY_ADMINS = False
    client = _sign_in(city_admin, password)

    home = client.get("/console/")
    assert home.status_code == 200
    assert home.wsgi_request.user == city_admin  # signed in, no code asked
    assert not TOTPDevice.objects.filter(user=city_admin).exists()


def test_worker_can_switch_it_off_with_a_code(station_worker, password):
    client = _sign_in(station_worker, password)
    device = _enrol(client)

    response = client.post("/accounts/2fa/", {"token": _token(device, 1)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=station_worker).exists()
    assert AuditEntry.objects.filter(action="user.two_factor_disabled").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "请输入验证器应用显示的 6 位数字。"), ("12a456", "验证码只含数字"), ("123", "6 位数字")],
)
def test_bad_codes_get_a_specific_message_and_are_kept(login, station_worker, typed, message):
    response = login(station_worker).post("/accounts/2fa/", {"token": typed})

    content = response.content.decode()
    assert message in content
    if typed:
        assert f'value="{typed}"' in content


def test_verify_page_cannot_redirect_elsewhere(station_worker, password):
    client = _sign_in(station_worker, password)
    device = _enrol(client)
    client.post("/accounts/logout/")
    client = _sign_in(station_worker, password)

    response = client.post(
        "/accounts/2fa/verify/", {"token": _token(device, 1), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/console/"


def test_idle_staff_session_is_signed_out(station_worker, password, settings):
    # Remove StaffIdleTimeoutMiddleware from settings.MIDDLEWARE to see this fail.
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    client = _sign_in(station_worker, password)
    assert client.get("/console/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60  # half an hour passes without a click
    session.save()

    response = client.get("/console/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "已自动退出" in client.get(response["Location"]).content.decode()
    assert AuditEntry.objects.filter(action="login.idle_logout", actor=station_worker).exists()


def test_active_staff_session_stays(station_worker, password, settings):
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    client = _sign_in(station_worker, password)
    session = client.session
    session["last_seen"] = int(time.time()) - 29 * 60
    session.save()

    assert client.get("/console/").status_code == 200
    assert client.session["last_seen"] >= int(time.time()) - 5  # the clock was reset
