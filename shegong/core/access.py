"""Access helpers: 404 for what a user may not see, 403 for what they may see but not change."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset, **lookup):
    """Fetch one object from a queryset already narrowed by ``visible_to(user)``."""
    return get_object_or_404(queryset, **lookup)


def require(allowed: bool, message: str = "") -> None:
    """Raise 403 unless ``allowed``; call it after the object was fetched as visible.

    ``message`` (Chinese, for the person refused) replaces the 403 page's general wording when
    the view knows why, e.g. "只有承办单位及其区局可以处理这条求助。"."""
    if not allowed:
        raise PermissionDenied(message)
