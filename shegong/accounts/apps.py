from django.apps import AppConfig
from django.urls import reverse


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self):
        from django.contrib.auth import signals

        from . import signals as receivers

        signals.user_login_failed.connect(receivers.on_login_failed, dispatch_uid="shegong-fail")
        signals.user_logged_in.connect(receivers.on_logged_in, dispatch_uid="shegong-login")

    def console_waiting(self, user):
        from shegong.core.registry import WaitingItem

        from .models import Notification

        unread = Notification.objects.filter(recipient=user, read_at=None).count()
        url = reverse("accounts:notifications") + "?unread=1"
        return [WaitingItem("未读通知", unread, url)]

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        seed(demo)

    def periodic(self, now) -> str:
        from .services import notification_retry_emails
        from .throttle import login_throttle_purge

        return (
            f"notification e-mails queued again: {notification_retry_emails(now=now)}; "
            f"expired login counters deleted: {login_throttle_purge(now=now)}"
        )
