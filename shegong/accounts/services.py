import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from shegong.core.audit import audit_record

from .models import Notification, User


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    unit,
    display_name: str = "",
    email: str = "",
    is_demo: bool = False,
) -> User:
    """Create a staff account in a unit. Side effects: an audit entry."""
    user = User(
        username=username,
        role=role,
        unit=unit,
        display_name=display_name,
        email=email,
        is_demo=is_demo,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        changes={"role": [None, role], "unit": [None, str(unit) if unit else None]},
        scope_path=unit.path if unit else "",
    )
    return user


def notification_send(*, recipients, message: str, url: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox, then email them through the task queue.

    The inbox rows are written first and committed with the caller's transaction; the email
    task runs only after commit, so a failing mail server never loses a notification.
    """
    from .tasks import notification_email

    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, message=message, url=url) for user in recipients]
    )
    ids = [n.pk for n in notifications if n.recipient.email]
    if ids:
        transaction.on_commit(lambda: [notification_email.enqueue(pk) for pk in ids])
    return notifications


def notification_send_to_unit(*, unit, message: str, url: str = "") -> list[Notification]:
    """Notify the unit's staff who act on its work; judges seated in a unit are left out."""
    recipients = list(User.objects.filter(unit=unit, is_active=True).exclude(role=User.Role.JUDGE))
    return notification_send(recipients=recipients, message=message, url=url)


def notification_deliver_email(*, notification_id: int) -> bool:
    """Email one notification once. Returns False when there is nothing to send."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at or not notification.recipient.email:
        return False
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
    send_mail(
        subject=f"[社工宣传平台] {notification.message[:60]}",
        message=f"{notification.message}\n\n{link}".strip(),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=user, read_at=None).update(
        read_at=timezone.now()
    )


EMAIL_RETRY_AFTER = datetime.timedelta(minutes=15)
EMAIL_GIVE_UP_AFTER = datetime.timedelta(days=2)


def notification_retry_emails(*, now) -> int:
    """Queue again the e-mails of notifications that have waited too long to be sent.

    A failed send leaves ``emailed_at`` empty (the inbox entry is there regardless); this
    retries for two days. Returns how many were queued.
    """
    from .tasks import notification_email

    pending = list(
        Notification.objects.filter(
            emailed_at=None,
            created_at__lte=now - EMAIL_RETRY_AFTER,
            created_at__gte=now - EMAIL_GIVE_UP_AFTER,
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    for pk in pending:
        notification_email.enqueue(pk)
    return len(pending)


def _typed_name(username: str) -> str:
    return (username or "").replace("\x00", "")[:150]


@transaction.atomic
def login_record_failure(*, username: str, address: str, locked_before: bool):
    """A sign-in was refused (wrong password, unknown name, or already locked out).

    Side effects: counts the failure against the name and the address (``throttle``), which may
    lock them; an audit entry ``login.failed`` or ``login.locked`` naming what was typed, the
    address and, when the name is an account, that account (so its district sees it).
    """
    from .throttle import login_failure_count

    now = timezone.now()
    locked_until = None
    if not locked_before:
        locked_until = login_failure_count(username=username, address=address, now=now)
    user = User.objects.select_related("unit").filter(username=_typed_name(username)).first()
    audit_record(
        actor=None,
        action="login.locked" if locked_before else "login.failed",
        target=user,
        changes={
            "username": _typed_name(username),
            "address": address,
            **({"locked_until": locked_until.isoformat()} if locked_until else {}),
        },
        scope_path=user.unit.path if user and user.unit_id else "",
    )
    return locked_until


@transaction.atomic
def login_record_success(*, user: User, address: str) -> None:
    """A staff member signed in. Side effects: clears the account's failure count; an audit
    entry ``login.succeeded`` with the address."""
    from .throttle import login_success_clear

    login_success_clear(username=user.get_username())
    audit_record(
        actor=user,
        action="login.succeeded",
        target=user,
        changes={"address": address},
        scope_path=user.unit.path if user.unit_id else "",
    )


def login_record_idle_logout(*, user: User, idle_seconds: int) -> None:
    """A staff member was signed out for inactivity. Side effects: an audit entry."""
    audit_record(
        actor=user,
        action="login.idle_logout",
        target=user,
        changes={"idle_seconds": idle_seconds},
        scope_path=user.unit.path if user.unit_id else "",
    )


def _device_verify(device, token: str) -> str:
    """'ok', 'wrong', or 'throttled' (django-otp slows repeated wrong codes per device)."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return "throttled"
    return "ok" if device.verify_token(token) else "wrong"


@transaction.atomic
def two_factor_enable(*, user: User, device, token: str) -> str:
    """Confirm the authenticator app being set up with a code it shows.

    Side effects: the device is confirmed (sign-in then asks for a code); on success an audit
    entry ``user.two_factor_enabled``. Returns 'ok', 'wrong' or 'throttled'.
    """
    result = _device_verify(device, token)
    if result == "ok":
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=user,
            action="user.two_factor_enabled",
            target=user,
            scope_path=user.unit.path if user.unit_id else "",
        )
    return result


@transaction.atomic
def two_factor_disable(*, user: User, device, token: str) -> str:
    """Remove the authenticator app, proven by a current code.

    Side effects: the device is deleted; an audit entry ``user.two_factor_disabled``. Returns
    'ok', 'wrong' or 'throttled'. Callers refuse this where the second factor is required.
    """
    result = _device_verify(device, token)
    if result == "ok":
        device.delete()
        audit_record(
            actor=user,
            action="user.two_factor_disabled",
            target=user,
            scope_path=user.unit.path if user.unit_id else "",
        )
    return result


@transaction.atomic
def two_factor_check(*, user: User, device, token: str, address: str) -> str:
    """Check the code typed at sign-in. Side effects: an audit entry
    ``login.second_factor`` or ``login.second_factor_failed``. Returns 'ok', 'wrong' or
    'throttled'."""
    result = _device_verify(device, token)
    audit_record(
        actor=user,
        action="login.second_factor" if result == "ok" else "login.second_factor_failed",
        target=user,
        changes={"address": address, **({} if result == "ok" else {"result": result})},
        scope_path=user.unit.path if user.unit_id else "",
    )
    return result
