"""Photos and videos of activities: upload (EXIF stripped), consent for minors."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shegong.core.audit import audit_record

from .. import rules
from ..models import (
    Activity,
    ActivityMedia,
)
from ..uploads import upload_clean
from ._base import _refuse

# --- photos and videos ---------------------------------------------------------------------


@transaction.atomic
def media_add(
    *,
    actor,
    activity: Activity,
    upload,
    caption: str = "",
    shows_minors: bool = False,
    photo_max_bytes: int | None = None,
    is_demo: bool = False,
) -> ActivityMedia:
    """Check and clean an uploaded photo or video and attach it (until the activity is
    approved). Only the cleaned copy is stored; capture time and place go into the record.
    Side effects: audit entry."""
    if not rules.can_change_media(actor, activity):
        _refuse("只有本单位人员可以上传照片和视频。")
    if not rules.can_add_media(actor, activity):
        _refuse(
            f"活动{activity.get_status_display()}，不能再增加照片和视频："
            "审核通过的内容才能公开使用，审核后补充的文件未经审核。"
        )
    kwargs = {"photo_max_bytes": photo_max_bytes} if photo_max_bytes else {}
    clean = upload_clean(upload, **kwargs)
    media = ActivityMedia(
        activity=activity,
        kind=clean.kind,
        content_type=clean.content_type,
        caption=caption,
        original_name=getattr(upload, "name", "")[:200],
        width=clean.width,
        height=clean.height,
        captured_at=clean.captured_at,
        latitude=clean.latitude,
        longitude=clean.longitude,
        shows_minors=shows_minors,
        is_demo=is_demo,
    )
    media.file.save(f"f{clean.extension}", ContentFile(clean.data), save=False)
    if clean.thumbnail:
        media.thumbnail.save("t.jpg", ContentFile(clean.thumbnail), save=False)
    media.save()
    audit_record(
        actor=actor,
        action="activity.media_add",
        target=activity,
        changes={"media": [None, media.original_name], "shows_minors": [None, shows_minors]},
        scope_path=activity.unit.path,
    )
    return media


@transaction.atomic
def media_record_consent(
    *, actor, media: ActivityMedia, note: str, now: datetime.datetime | None = None
) -> ActivityMedia:
    """Record the guardians' consent for a photo that shows minors, which lets it be used in
    public once its activity is approved. Side effects: audit entry."""
    if not rules.can_change_media(actor, media.activity):
        _refuse("只有本单位人员可以登记监护人同意。")
    if not note.strip():
        _refuse("请写明同意书的情况（如：已取得 3 名儿童监护人的书面同意）。")
    media.consent_recorded_at = now or timezone.now()
    media.consent_note = note.strip()[:200]
    media.save(update_fields=["consent_recorded_at", "consent_note", "updated_at"])
    audit_record(
        actor=actor,
        action="activity.media_consent",
        target=media.activity,
        changes={"consent_note": [None, media.consent_note]},
        scope_path=media.activity.unit.path,
    )
    return media


@transaction.atomic
def media_set_minors(*, actor, media: ActivityMedia, shows_minors: bool) -> ActivityMedia:
    """Mark whether a photo shows minors: the unit either way, its reviewing unit only to
    mark it (which keeps it from public use until consent). Side effects: audit entry."""
    if shows_minors and not rules.can_flag_minors(actor, media.activity):
        _refuse("只有本单位或审核单位可以标记照片中有未成年人。")
    if not shows_minors and not rules.can_change_media(actor, media.activity):
        _refuse("只有本单位人员可以修改照片信息。")
    media.shows_minors = shows_minors
    media.save(update_fields=["shows_minors", "updated_at"])
    audit_record(
        actor=actor,
        action="activity.media_minors",
        target=media.activity,
        changes={"shows_minors": [not shows_minors, shows_minors]},
        scope_path=media.activity.unit.path,
    )
    return media
