from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from shegong.core.admin import ReadOnlyAdmin

from .models import Notification, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "unit", "is_active", "is_demo"]
    list_filter = ["role", "is_active", "is_demo"]
    search_fields = ["username", "display_name", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("单位与角色", {"fields": ["role", "unit", "display_name", "phone", "is_demo"]}),
    ]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Read-only: notifications are written by the services that notify (and audit)."""

    list_display = ["created_at", "recipient", "message", "read_at"]
