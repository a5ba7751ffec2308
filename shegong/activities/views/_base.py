"""Helpers the activities console pages share."""

from django.core.exceptions import ValidationError

from shegong.core.access import require

from .. import rules

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(user) -> None:
    require(rules.is_staff_member(user))


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)
