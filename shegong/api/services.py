"""Writes of the API app: personal access tokens."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.core.audit import audit_record

from .models import ApiToken

TOKEN_PREFIX = "sg_"  # noqa: S105 (a marker that tells a leaked token apart, no secret)
# last_used_at is written at most this often per token: a busy client would otherwise write
# a row on every read.
TOUCH_EVERY = datetime.timedelta(minutes=1)
MAX_LIFETIME = datetime.timedelta(days=5 * 366)


def token_hash(raw: str) -> str:
    """Tokens carry 192 random bits, so a plain SHA-256 cannot be reversed by guessing; a slow
    password hash would cost every API request a second of CPU here."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _scope(user) -> str:
    return user.unit.path if user.unit_id else ""


@transaction.atomic
def apitoken_create(
    *, actor, name: str, expires_on: datetime.date | None = None, now=None
) -> tuple[ApiToken, str]:
    """A new token for ``actor``. Returns the stored row and the token itself, which is never
    stored and must be shown to the user now. Side effects: an audit entry."""
    now = now or timezone.now()
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写令牌名称，如“区局台账表格”。"})
    today = timezone.localdate(now)
    if expires_on is not None and expires_on <= today:
        raise ValidationError({"expires_on": "有效期须晚于今天。"})
    if expires_on is not None and expires_on > today + MAX_LIFETIME:
        raise ValidationError({"expires_on": "有效期最长五年；长期使用的令牌请把有效期留空。"})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(24)
    expires_at = None
    if expires_on is not None:
        # The token works through the whole of its last day, Beijing time.
        expires_at = timezone.make_aware(
            datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
        )
    token = ApiToken.objects.create(
        user=actor,
        name=name[:60],
        prefix=raw[:10],
        token_hash=token_hash(raw),
        created_at=now,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="apitoken.create",
        target=token,
        changes={"name": [None, token.name], "expires_at": [None, str(expires_at or "")]},
        scope_path=_scope(actor),
    )
    return token, raw


@transaction.atomic
def apitoken_revoke(*, actor, token: ApiToken, now=None) -> ApiToken:
    """Revoke one of ``actor``'s own tokens: the API refuses it from now on. Side effects: an
    audit entry. Revoking twice changes nothing."""
    if token.user_id != actor.pk:
        raise ValidationError("只能吊销自己的令牌。")
    if token.revoked_at is not None:
        return token
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="apitoken.revoke",
        target=token,
        changes={"revoked_at": [None, str(token.revoked_at)]},
        scope_path=_scope(actor),
    )
    return token


def apitoken_authenticate(raw: str, *, now=None) -> ApiToken | None:
    """The usable token for ``raw`` (None if unknown, revoked or expired); notes its use, at
    most once a minute so reads stay reads."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.usable(now)
        .select_related("user", "user__unit")
        .filter(token_hash=token_hash(raw))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
