"""Typical cases and exemplars, with the privacy checks on their text."""

import datetime
import re

from django.db import transaction
from django.utils import timezone

from shegong.core.audit import audit_record, changed_fields

from .. import rules
from ..models import (
    Activity,
    Case,
)
from ._base import _refuse

Status = Activity.Status


# --- cases and exemplars -------------------------------------------------------------------

# Numbers are matched as people write them: 138 1234 5678, 138-1234-5678, 0898 6865 1227 …
PHONE_RE = re.compile(
    r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)|(?<!\d)0\d{2,3}[ -]?\d{3,4}[ -]?\d{4}(?!\d)"
)
ID_CARD_RE = re.compile(
    r"(?<![\dXx])\d{6}[ -]?(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}[ -]?\d{3}[\dXx](?![\dXx])"
)
# Full-width digits (１３８…) typed with a Chinese input method count as digits; one character
# for one, so positions found in the folded text are the author's own text.
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤符吉云冼"
)
CLIENT_NAME_RE = re.compile(
    rf"(?:案主|服务对象|求助人|受助人|老人|儿童|孩子|患者|居民|学生)[：:，,\s]*([{SURNAMES}][^\W\d某X×*＊_]{{1,2}})"
    rf"|([{SURNAMES}][^\W\d某X×*＊_]{{1,2}})(?:老人|阿姨|大爷|奶奶|爷爷|阿婆|阿公|同学|小朋友)"
)
NOT_NAMES = {"社工", "老人", "孩子", "服务", "居民", "志愿", "社区"}


def case_privacy_warnings(text: str) -> list[str]:
    """What in a case's text looks like a client's personal data. Each warning names the text
    found so the author can remove or mask it (e.g. 王某某, 138****8000)."""
    warnings = []
    folded = text.translate(FULL_WIDTH_DIGITS)
    for match in PHONE_RE.finditer(folded):
        warnings.append(f"疑似电话号码：{text[match.start() : match.end()]}")
    for match in ID_CARD_RE.finditer(folded):
        warnings.append(f"疑似身份证号：{text[match.start() : match.end()]}")
    for match in CLIENT_NAME_RE.finditer(text):
        name = match.group(1) or match.group(2)
        if name[1:] not in NOT_NAMES and name not in NOT_NAMES:
            warnings.append(f"疑似服务对象姓名：{name}（请改为“{name[0]}某某”）")
    return list(dict.fromkeys(warnings))


def case_text(case: Case) -> str:
    return "\n".join(
        [case.title, case.beneficiary_group, case.problem, case.intervention, case.outcome]
    )


@transaction.atomic
def case_save(*, actor, unit, case: Case | None = None, partners=None, **data) -> Case:
    """Create or change a case or exemplar (published ones go back to draft when changed).
    Side effects: audit entry."""
    owner = unit if case is None else case.unit
    if not rules.can_record_for_unit(actor, owner):
        _refuse(f"您不能为{owner.name}登记案例。")
    if case is None:
        case = Case(unit=unit, **data)
        changes = {"title": [None, case.title]}
    else:
        changes = changed_fields(case, data)
        for key, value in data.items():
            setattr(case, key, value)
        if changes and case.status == Case.Status.PUBLISHED:
            case.status, case.published_at = Case.Status.DRAFT, None
    case.full_clean()
    case.save()
    if partners is not None:
        case.partners.set(partners)
    audit_record(
        actor=actor, action="case.save", target=case, changes=changes, scope_path=case.unit.path
    )
    return case


@transaction.atomic
def case_publish(
    *, actor, case: Case, confirmed: bool = False, now: datetime.datetime | None = None
) -> Case:
    """Publish a case after the privacy check: when it warns, the author must confirm the
    text was checked. Side effects: audit entry."""
    if not rules.is_unit_member(actor, case.unit) and not (
        actor.is_authenticated and actor.sees_everything
    ):
        _refuse("只有本单位人员可以发布案例。")
    if case.status == Case.Status.PUBLISHED:
        _refuse("该案例已经发布。")
    warnings = case_privacy_warnings(case_text(case))
    if warnings and not confirmed:
        _refuse("发布前请处理以下疑似个人信息，或确认已核实可以公开：" + "；".join(warnings))
    case.status, case.published_at = Case.Status.PUBLISHED, now or timezone.now()
    case.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="case.publish",
        target=case,
        changes={"privacy_warnings": [None, len(warnings)]},
        scope_path=case.unit.path,
    )
    return case
