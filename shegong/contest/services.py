"""Writes of the story contest. Each state change is one function with an audit entry.

Entry states (docs/contest.md): submitted → withdrawn | under review → shortlisted | not selected →
awarded (tier) → published. ``TRANSITIONS`` is the whole table; anything else is refused.
"""

import datetime
import secrets
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.models import User
from shegong.accounts.services import notification_send_to_unit
from shegong.activities.services import case_privacy_warnings, coverage_create
from shegong.activities.uploads import upload_clean
from shegong.core.audit import audit_record
from shegong.core.validators import normalise_phone
from shegong.helpdesk.services import LimitReached, client_hash, code_normalise
from shegong.orgs.models import Unit

from . import rules
from .assignment import Candidate, assign
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    AwardTier,
    Call,
    Criterion,
    Entry,
    EntryMedia,
    FollowAttempt,
    Judge,
    MediaPush,
    Review,
    Score,
)

Status = Entry.Status
TRANSITIONS = {
    Status.SUBMITTED: {Status.WITHDRAWN, Status.UNDER_REVIEW},
    Status.UNDER_REVIEW: {Status.SHORTLISTED, Status.NOT_SELECTED},
    Status.SHORTLISTED: {Status.AWARDED, Status.NOT_SELECTED},
    Status.NOT_SELECTED: {Status.SHORTLISTED},
    Status.AWARDED: {Status.PUBLISHED},
    Status.WITHDRAWN: set(),
    Status.PUBLISHED: set(),
}
LIMIT_PER_IP_PER_DAY = getattr(settings, "CONTEST_LIMIT_PER_IP_PER_DAY", 5)
LIMIT_PER_PHONE_PER_DAY = getattr(settings, "CONTEST_LIMIT_PER_PHONE_PER_DAY", 3)
FOLLOW_FAILURES_PER_IP_PER_HOUR = 10
FOLLOW_FAILURES_PER_CODE_PER_HOUR = 5
MAX_FILES = 6


def _refuse(message: str, code: str = "invalid"):
    raise ValidationError(message, code=code)


def _city_path() -> str:
    city = Unit.objects.filter(level=Unit.Level.CITY).only("path").first()
    return city.path if city else ""


def _scope(entry: Entry) -> str:
    return entry.unit.path if entry.unit_id else _city_path()


def _move(*, actor, entry: Entry, to: str, changes: dict | None = None, action: str) -> None:
    if to not in TRANSITIONS[entry.status]:
        _refuse(
            f"作品当前为“{entry.get_status_display()}”，不能改为“{Status(to).label}”。",
            "transition",
        )
    old = entry.status
    entry.status = to
    entry.save()
    audit_record(
        actor=actor,
        action=action,
        target=entry,
        changes={"status": [old, to], **(changes or {})},
        scope_path=_scope(entry),
    )


# --- the call ------------------------------------------------------------------------------


@transaction.atomic
def call_save(
    *,
    actor,
    campaign,
    call: Call | None = None,
    title: str,
    rules_text: str,
    categories: list[str],
    submission_opens: datetime.datetime,
    submission_closes: datetime.datetime,
    review_opens: datetime.datetime,
    review_closes: datetime.datetime,
    reviews_per_entry: int,
    criteria: list[tuple[str, int]],
    tiers: list[tuple[str, int]],
    is_demo: bool = False,
) -> Call:
    """Create or change a campaign's call (city admin only). Criteria weights must add up to
    100; windows must follow each other. Criteria and tiers are replaced while no review has
    been scored and no award given. Side effects: audit entry."""
    if not rules.can_manage_contest(actor):
        _refuse("只有市局管理员可以设置故事征集。", "forbidden")
    if not criteria:
        _refuse("请至少填写一个评分项。")
    if sum(weight for _, weight in criteria) != 100:
        total = sum(weight for _, weight in criteria)
        _refuse(f"评分项权重合计应为 100%，现在是 {total}%。")
    if not tiers:
        _refuse("请至少填写一个奖项。")
    if not submission_opens < submission_closes <= review_opens < review_closes:
        _refuse("时间顺序不对：应为 征集开始 < 征集截止 ≤ 评审开始 < 评审截止。")
    data = {
        "title": title.strip(),
        "rules": rules_text.strip(),
        "categories": ",".join(categories),
        "submission_opens": submission_opens,
        "submission_closes": submission_closes,
        "review_opens": review_opens,
        "review_closes": review_closes,
        "reviews_per_entry": reviews_per_entry,
    }
    created = call is None
    if created:
        if Call.objects.filter(campaign=campaign).exists():
            _refuse("这个方案已经有故事征集了。")
        call = Call(campaign=campaign, slug=campaign.slug, is_demo=is_demo, **data)
    else:
        for key, value in data.items():
            setattr(call, key, value)
    call.full_clean()
    call.save()
    old_criteria = [(c.name, c.weight) for c in call.criteria.all()]
    old_tiers = [(t.name, t.count) for t in call.tiers.all()]
    if old_criteria != list(criteria):
        if Score.objects.filter(review__entry__call=call).exists():
            _refuse("已有评委打分，不能再修改评分项。")
        call.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(call=call, name=name, weight=weight, position=i)
            for i, (name, weight) in enumerate(criteria)
        )
    if old_tiers != list(tiers):
        if call.entries.exclude(tier=None).exists():
            _refuse("已经评定了奖项，不能再修改奖项设置。")
        call.tiers.all().delete()
        AwardTier.objects.bulk_create(
            AwardTier(call=call, name=name, count=count, position=i)
            for i, (name, count) in enumerate(tiers)
        )
    audit_record(
        actor=actor,
        action="contest.call_create" if created else "contest.call_update",
        target=call,
        changes={"title": [None, call.title], "criteria": [None, len(criteria)]},
        scope_path=_city_path(),
    )
    return call


# --- entries -------------------------------------------------------------------------------


def code_generate(field: str = "code") -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Entry.objects.filter(**{field: code}).exists():
            return code


def _limit_check(*, ip_hash: str, phone: str, now: datetime.datetime) -> None:
    recent = Entry.objects.filter(created_at__gte=now - timedelta(days=1))
    if ip_hash and recent.filter(ip_hash=ip_hash).count() >= LIMIT_PER_IP_PER_DAY:
        raise LimitReached(
            _("今天从这台设备投稿已达上限（每天 %(n)s 件），请明天再来。")
            % {"n": LIMIT_PER_IP_PER_DAY},
            code="ip_limit",
        )
    if recent.filter(phone=phone).count() >= LIMIT_PER_PHONE_PER_DAY:
        raise LimitReached(
            _("这个电话号码今天已投稿 %(n)s 件，请明天再来。") % {"n": LIMIT_PER_PHONE_PER_DAY},
            code="phone_limit",
        )


# What the activity ledger's upload check says (in Chinese, for staff), for citizens in their
# language: by the refusal's code.
UPLOAD_REFUSALS = {
    "empty": gettext_lazy("文件是空的，请重新选择照片或视频。"),
    "heif": gettext_lazy(
        "暂不支持 HEIC/HEIF（苹果手机默认的照片格式）：请在手机相机设置中选择“兼容性最佳”，"
        "或把照片导出为 JPEG 后再上传。"
    ),
    "too_large": gettext_lazy("文件太大：每张照片不能超过 20 MB，每个视频不能超过 100 MB。"),
    "too_many_pixels": gettext_lazy("照片尺寸过大：请上传不超过 5000 万像素的照片。"),
    "not_image": gettext_lazy("无法识别为照片：请上传 JPEG、PNG、WebP 格式的照片或 MP4/MOV 视频。"),
    "unsupported_format": gettext_lazy("不支持这种照片格式：请上传 JPEG、PNG 或 WebP 格式的照片。"),
    "broken": gettext_lazy("文件已损坏或不完整，请重新选择。"),
    "not_video": gettext_lazy("无法识别为视频：请上传手机拍摄的 MP4 或 MOV 视频。"),
}


def _clean_upload(upload):
    try:
        return upload_clean(upload)
    except ValidationError as exc:
        message = UPLOAD_REFUSALS.get(getattr(exc, "code", ""))
        raise ValidationError(message or exc.messages[0], code="file") from exc


def _media_add(*, entry: Entry, upload, shows_minors: bool, consent_note: str, now) -> EntryMedia:
    """Clean an upload exactly as activity photos are (content sniffed, EXIF stripped)."""
    clean = _clean_upload(upload)
    media = EntryMedia(
        entry=entry,
        kind=clean.kind,
        content_type=clean.content_type,
        original_name=getattr(upload, "name", "")[:200],
        width=clean.width,
        height=clean.height,
        shows_minors=shows_minors,
        consent_note=consent_note[:200] if shows_minors and consent_note else "",
        consent_recorded_at=now if shows_minors and consent_note else None,
    )
    media.file.save(f"e{clean.extension}", ContentFile(clean.data), save=False)
    if clean.thumbnail:
        media.thumbnail.save("t.jpg", ContentFile(clean.thumbnail), save=False)
    media.save()
    return media


def _check_entry(*, call: Call, category: str, uploads, now) -> None:
    if not call.accepts_entries(now):
        _refuse(_("本次征集现在不接收投稿。"), "closed")
    if category not in call.category_codes:
        _refuse(_("请选择作品类别。"), "category")
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        _refuse(_("最多上传 %(n)s 个文件。") % {"n": MAX_FILES}, "files")
    if category in ("photo", "video") and not uploads:
        _refuse(
            _("图片故事请至少上传一张照片，短视频请上传视频文件。"),
            "files",
        )


@transaction.atomic
def entry_submit(
    *,
    call: Call,
    author_name: str,
    phone: str,
    title: str,
    category: str,
    text: str,
    uploads=(),
    shows_minors: bool = False,
    area: Unit | None = None,
    ip: str = "",
    now: datetime.datetime | None = None,
) -> Entry:
    """A citizen enters a story (no account). The originality declaration and the consent to
    publish were ticked on the form. Side effects: the entry and its cleaned files, an audit
    entry. Raises ``LimitReached`` past the daily limits, ``ValidationError`` on a bad file
    (nothing is stored then)."""
    now = now or timezone.now()
    phone = normalise_phone(phone)
    _check_entry(call=call, category=category, uploads=uploads, now=now)
    ip_hash = client_hash(ip) if ip else ""
    _limit_check(ip_hash=ip_hash, phone=phone, now=now)
    entry = Entry.objects.create(
        call=call,
        code=code_generate(),
        source=Entry.Source.PUBLIC,
        author_name=author_name.strip(),
        area=area,
        phone=phone,
        phone_last4=phone[-4:],
        title=title.strip(),
        category=category,
        text=text.strip(),
        originality_at=now,
        publish_consent_at=now,
        ip_hash=ip_hash,
    )
    for upload in uploads:
        _media_add(entry=entry, upload=upload, shows_minors=shows_minors, consent_note="", now=now)
    audit_record(
        actor=None,
        action="contest.entry_submit",
        target=entry,
        changes={"category": [None, category], "files": [None, len(list(uploads))]},
        scope_path=_city_path(),
    )
    return entry


@transaction.atomic
def entry_submit_for(
    *,
    actor,
    call: Call,
    author_name: str,
    phone: str,
    consent_note: str,
    title: str,
    category: str,
    text: str,
    uploads=(),
    shows_minors: bool = False,
    minors_consent_note: str = "",
    now: datetime.datetime | None = None,
    is_demo: bool = False,
) -> Entry:
    """A unit's staff enter a story on behalf of a colleague or a service user, with that
    person's consent recorded. The entry belongs to the actor's unit. Side effects: the entry
    and its cleaned files, an audit entry."""
    now = now or timezone.now()
    if not rules.can_enter_for_unit(actor):
        _refuse("只有社工站、区局和市局工作人员可以代为投稿。", "forbidden")
    if not consent_note.strip():
        _refuse("请写明作者本人同意投稿和发布的情况（如：已取得本人书面同意）。")
    _check_entry(call=call, category=category, uploads=uploads, now=now)
    phone = normalise_phone(phone)
    entry = Entry.objects.create(
        call=call,
        code=code_generate(),
        source=Entry.Source.UNIT,
        author_name=author_name.strip(),
        unit=actor.unit,
        area=actor.unit,
        phone=phone,
        phone_last4=phone[-4:],
        entered_by=actor,
        consent_note=consent_note.strip()[:200],
        title=title.strip(),
        category=category,
        text=text.strip(),
        originality_at=now,
        publish_consent_at=now,
        is_demo=is_demo,
    )
    for upload in uploads:
        _media_add(
            entry=entry,
            upload=upload,
            shows_minors=shows_minors,
            consent_note=minors_consent_note,
            now=now,
        )
    audit_record(
        actor=actor,
        action="contest.entry_submit_for",
        target=entry,
        changes={"category": [None, category], "consent_note": [None, entry.consent_note]},
        scope_path=actor.unit.path,
    )
    return entry


def entry_follow(*, code: str, last4: str, ip: str, now=None) -> Entry:
    """Find an entry by its code and the phone's last four digits, counting failures (as
    help-request tracking does). Raises ``LimitReached`` or ``ValidationError``."""
    now = now or timezone.now()
    code = code_normalise(code)[:CODE_LENGTH]
    ip_hash = client_hash(ip)
    failures = FollowAttempt.objects.filter(at__gte=now - timedelta(hours=1), success=False)
    if (
        failures.filter(ip_hash=ip_hash).count() >= FOLLOW_FAILURES_PER_IP_PER_HOUR
        or failures.filter(code=code).count() >= FOLLOW_FAILURES_PER_CODE_PER_HOUR
    ):
        raise LimitReached(_("查询失败次数过多，请一小时后再试。"), code="track_limit")
    entry = (
        Entry.objects.select_related("call", "tier")
        .filter(code=code, phone_last4=last4.strip())
        .first()
        if len(last4.strip()) == 4
        else None
    )
    FollowAttempt.objects.create(at=now, ip_hash=ip_hash, code=code, success=entry is not None)
    if entry is None:
        raise ValidationError(_("查询码或手机号后四位不正确，请核对后再试。"), code="no_match")
    return entry


@transaction.atomic
def entry_withdraw(*, entry: Entry, actor=None, now=None) -> Entry:
    """The author withdraws an entry before the review starts. Side effects: audit entry."""
    now = now or timezone.now()
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != Status.SUBMITTED:
        _refuse(_("评审已经开始，作品不能再撤回。"), "transition")
    _move(actor=actor, entry=entry, to=Status.WITHDRAWN, action="contest.entry_withdraw")
    return entry


@transaction.atomic
def media_record_consent(*, actor, media: EntryMedia, note: str, now=None) -> EntryMedia:
    """Record the guardians' consent for a photo showing minors: only then may it go public.
    Side effects: audit entry."""
    if not rules.can_change_entry(actor, media.entry):
        _refuse("只有作品所属单位或市局可以登记监护人同意。", "forbidden")
    if not note.strip():
        _refuse("请写明同意书的情况（如：已取得 2 名儿童监护人的书面同意）。")
    media.consent_recorded_at = now or timezone.now()
    media.consent_note = note.strip()[:200]
    media.save(update_fields=["consent_recorded_at", "consent_note", "updated_at"])
    audit_record(
        actor=actor,
        action="contest.media_consent",
        target=media.entry,
        changes={"consent_note": [None, media.consent_note]},
        scope_path=_scope(media.entry),
    )
    return media


# --- judges and reviews --------------------------------------------------------------------


def _eligible_entries(call: Call):
    return list(
        call.entries.filter(status=Status.UNDER_REVIEW).select_related(
            "unit__parent", "area__parent"
        )
    )


def _balance(call: Call) -> int:
    """Give every entry under review its share of judges; returns reviews created."""
    judges = dict(Judge.objects.active().filter(call=call).values_list("user_id", "user__unit_id"))
    entries = _eligible_entries(call)
    existing: dict[int, set[int]] = {}
    scored: dict[int, set[int]] = {}
    for entry_id, judge_id, submitted_at in Review.objects.filter(entry__in=entries).values_list(
        "entry_id", "judge_id", "submitted_at"
    ):
        existing.setdefault(entry_id, set()).add(judge_id)
        if submitted_at is not None:
            scored.setdefault(entry_id, set()).add(judge_id)
    plan = assign(
        [Candidate(entry=e.pk, conflicts=frozenset(e.conflict_unit_ids)) for e in entries],
        judges,
        call.reviews_per_entry,
        existing={k: {j for j in v if j in judges} for k, v in existing.items()},
        fixed=scored,
    )
    # Unscored reviews the plan moved elsewhere go; the new ones come.
    for entry_id, judge_ids in existing.items():
        gone = (judge_ids & set(judges)) - plan.get(entry_id, set()) - scored.get(entry_id, set())
        if gone:
            Review.objects.filter(entry_id=entry_id, judge_id__in=gone, submitted_at=None).delete()
    new = [
        Review(entry_id=entry_id, judge_id=judge_id)
        for entry_id, judge_ids in plan.items()
        for judge_id in judge_ids
        if judge_id not in existing.get(entry_id, ())
    ]
    Review.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def judge_add(*, actor, call: Call, user: User) -> Judge:
    """Seat a judge on the call's panel; while reviews run, they take their share of the
    entries not yet fully assigned. Side effects: audit entry."""
    if not rules.can_manage_contest(actor):
        _refuse("只有市局管理员可以设置评委。", "forbidden")
    if not user.is_judge:
        _refuse("只有评委账号可以加入评审组。")
    judge, _created = Judge.objects.get_or_create(call=call, user=user)
    if judge.removed_at:
        judge.removed_at = None
        judge.save(update_fields=["removed_at"])
    if call.entries.filter(status=Status.UNDER_REVIEW).exists():
        _balance(call)
    audit_record(
        actor=actor,
        action="contest.judge_add",
        target=call,
        changes={"judge": [None, user.username]},
        scope_path=_city_path(),
    )
    return judge


@transaction.atomic
def judge_remove(*, actor, call: Call, user: User, now=None) -> int:
    """Take a judge off the panel: their unscored reviews go to the other judges, loads
    balanced again. Returns how many reviews moved. Side effects: audit entry."""
    if not rules.can_manage_contest(actor):
        _refuse("只有市局管理员可以设置评委。", "forbidden")
    judge = Judge.objects.filter(call=call, user=user, removed_at=None).first()
    if judge is None:
        _refuse("该评委不在评审组中。")
    judge.removed_at = now or timezone.now()
    judge.save(update_fields=["removed_at"])
    open_reviews = Review.objects.filter(entry__call=call, judge=user, submitted_at=None)
    moved = open_reviews.count()
    open_reviews.delete()
    _balance(call)
    audit_record(
        actor=actor,
        action="contest.judge_remove",
        target=call,
        changes={"judge": [user.username, None], "reviews_moved": [None, moved]},
        scope_path=_city_path(),
    )
    return moved


@transaction.atomic
def review_start(*, actor, call: Call, now=None) -> int:
    """Close entries and start the review: every submitted entry goes under review and gets
    ``reviews_per_entry`` judges, balanced and free of conflicts. Returns the entries moved.
    Side effects: entries' states, reviews created, an audit entry per entry."""
    now = now or timezone.now()
    if not rules.can_manage_contest(actor):
        _refuse("只有市局管理员可以启动评审。", "forbidden")
    if now < call.submission_closes:
        _refuse("征集尚未截止，不能开始评审。")
    if call.reviews_locked(now):
        _refuse("评审期已经结束。")
    judges = Judge.objects.active().filter(call=call).count()
    if judges < call.reviews_per_entry:
        _refuse(f"评审组只有 {judges} 位评委，每件作品需要 {call.reviews_per_entry} 位。")
    entries = list(call.entries.filter(status=Status.SUBMITTED).select_related("unit"))
    for entry in entries:
        _move(actor=actor, entry=entry, to=Status.UNDER_REVIEW, action="contest.review_start")
    _balance(call)
    return len(entries)


@transaction.atomic
def review_score(
    *, actor, review: Review, scores: dict[int, int], comment: str, now=None
) -> Review:
    """A judge scores an assigned entry on every criterion (0–100) and comments. Scores can
    be changed until the review window closes, then they are locked. Side effects: audit
    entry (without the author: judges work blind)."""
    now = now or timezone.now()
    review = Review.objects.select_related("entry__call").get(pk=review.pk)
    call = review.entry.call
    if review.judge_id != actor.pk:
        _refuse("只能为分配给自己的作品打分。", "forbidden")
    if review.entry.status != Status.UNDER_REVIEW:
        _refuse("这件作品不在评审中。", "transition")
    if now < call.review_opens:
        _refuse("评审尚未开始。", "locked")
    if call.reviews_locked(now):
        _refuse("评审期已结束，评分已锁定。", "locked")
    criteria = list(call.criteria.all())
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        _refuse("请为每个评分项打分：" + "、".join(missing) + "。")
    for c in criteria:
        if not 0 <= scores[c.pk] <= 100:
            _refuse(f"“{c.name}”的得分应在 0 到 100 之间。")
    Score.objects.filter(review=review).delete()
    Score.objects.bulk_create(
        Score(review=review, criterion=c, value=scores[c.pk]) for c in criteria
    )
    total = sum(Decimal(scores[c.pk]) * c.weight for c in criteria) / 100
    review.total = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    review.comment = comment.strip()
    review.submitted_at = now
    review.save()
    audit_record(
        actor=actor,
        action="contest.review_score",
        target=review,
        changes={"total": [None, str(review.total)]},
        scope_path=_city_path(),
    )
    return review


# --- decisions -----------------------------------------------------------------------------


def _require_manager(actor) -> None:
    if not rules.can_manage_contest(actor):
        _refuse("只有市局管理员可以评定结果。", "forbidden")


@transaction.atomic
def entry_decide(*, actor, entry: Entry, shortlisted: bool, now=None) -> Entry:
    """Shortlist an entry, or mark it not selected, once the review window has closed.
    Side effects: audit entry."""
    _require_manager(actor)
    now = now or timezone.now()
    if entry.status == Status.UNDER_REVIEW and not entry.call.reviews_locked(now):
        _refuse("评审期结束后才能确定入围作品。", "locked")
    to = Status.SHORTLISTED if shortlisted else Status.NOT_SELECTED
    if not shortlisted and entry.tier_id:
        entry.tier = None
    _move(actor=actor, entry=entry, to=to, action="contest.entry_decide")
    return entry


@transaction.atomic
def call_shortlist(*, actor, call: Call, count: int, now=None) -> int:
    """Shortlist the ``count`` best-ranked entries under review and mark the others not
    selected (entries tied with the last place are shortlisted too); entries no judge has
    scored yet stay under review. Returns how many were
    shortlisted. Side effects: entries' states, audit entries."""
    from .selectors import call_ranking

    _require_manager(actor)
    now = now or timezone.now()
    if not call.reviews_locked(now):
        _refuse("评审期结束后才能确定入围作品。", "locked")
    rows = [
        row
        for row in call_ranking(call)
        if row.entry.status == Status.UNDER_REVIEW and row.mean is not None
    ]
    cut = rows[count - 1].rank if 0 < count <= len(rows) else None
    shortlisted = 0
    for row in rows:
        keep = cut is None or row.rank <= cut
        if count == 0:
            keep = False
        _move(
            actor=actor,
            entry=row.entry,
            to=Status.SHORTLISTED if keep else Status.NOT_SELECTED,
            action="contest.entry_decide",
        )
        shortlisted += keep
    return shortlisted


@transaction.atomic
def entry_set_tier(*, actor, entry: Entry, tier: AwardTier | None) -> Entry:
    """Propose an award tier for a shortlisted entry, within the tier's count (or clear it).
    Side effects: audit entry."""
    _require_manager(actor)
    if entry.status != Status.SHORTLISTED:
        _refuse("只能为入围作品评定奖项。", "transition")
    if tier is not None:
        if tier.call_id != entry.call_id:
            _refuse("请从本次征集的奖项中选择。")
        taken = Entry.objects.select_for_update().filter(tier=tier).exclude(pk=entry.pk).count()
        if taken >= tier.count:
            _refuse(f"“{tier.name}”名额为 {tier.count} 个，已经评满。", "tier_full")
    old = entry.tier.name if entry.tier_id else None
    entry.tier = tier
    entry.save(update_fields=["tier", "updated_at"])
    audit_record(
        actor=actor,
        action="contest.entry_tier",
        target=entry,
        changes={"tier": [old, tier.name if tier else None]},
        scope_path=_scope(entry),
    )
    return entry


@transaction.atomic
def call_publish_decisions(*, actor, call: Call, now=None) -> int:
    """Publish the decisions in one step: every shortlisted entry with a tier is awarded (a
    certificate code is issued), the units that entered them are notified, and a citizen sees
    the award when following the entry with its code. Returns awards given. Side effects:
    entries' states, notifications, audit entries."""
    _require_manager(actor)
    now = now or timezone.now()
    awarded = list(
        call.entries.filter(status=Status.SHORTLISTED)
        .exclude(tier=None)
        .select_related("tier", "unit")
    )
    if not awarded:
        _refuse("还没有评定奖项的入围作品。")
    for entry in awarded:
        entry.certificate_code = code_generate("certificate_code")
        entry.awarded_at = now
        _move(
            actor=actor,
            entry=entry,
            to=Status.AWARDED,
            action="contest.entry_award",
            changes={"tier": [None, entry.tier.name]},
        )
        if entry.unit_id:
            notification_send_to_unit(
                unit=entry.unit,
                message=f"本单位代报的故事《{entry.title}》获{call.title}{entry.tier.name}。",
                url=reverse("contest:entry_detail", args=[entry.pk]),
            )
    call.decisions_published_at = now
    call.save(update_fields=["decisions_published_at", "updated_at"])
    return len(awarded)


def entry_privacy_warnings(entry: Entry) -> list[str]:
    """The case library's privacy check (names, phones, ID numbers) on the story's words."""
    return case_privacy_warnings(f"{entry.title}\n{entry.text}")


def _slug(entry: Entry) -> str:
    year = entry.call.campaign.starts_on.year
    n = entry.pk
    while True:
        slug = f"{year}-{n:04d}"
        if not Entry.objects.filter(slug=slug).exclude(pk=entry.pk).exists():
            return slug
        n += 10_000


@transaction.atomic
def entry_publish(*, actor, entry: Entry, confirmed: bool = False, now=None) -> Entry:
    """Publish an awarded story at /stories/<slug>/ after the privacy check; when it warns,
    the admin must confirm the text was checked. Photos showing minors without recorded
    consent stay out of the public page. Side effects: audit entry."""
    _require_manager(actor)
    now = now or timezone.now()
    warnings = entry_privacy_warnings(entry)
    if warnings and not confirmed:
        _refuse("发布前请处理以下疑似个人信息，或确认已核实可以公开：" + "；".join(warnings))
    entry.slug = entry.slug or _slug(entry)
    entry.published_at = now
    _move(
        actor=actor,
        entry=entry,
        to=Status.PUBLISHED,
        action="contest.entry_publish",
        changes={"privacy_warnings": [None, len(warnings)]},
    )
    return entry


@transaction.atomic
def entry_schedule(*, actor, entry: Entry, serial_on: datetime.date | None) -> Entry:
    """Set the day a published story runs on the official account. Side effects: audit."""
    _require_manager(actor)
    if entry.status != Status.PUBLISHED:
        _refuse("只有已发布的故事可以排入连载。", "transition")
    old = entry.serial_on
    entry.serial_on = serial_on
    entry.save(update_fields=["serial_on", "updated_at"])
    audit_record(
        actor=actor,
        action="contest.entry_schedule",
        target=entry,
        changes={"serial_on": [str(old) if old else None, str(serial_on) if serial_on else None]},
        scope_path=_scope(entry),
    )
    return entry


@transaction.atomic
def call_schedule(*, actor, call: Call, start: datetime.date, every_days: int = 1) -> int:
    """Plan the serialisation: published stories not yet scheduled run one every
    ``every_days`` days from ``start``, best award first. Returns stories scheduled."""
    _require_manager(actor)
    if every_days < 1:
        _refuse("间隔天数至少为 1。")
    taken = set(call.entries.exclude(serial_on=None).values_list("serial_on", flat=True))
    day = start
    count = 0
    for entry in call.entries.filter(status=Status.PUBLISHED, serial_on=None).order_by(
        "tier__position", "published_at", "pk"
    ):
        while day in taken:
            day += timedelta(days=every_days)
        entry_schedule(actor=actor, entry=entry, serial_on=day)
        taken.add(day)
        count += 1
    return count


@transaction.atomic
def push_record(
    *, actor, entry: Entry, outlet: str, pushed_on: datetime.date, url: str = ""
) -> MediaPush:
    """Record that a published story was pushed to a medium; it also counts as media coverage
    of the city bureau in the activity ledger. Side effects: a media-coverage record, audit."""
    _require_manager(actor)
    if entry.status != Status.PUBLISHED:
        _refuse("只有已发布的故事可以推送媒体。", "transition")
    push = MediaPush(entry=entry, outlet=outlet.strip(), pushed_on=pushed_on, url=url)
    push.full_clean()
    push.save()
    coverage_create(
        actor=actor,
        unit=actor.unit,
        outlet=push.outlet,
        type="wechat" if "公众号" in push.outlet else "web",
        title=f"社工故事：{entry.title}"[:200],
        url=url,
        published_on=pushed_on,
        focus_tags="",
    )
    audit_record(
        actor=actor,
        action="contest.push_record",
        target=entry,
        changes={"outlet": [None, push.outlet]},
        scope_path=_scope(entry),
    )
    return push
