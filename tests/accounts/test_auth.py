import pytest
from django.core import mail
from django.core.management import call_command

from shegong.accounts.models import Notification, User
from shegong.accounts.services import notification_send_to_unit
from tests.factories import UserFactory


def test_login_with_wrong_password_says_why_and_keeps_username(anonymous, station_worker):
    response = anonymous.post("/accounts/login/", {"username": "worker", "password": "wrong"})

    content = response.content.decode()
    assert "用户名或密码不正确" in content
    assert 'value="worker"' in content


def test_login_empty_form_asks_for_both_fields(anonymous, db):
    content = anonymous.post("/accounts/login/", {}).content.decode()

    assert "请输入用户名。" in content
    assert "请输入密码。" in content


def test_login_then_logout(anonymous, station_worker, password):
    response = anonymous.post("/accounts/login/", {"username": "worker", "password": password})
    assert response.status_code == 302
    assert "秀英街道社工站" in anonymous.get("/console/").content.decode()

    anonymous.post("/accounts/logout/")

    assert anonymous.get("/console/").status_code == 302


def test_demo_account_refused_outside_demo_mode_even_with_debug_on(
    anonymous, station, settings, password
):
    settings.DEBUG = True
    settings.DEMO_MODE = False
    UserFactory(username="demo", unit=station, is_demo=True)

    response = anonymous.post("/accounts/login/", {"username": "demo", "password": password})

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_demo_account_accepted_in_demo_mode_with_debug_off(anonymous, station, settings, password):
    settings.DEBUG = False
    settings.DEMO_MODE = True
    UserFactory(username="demo", unit=station, is_demo=True)

    response = anonymous.post("/accounts/login/", {"username": "demo", "password": password})

    assert response["Location"] == "/console/"
    assert anonymous.session["_auth_user_id"] == str(User.objects.get(username="demo").pk)


def test_password_change_wrong_old_password(login, station_worker):
    response = login(station_worker).post(
        "/accounts/password/",
        {
            "old_password": "nope",
            "new_password1": "Xy7!long-pass",
            "new_password2": "Xy7!long-pass",
        },
    )

    assert "原密码不正确" in response.content.decode()


def test_password_change_mismatch_and_too_short(login, station_worker, password):
    response = login(station_worker).post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "abc", "new_password2": "abd"},
    )

    assert "两次输入的新密码不一致。" in response.content.decode()


def test_password_change_too_short_is_said_in_chinese(login, station_worker, password):
    response = login(station_worker).post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "Xy7!", "new_password2": "Xy7!"},
    )

    content = response.content.decode()
    assert "密码太短：至少需要 8 个字符。" in content
    assert "too short" not in content


def test_password_change_succeeds(login, station_worker, password):
    response = login(station_worker).post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "Xy7!long-pass",
            "new_password2": "Xy7!long-pass",
        },
    )

    assert response.status_code == 302
    station_worker.refresh_from_db()
    assert station_worker.check_password("Xy7!long-pass")


@pytest.mark.django_db(transaction=True)
def test_notifications_reach_inbox_and_email_through_worker(station):
    worker = UserFactory(username="w1", unit=station, email="w1@example.org")
    UserFactory(username="w2", unit=station)

    notification_send_to_unit(unit=station, message="新的求助待处理", url="/console/")
    assert Notification.objects.filter(message="新的求助待处理").count() == 2
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["w1@example.org"]
    assert Notification.objects.get(recipient=worker).emailed_at is not None


def test_console_home_lists_unread_notifications(login, station_worker):
    Notification.objects.create(recipient=station_worker, message="请更新服务清单")

    content = login(station_worker).get("/console/").content.decode()

    assert "未读通知" in content
    response = login(station_worker).get("/console/accounts/")
    assert response.status_code == 404


def test_notification_open_marks_read_and_is_private(login, station_worker, sibling_worker):
    note = Notification.objects.create(recipient=station_worker, message="x", url="/console/")

    assert login(sibling_worker).post(f"/accounts/notifications/{note.pk}/").status_code == 404
    response = login(station_worker).post(f"/accounts/notifications/{note.pk}/")

    assert response["Location"] == "/console/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_user_roles(db):
    assert User(role=User.Role.CITY_ADMIN).sees_everything
    assert not User(role=User.Role.DISTRICT_OFFICER).sees_everything


def test_unit_notifications_leave_out_judges_seated_in_the_unit(city, city_admin, judge):
    notification_send_to_unit(unit=city, message="有活动待审核")

    assert Notification.objects.filter(recipient=city_admin).count() == 1
    assert not Notification.objects.filter(recipient=judge).exists()


@pytest.mark.django_db(transaction=True)
def test_periodic_run_retries_an_email_that_failed(station, settings):
    import datetime
    from io import StringIO

    from django.utils import timezone

    worker = UserFactory(username="w1", unit=station, email="w1@example.org")
    settings.EMAIL_BACKEND = "tests.accounts.failing_email.Backend"
    notification_send_to_unit(unit=station, message="新的求助待处理")
    call_command("db_worker", "--batch", verbosity=0)
    note = Notification.objects.get(recipient=worker)
    assert note.emailed_at is None  # the mail server refused; the inbox entry stays

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = (timezone.now() + datetime.timedelta(minutes=20)).isoformat()
    out = StringIO()
    call_command("run_periodic", "--now", later, stdout=out)
    call_command("db_worker", "--batch", verbosity=0)

    assert "notification e-mails queued again: 1" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["w1@example.org"]]
    note.refresh_from_db()
    assert note.emailed_at is not None
