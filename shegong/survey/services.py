"""Writes on the awareness survey."""

import datetime
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.helpdesk.services import LimitReached, client_hash
from shegong.orgs.models import Unit

from .models import Answer, Survey

# Counted in the database so the limit holds across workers and restarts. A family may answer
# on one phone, so a few answers a day are fine; a script is not.
LIMIT_PER_IP_PER_DAY = getattr(settings, "SURVEY_LIMIT_PER_IP_PER_DAY", 5)
# The same answers from the same address within this window are one answer sent twice.
DUPLICATE_WINDOW = timedelta(minutes=10)


@transaction.atomic
def survey_create(
    *, actor, campaign, slug: str, opens_on: datetime.date, closes_on: datetime.date, is_demo=False
) -> Survey:
    """A campaign's survey at ``/survey/<slug>/``.

    Side effects: an audit entry ``survey.create`` (city scope).
    """
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "停止收集日期不能早于开始收集日期。"})
    if Survey.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"网址标识“{slug}”已被使用，请换一个。"})
    survey = Survey(
        campaign=campaign, slug=slug, opens_on=opens_on, closes_on=closes_on, is_demo=is_demo
    )
    survey.full_clean()
    survey.save()
    audit_record(
        actor=actor,
        action="survey.create",
        target=survey,
        changes={"slug": [None, slug], "opens_on": [None, str(opens_on)]},
        scope_path=campaign.issuer.path,
    )
    return survey


def _district_of(area: Unit) -> Unit:
    if area.level == Unit.Level.STATION:
        return area.parent
    return area


@transaction.atomic
def answer_submit(
    *,
    survey: Survey,
    area: Unit,
    age_group: str,
    knows_social_work: str,
    knows_station: str,
    used_service: str,
    heard_from: list[str],
    ip: str = "",
    now: datetime.datetime | None = None,
    is_demo: bool = False,
) -> Answer:
    """Store one citizen's answers.

    Refused (``ValidationError``) when the survey is not open today, and (``LimitReached``)
    after ``LIMIT_PER_IP_PER_DAY`` answers from one address in a day. The same answers sent
    again from the same address within ``DUPLICATE_WINDOW`` return the answer already stored.
    Side effects: the answer row only; no audit entry (answers are anonymous and numerous).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not survey.is_open(today):
        raise ValidationError(_("这份问卷现在不收集答卷，感谢您的关注。"), code="closed")
    unknown = set(heard_from) - set(Answer.SOURCES)
    if unknown:
        raise ValidationError(_("请从列表中选择您是从哪里了解到社工的。"), code="source")
    fields = {
        "area": area,
        "age_group": age_group,
        "knows_social_work": knows_social_work,
        "knows_station": knows_station,
        "used_service": used_service,
        **{name: name in heard_from for name in Answer.SOURCES},
    }
    ip_hash = client_hash(ip) if ip else ""
    if ip_hash:
        recent = Answer.objects.filter(ip_hash=ip_hash, answered_at__gte=now - timedelta(days=1))
        already = recent.filter(
            survey=survey, answered_at__gte=now - DUPLICATE_WINDOW, **fields
        ).first()
        if already is not None:
            return already
        if recent.count() >= LIMIT_PER_IP_PER_DAY:
            raise LimitReached(
                _("今天从这台设备提交的问卷已达上限（每天 %(n)s 份），感谢您的参与。")
                % {"n": LIMIT_PER_IP_PER_DAY},
                code="ip_limit",
            )
    answer = Answer(
        survey=survey,
        answered_at=now,
        answered_on=today,
        district=_district_of(area),
        ip_hash=ip_hash,
        is_demo=is_demo,
        **fields,
    )
    answer.full_clean(exclude=["ip_hash"])
    answer.save()
    return answer
