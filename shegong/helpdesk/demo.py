"""Demo help requests of both demo campaigns.

Haikou 2023 is closed: its requests came in during March and April 2023 and were all handled
(closed, referred or rejected as duplicates). The campaign in progress has requests of the last
days in every state: new ones still within their first-response deadline (one urgent),
accepted, in progress, a few already closed. Phones are fake (1380000xxxx, 1380001xxxx), every
row is marked demo, and each campaign is seeded once: when it has demo requests nothing is
added, except that ``seed_demo --refresh-live`` moves the campaign in progress's requests with
it.
"""

import datetime
import random
from datetime import timedelta

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from shegong.orgs.models import Unit

from . import services
from .models import HelpRequest, Note

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
CLOSED_STATES = [
    HelpRequest.Status.CLOSED,
    HelpRequest.Status.CLOSED,
    HelpRequest.Status.REFERRED,
    HelpRequest.Status.CLOSED,
    HelpRequest.Status.CLOSED,
    HelpRequest.Status.REJECTED,
    HelpRequest.Status.CLOSED,
]
# The campaign in progress: (hours before now it came in, description, state reached).
# New ones are less than a day old, so still within the first-response deadline.
LIVE_REQUESTS = [
    (1, 8, HelpRequest.Status.NEW),  # 家暴: urgent
    (3, 0, HelpRequest.Status.NEW),
    (6, 2, HelpRequest.Status.NEW),
    (15, 1, HelpRequest.Status.NEW),
    (9, 3, HelpRequest.Status.ACCEPTED),
    (22, 4, HelpRequest.Status.ACCEPTED),
    (40, 6, HelpRequest.Status.ACCEPTED),
    (28, 5, HelpRequest.Status.IN_PROGRESS),
    (45, 7, HelpRequest.Status.IN_PROGRESS),
    (52, 0, HelpRequest.Status.IN_PROGRESS),
    (66, 2, HelpRequest.Status.IN_PROGRESS),
    (48, 3, HelpRequest.Status.REFERRED),
    (30, 1, HelpRequest.Status.REJECTED),
    (70, 4, HelpRequest.Status.CLOSED),
    (76, 1, HelpRequest.Status.CLOSED),
]
# The station of the README's example login gets a new request and one in progress.
FEATURED_STATION = "460105001"
FEATURED_REQUESTS = (1, 7)
NAMES = ["王阿姨", "李先生", "陈女士", "林伯", "黄小姐", "吴先生", "符阿婆", "张女士"]


def seed(demo: dict) -> None:
    report = demo.setdefault("report", [])
    closed, live = demo["campaign"], demo.get("live_campaign")
    now = demo.get("now") or timezone.now()
    areas = list(
        Unit.objects.filter(level__in=[Unit.Level.DISTRICT, Unit.Level.STATION]).order_by("path")
    )
    rng = random.Random(2023)  # noqa: S311 — demo data, reproducible
    # Haikou 2023: 30 requests between the campaign's first day and a few days after its end.
    first = timezone.make_aware(datetime.datetime.combine(closed.starts_on, datetime.time(8)))
    plan = [
        (
            first + timedelta(days=rng.randint(0, 15), hours=rng.randint(0, 11)),
            n % len(DESCRIPTIONS),
            CLOSED_STATES[n % len(CLOSED_STATES)],
        )
        for n in range(30)
    ]
    _seed_campaign(demo, closed, plan, phone_prefix="1380000", now=now, areas=areas)
    if live is not None:
        plan = [(now - timedelta(hours=h), d, state) for h, d, state in LIVE_REQUESTS]
        featured = next((a for a in areas if a.code == FEATURED_STATION), None)
        _seed_campaign(
            demo,
            live,
            plan,
            phone_prefix="1380001",
            now=now,
            areas=areas,
            featured={n: featured for n in FEATURED_REQUESTS if featured},
        )
    report.append("求助：电话均为虚构的 1380000xxxx、1380001xxxx")


def _seed_campaign(demo, campaign, plan, *, phone_prefix, now, areas, featured=None) -> None:
    report = demo.setdefault("report", [])
    existing = HelpRequest.objects.filter(is_demo=True, campaign=campaign)
    if existing.exists():
        if campaign == demo.get("live_campaign") and demo.get("live_shift"):
            _shift(existing, demo["live_shift"])
        report.append(f"求助：{campaign} 已有 {existing.count()} 条演示求助")
        return
    users = demo.get("users", {})
    for n, (submitted, described, state) in enumerate(plan):
        area = (featured or {}).get(n) or areas[(n * 7) % len(areas)]
        for_whom, category, description = DESCRIPTIONS[described]
        request = services.helprequest_submit(
            for_whom=for_whom,
            category=category,
            description=description,
            area=area,
            contact_name=NAMES[n % len(NAMES)],
            phone=f"{phone_prefix}{n:04d}",
            ip=f"demo-{campaign.pk}-{n}",
            now=submitted,
        )
        # The service files a request under the current campaign; 2023's came in in 2023.
        HelpRequest.objects.filter(pk=request.pk).update(
            is_demo=True, notified_at=submitted, ip_hash="", campaign=campaign
        )
        actor = users.get(
            f"station.{request.unit.code}.1", users.get(f"district.{request.unit.code}")
        )
        _advance(request, state, actor, submitted, now)
    # Last changed when last handled (2023's then, so their contacts are due for purging).
    last_step = Note.objects.filter(request=OuterRef("pk")).order_by("-at").values("at")[:1]
    HelpRequest.objects.filter(is_demo=True, campaign=campaign).update(
        updated_at=Subquery(last_step)
    )
    report.append(f"求助：{campaign} {len(plan)} 条演示求助")


def _shift(requests, delta: datetime.timedelta) -> None:
    """Move the demo requests of the campaign in progress by ``delta`` (--refresh-live)."""
    Note.objects.filter(request__in=requests).update(at=F("at") + delta)
    requests.update(
        created_at=F("created_at") + delta,
        consent_at=F("consent_at") + delta,
        respond_by=F("respond_by") + delta,
        first_response_at=F("first_response_at") + delta,
        escalated_at=F("escalated_at") + delta,
        notified_at=F("notified_at") + delta,
    )


def _advance(request, state, actor, submitted, now) -> None:
    """Handle the request as its unit would have: accepted within hours, visited the next day,
    closed a few days later; steps of a recent request squeezed into the time it has had."""
    Status = HelpRequest.Status
    if state == Status.NEW:
        return
    span = now - submitted
    at, visited, done = (
        submitted + min(limit, span * part)
        for limit, part in ((timedelta(hours=3), 0.1), (timedelta(hours=27), 0.4),
                            (timedelta(hours=75), 0.8))
    )  # fmt: skip
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
            actor=actor, request=request, note="社工已上门了解情况。", now=visited
        )
    if state == Status.CLOSED:
        services.helprequest_close(
            actor=actor, request=request, outcome="已链接社区助餐和定期探访服务。",
            now=done,
        )  # fmt: skip
