"""Helpers every part of the activities services shares."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from ..models import Activity


def _url(activity: Activity) -> str:
    return reverse("activities:activity_detail", args=[activity.pk])


def _refuse(message: str):
    raise ValidationError(message)
