from django.contrib import admin

from .models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows and never writes: for models whose every write must go through a
    service (validation, recomputed flags, the audit log), which the admin would bypass."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_repr", "scope_path"]
    list_filter = ["action"]
    search_fields = ["target_repr", "action"]
