from django.contrib import admin

from shegong.core.admin import ReadOnlyAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "state", "rows_done", "rows_total", "created_at"]
    list_filter = ["state", "kind"]
