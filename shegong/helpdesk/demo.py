"""Demo help requests: a few dozen spread over districts, stations and states.

Phones are fake (1380000xxxx), every row is marked demo, and the run is idempotent: when demo
requests exist nothing is added.
"""

import random
from datetime import timedelta

from django.utils import timezone

from shegong.orgs.models import Unit

from . import services
from .models import HelpRequest

DESCRIPTIONS = [
    ("neighbour", "elderly", "隔壁独居的陈阿婆八十多岁，最近几天没见她出门，想请社工上门看看。"),
    ("self", "elderly", "我今年七十五岁，腿脚不便，想了解助餐和上门助浴服务怎么申请。"),
    ("family", "minor", "孩子放学后没人照看，想问社区有没有课后托管或者陪伴服务。"),
    ("family", "disability", "家里有一位肢体残疾的家人，想咨询残疾人两项补贴和康复服务。"),
    ("self", "family", "家庭经济困难，想咨询临时救助和低保的申请条件。"),
    ("neighbour", "minor", "楼下有个留守儿童经常一个人在外面玩到很晚，希望有人关心一下。"),
    ("other", "other", "想报名参加社工站的志愿者活动，请问怎么联系？"),
    ("family", "elderly", "父亲有老年痴呆，昨天在菜市场附近走失过一次，想了解防走失手环。"),
    ("neighbour", "family", "邻居家经常传出争吵和打人的声音，担心有家暴。"),
]
STATES = [
    HelpRequest.Status.NEW,
    HelpRequest.Status.NEW,
    HelpRequest.Status.ACCEPTED,
    HelpRequest.Status.IN_PROGRESS,
    HelpRequest.Status.CLOSED,
    HelpRequest.Status.CLOSED,
    HelpRequest.Status.REFERRED,
    HelpRequest.Status.REJECTED,
]
NAMES = ["王阿姨", "李先生", "陈女士", "林伯", "黄小姐", "吴先生", "符阿婆", "张女士"]


def seed(demo: dict) -> None:
    report = demo.setdefault("report", [])
    existing = HelpRequest.objects.filter(is_demo=True).count()
    if existing:
        report.append(f"求助：{existing} 条演示求助（已存在）")
        return
    rng = random.Random(2023)  # noqa: S311 — demo data, reproducible
    now = timezone.now()
    areas = list(Unit.objects.filter(level__in=[Unit.Level.DISTRICT, Unit.Level.STATION]))
    users = demo.get("users", {})
    created = []
    for n in range(36):
        area = areas[(n * 7) % len(areas)]
        for_whom, category, description = DESCRIPTIONS[n % len(DESCRIPTIONS)]
        submitted = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 10))
        if n < 3:  # a few fresh and overdue
            submitted = now - timedelta(days=4 + n)
        request = services.helprequest_submit(
            for_whom=for_whom,
            category=category,
            description=description,
            area=area,
            contact_name=NAMES[n % len(NAMES)],
            phone=f"1380000{n:04d}",
            ip=f"demo-{n}",
            now=submitted,
        )
        HelpRequest.objects.filter(pk=request.pk).update(
            is_demo=True, notified_at=submitted, ip_hash=""
        )
        state = HelpRequest.Status.NEW if n < 3 else STATES[n % len(STATES)]
        actor = users.get(
            f"station.{request.unit.code}.1", users.get(f"district.{request.unit.code}")
        )
        _advance(request, state, actor, submitted)
        created.append(request)
    report.append(f"求助：{len(created)} 条演示求助（电话均为虚构的 1380000xxxx）")


def _advance(request, state, actor, submitted) -> None:
    Status = HelpRequest.Status
    if state == Status.NEW:
        return
    at = submitted + timedelta(hours=3)
    if state == Status.REJECTED:
        services.helprequest_reject(
            actor=actor, request=request, reason=HelpRequest.RejectReason.DUPLICATE,
            note="与此前的求助重复，已合并处理。", now=at,
        )  # fmt: skip
        return
    if state == Status.REFERRED:
        services.helprequest_refer(
            actor=actor, request=request, partner="海口市心连心社会工作服务中心",
            note="已转介专业机构跟进。", now=at,
        )  # fmt: skip
        return
    services.helprequest_accept(
        actor=actor, request=request, note="已受理，社工将电话联系您。", now=at
    )
    if state in (Status.IN_PROGRESS, Status.CLOSED):
        services.helprequest_start(
            actor=actor, request=request, note="社工已上门了解情况。", now=at + timedelta(days=1)
        )
    if state == Status.CLOSED:
        services.helprequest_close(
            actor=actor, request=request, outcome="已链接社区助餐和定期探访服务。",
            now=at + timedelta(days=3),
        )  # fmt: skip
