"""Sign-in protection: throttling per account and per address, the audit of sign-ins, and the
password hasher. Each test names the line whose removal makes it fail."""

import datetime

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client
from django.utils import timezone

from shegong.accounts.models import LoginThrottle, User
from shegong.core.models import AuditEntry
from tests.factories import UserFactory

WRONG = "not-the-password"


def _attempt(client, username, password, path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


def _client(address="203.0.113.7"):
    return Client(REMOTE_ADDR=address)


def test_account_locked_after_five_wrong_passwords_even_with_the_right_one(
    station_worker, password
):
    # Remove `raise PermissionDenied` in DemoAwareBackend.authenticate to see this fail.
    guesser = _client("203.0.113.7")
    for _ in range(4):
        response = _attempt(guesser, "worker", WRONG)
        assert "用户名或密码不正确" in response.content.decode()
    fifth = _attempt(guesser, "worker", WRONG)
    assert fifth.status_code == 429
    assert "登录失败次数过多" in fifth.content.decode()

    # The account is locked for every address, the owner's included, right password or not.
    owner = _client("198.51.100.20")
    response = _attempt(owner, "worker", password)

    assert response.status_code == 429
    content = response.content.decode()
    assert "登录失败次数过多" in content
    assert 'value="worker"' in content  # what was typed is kept
    assert owner.get("/console/").status_code == 302  # not signed in


def test_lock_ends_after_the_lockout_period(station_worker, password):
    # Remove `locked_until__gt=now` in throttle.login_locked_until to see this fail.
    client = _client()
    for _ in range(5):
        _attempt(client, "worker", WRONG)
    assert _attempt(client, "worker", password).status_code == 429

    later = timezone.now() - datetime.timedelta(seconds=1)
    LoginThrottle.objects.update(locked_until=later)  # the lockout period has passed

    assert _attempt(client, "worker", password).status_code == 302


def test_address_locked_after_twenty_failures_on_any_names(station_worker, password):
    # Remove the `address:` key in throttle.throttle_keys to see this fail.
    sprayer = _client("203.0.113.9")
    for n in range(20):
        _attempt(sprayer, f"guess{n}", WRONG)

    refused = _attempt(sprayer, "worker", password)
    assert refused.status_code == 429
    assert sprayer.get("/console/").status_code == 302

    # The same account from elsewhere still signs in: the address is locked, not the name.
    elsewhere = _client("198.51.100.20")
    assert _attempt(elsewhere, "worker", password).status_code == 302


def test_unknown_name_locks_the_same_way_so_the_lock_reveals_nothing(db):
    client = _client()
    for _ in range(5):
        last = _attempt(client, "nobody-here", WRONG)

    assert last.status_code == 429
    assert "登录失败次数过多" in last.content.decode()


def test_success_clears_the_account_count(station_worker, password):
    # Remove the call to login_success_clear in services.login_record_success to see this fail.
    client = _client()
    for _ in range(4):
        _attempt(client, "worker", WRONG)
    assert _attempt(client, "worker", password).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        _attempt(client, "worker", WRONG)

    assert _attempt(client, "worker", password).status_code == 302


def test_admin_login_is_throttled_too(db, city):
    # The throttle lives in the authentication backend, which the admin's login also uses.
    UserFactory(username="root", unit=city, is_staff=True, is_superuser=True)
    client = _client()
    for _ in range(5):
        _attempt(client, "root", WRONG, path="/admin/login/")

    from tests.factories import TEST_PASSWORD

    response = _attempt(client, "root", TEST_PASSWORD, path="/admin/login/")
    assert response.status_code == 200  # the admin's form, refused
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_failed_and_successful_logins_are_audited_in_the_unit(
    station_worker, district_officer, sibling_officer, password, login
):
    # Remove the audit_record calls in services.login_record_failure / _success to see this fail.
    client = _client("203.0.113.7")
    _attempt(client, "worker", WRONG)
    _attempt(client, "worker", password)

    failed = AuditEntry.objects.get(action="login.failed")
    assert failed.actor is None
    assert failed.changes == {"username": "worker", "address": "203.0.113.7"}
    assert failed.scope_path == station_worker.unit.path
    succeeded = AuditEntry.objects.get(action="login.succeeded", actor=station_worker)
    assert succeeded.changes == {"address": "203.0.113.7"}

    # The district sees its stations' sign-ins on the audit page; the sibling district does not.
    page = login(district_officer).get("/console/audit/?action=login").content.decode()
    assert "登录失败。" in page
    assert "登录了系统。" in page
    other = login(sibling_officer).get("/console/audit/?action=login").content.decode()
    assert "登录失败。" not in other


def test_lock_is_audited_with_its_end(station_worker):
    client = _client()
    for _ in range(6):
        _attempt(client, "worker", WRONG)

    locking = AuditEntry.objects.filter(action="login.failed").first()  # newest first
    assert "locked_until" in locking.changes
    assert AuditEntry.objects.filter(action="login.locked").count() == 1


def test_long_names_are_counted_and_audited_without_error(db):
    client = _client()
    name = "名" * 150
    for _ in range(5):
        response = _attempt(client, name, WRONG)

    assert response.status_code == 429
    entry = AuditEntry.objects.filter(action="login.failed").first()
    assert entry.changes["username"] == name


@pytest.fixture
def production_hashers(settings):
    import shegong.settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS


def test_passwords_are_hashed_with_argon2id_at_owasp_parameters(production_hashers):
    encoded = make_password("Xy7!long-pass")

    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Xy7!long-pass", encoded)
    assert identify_hasher(encoded).algorithm == "argon2"


def test_old_pbkdf2_hash_still_works_and_is_upgraded_at_login(production_hashers, station):
    # Remove PBKDF2PasswordHasher from settings.PASSWORD_HASHERS to see this fail.
    old = make_password("Xy7!long-pass", hasher="pbkdf2_sha256")
    user = UserFactory(username="old-timer", unit=station)
    User.objects.filter(pk=user.pk).update(password=old)

    response = _attempt(_client(), "old-timer", "Xy7!long-pass")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_operator_can_lift_a_lock(station_worker, password):
    from io import StringIO

    from django.core.management import call_command

    client = _client()
    for _ in range(5):
        _attempt(client, "worker", WRONG)
    out = StringIO()
    call_command("login_unlock", "--username", "worker", stdout=out)

    assert "removed: 1" in out.getvalue()
    assert _attempt(_client("198.51.100.1"), "worker", password).status_code == 302
