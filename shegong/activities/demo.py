"""Demo data of the activity ledger: a realistic spread over each demo campaign's days.

Haikou 2023 is closed: every activity was held and reviewed. In the campaign in progress the
days already past hold reviewed activities, the last two days activities awaiting review (and a
few returned), the days to come planned drafts. Everything is marked ``is_demo``; photos are
generated with Pillow and carry a "DEMO" stamp. Bulk inserts keep it to a second or two; a
second run finds each campaign's data and does nothing, except that ``seed_demo
--refresh-live`` moves the campaign in progress's activities with it.
"""

import datetime
import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, Subquery, Value
from django.db.models.functions import Least
from django.utils import timezone
from PIL import Image, ImageDraw

from shegong.accounts.models import User
from shegong.orgs.models import Partner, Unit

from .models import (
    Activity,
    ActivityEvent,
    ActivityMedia,
    BudgetCap,
    Case,
    LiveStream,
    MediaCoverage,
    NewsDraft,
    RiskAssessment,
    Submission,
    codes_join,
)
from .services import budget_recompute

K = Activity.Kind
S = Activity.Status

TITLES = {
    K.ONSITE: [
        "社工宣传周走进{area}社区",
        "“五社联动”服务集市（{area}）",
        "{area}关爱一老一小义诊义剪",
    ],
    K.LIVE_STREAM: ["益播间：{area}社工在身边", "直播带你认识{area}社工站"],
    K.VISIT_SCHOOL: ["社工进校园：{area}小学未成年人保护课堂", "{area}中学心理健康宣讲"],
    K.VISIT_HOSPITAL: ["社工进医院：{area}卫生院张贴服务清单", "医务社工宣传日（{area}）"],
    K.VISIT_INSTITUTION: ["{area}便民服务中心张贴社工站服务流程", "社工走进{area}养老院"],
    K.POSTER: ["{area}社区张贴社工站服务海报", "{area}村委会公示栏更新社工站信息"],
    K.MEDIA_REPORT: ["{area}社工站服务事迹见报", "电视台专访{area}社工"],
    K.PUBLIC_AD: ["{area}户外屏播放社工公益广告"],
    K.SHORT_VIDEO: ["短视频：{area}社工的一天", "短视频：{area}独居老人探访记"],
    K.PROMO_FILM: ["{area}社工站宣传片首映"],
    K.BUS_AD: ["公交车身广告“椰城社工”（{area}线路）"],
    K.OTHER: ["{area}社工知识有奖问答"],
}
KIND_WEIGHTS = {
    K.ONSITE: 24,
    K.LIVE_STREAM: 5,
    K.VISIT_SCHOOL: 10,
    K.VISIT_HOSPITAL: 9,
    K.VISIT_INSTITUTION: 9,
    K.POSTER: 14,
    K.MEDIA_REPORT: 6,
    K.PUBLIC_AD: 4,
    K.SHORT_VIDEO: 8,
    K.PROMO_FILM: 2,
    K.BUS_AD: 3,
    K.OTHER: 6,
}
# Haikou 2023 is over: everything was reviewed.
CLOSED_STATUS_WEIGHTS = {S.APPROVED: 88, S.FEATURED: 12}
# The campaign in progress, days before yesterday: mostly reviewed, some still waiting.
LIVE_PAST_STATUS_WEIGHTS = {S.SUBMITTED: 12, S.RETURNED: 8, S.APPROVED: 72, S.FEATURED: 8}
# Yesterday and today: recorded, mostly awaiting review.
LIVE_RECENT_STATUS_WEIGHTS = {S.DRAFT: 25, S.SUBMITTED: 65, S.RETURNED: 10}
CLOSED_COUNT = 420
LIVE_COUNT = 150
PARTNERS = [
    ("community", "{area}社区居委会"),
    ("social_org", "{area}社区社会组织联合会"),
    ("sw_agency", "海口{area}社会工作服务中心"),
    ("volunteers", "{area}志愿服务队"),
    ("charity", "{area}慈善工作站"),
    ("elderly_care", "{area}颐养中心"),
    ("school", "{area}中心小学"),
    ("hospital", "{area}卫生院"),
]
OUTLETS = [
    ("海南日报", "newspaper"),
    ("海口日报", "newspaper"),
    ("海口广播电视台", "tv"),
    ("南海网", "web"),
    ("海口民政微信公众号", "wechat"),
    ("抖音", "short_video"),
]
SUBMISSION_OUTLETS = ["中国社会工作", "海南民政", "海口日报", "南海网", "社工中国网"]
CASES = [
    ("“五社联动”守护独居老人", "独居高龄老人", "子女在外地，老人独居，行动不便。"),
    ("困境儿童成长陪伴计划", "困境儿童", "父母外出务工，孩子学业落后、情绪低落。"),
    ("社区互助养老小组", "社区老年人", "老人缺少社交，社区活动参与度低。"),
    ("慈善资源链接助学", "低收入家庭学生", "家庭经济困难，面临辍学风险。"),
]
PLACES = ["社区服务中心", "文化广场", "卫生院", "中心小学", "养老院"]
COLORS = ["#2a9d8f", "#e76f51", "#264653", "#f4a261", "#8ab17d", "#b56576", "#457b9d", "#e9c46a"]


def _demo_images(count: int = 8) -> list[tuple[str, str, int, int]]:
    """Generate and store a few demo photos; return (file, thumbnail, width, height)."""
    made = []
    for n in range(count):
        image = Image.new("RGB", (960, 640), COLORS[n % len(COLORS)])
        draw = ImageDraw.Draw(image)
        for k in range(6):
            x, y = 80 + k * 140, 200 + (k * 53 + n * 31) % 260
            draw.ellipse((x, y, x + 110, y + 110), fill="#ffffff" if k % 2 else "#fdf0d5")
        draw.rectangle((0, 0, 960, 90), fill="#b3261e")
        draw.text((30, 25), f"DEMO PHOTO {n + 1}", fill="white", font_size=40)
        names = []
        for side in (960, 400):
            copy = image.copy()
            copy.thumbnail((side, side))
            out = io.BytesIO()
            copy.save(out, "JPEG", quality=80)
            names.append(
                default_storage.save(
                    f"activities/demo-{n + 1}-{side}.jpg", ContentFile(out.getvalue())
                )
            )
        made.append((names[0], names[1], 960, 640))
    return made


def seed(demo: dict) -> None:
    report = demo.setdefault("report", [])
    images: list = []  # made once, on the first campaign that needs them
    for campaign, live in ((demo["campaign"], False), (demo.get("live_campaign"), True)):
        if campaign is None:
            continue
        existing = Activity.objects.filter(is_demo=True, campaign=campaign)
        if existing.exists():
            if live and demo.get("live_shift"):
                _shift(existing, demo["live_shift"])
            report.append(f"活动台账：{campaign} 已有 {existing.count()} 条演示活动")
            continue
        if not images:
            images = _demo_images()
        _seed_campaign(demo, campaign, live=live, images=images)


def _live_status(starts: datetime.datetime, now: datetime.datetime, rng: random.Random) -> str:
    if starts > now:
        return S.DRAFT  # planned
    weights = (
        LIVE_RECENT_STATUS_WEIGHTS
        if starts.date() >= now.date() - datetime.timedelta(days=1)
        else LIVE_PAST_STATUS_WEIGHTS
    )
    return rng.choices(list(weights), list(weights.values()))[0]


def _shift(activities, delta: datetime.timedelta) -> None:
    """Move the demo activities of the campaign in progress, and what hangs on them, by
    ``delta`` (``seed_demo --refresh-live``)."""
    RiskAssessment.objects.filter(activity__in=activities).update(
        approved_at=F("approved_at") + delta
    )
    ActivityEvent.objects.filter(activity__in=activities).update(at=F("at") + delta)
    ActivityMedia.objects.filter(activity__in=activities).update(
        captured_at=F("captured_at") + delta,
        consent_recorded_at=F("consent_recorded_at") + delta,
    )
    LiveStream.objects.filter(activity__in=activities).update(starts_at=F("starts_at") + delta)
    for model, field in ((MediaCoverage, "published_on"), (Submission, "submitted_on")):
        rows = list(model.objects.filter(activity__in=activities))
        for row in rows:
            setattr(row, field, getattr(row, field) + delta)
        model.objects.bulk_update(rows, [field], batch_size=500)
    activities.update(starts_at=F("starts_at") + delta)


def _seed_campaign(demo: dict, campaign, *, live: bool, images: list) -> None:
    report = demo.setdefault("report", [])
    rng = random.Random(2023 + live)  # noqa: S311 — demo data, not security
    now = timezone.localtime(demo.get("now") or timezone.now())
    today = now.date()
    users: dict[str, User] = demo.get("users", {})
    units = list(Unit.objects.exclude(level=Unit.Level.CITY).select_related("parent"))
    stations = [u for u in units if u.level == Unit.Level.STATION]
    districts = [u for u in units if u.level == Unit.Level.DISTRICT]

    partners = []
    if not Partner.objects.filter(is_demo=True).exists():
        partners = Partner.objects.bulk_create(
            [
                Partner(unit=unit, name=name.format(area=unit.area_name), kind=kind, is_demo=True)
                for unit in units
                for kind, name in (PARTNERS if unit.level == Unit.Level.DISTRICT else PARTNERS[:4])
            ],
            ignore_conflicts=True,
        )
    partners_by_unit: dict[int, list[Partner]] = {}
    for partner in Partner.objects.filter(is_demo=True):
        partners_by_unit.setdefault(partner.unit_id, []).append(partner)

    first_day = datetime.datetime.combine(campaign.starts_on, datetime.time(8, 0))
    days = (campaign.ends_on - campaign.starts_on).days + 1
    kinds, kind_weights = zip(*KIND_WEIGHTS.items(), strict=True)
    statuses, status_weights = zip(*CLOSED_STATUS_WEIGHTS.items(), strict=True)
    activities = []
    for n in range(LIVE_COUNT if live else CLOSED_COUNT):
        unit = stations[n % len(stations)] if n % 8 else districts[n % len(districts)]
        kind = rng.choices(kinds, kind_weights)[0]
        day = rng.randrange(days)
        if live and rng.random() < 0.8:  # most of what a ledger holds has already happened
            day = rng.randrange(max(1, min(days, (today - campaign.starts_on).days + 1)))
        starts = timezone.make_aware(
            first_day + datetime.timedelta(days=day, hours=rng.randrange(10))
        )
        if live:
            status = _live_status(starts, now, rng)
        else:
            status = rng.choices(statuses, status_weights)[0]
        participants = rng.randrange(20, 400) if kind == K.ONSITE else rng.randrange(0, 120)
        planned = Decimal(rng.choice([0, 200, 500, 800, 1200, 2000]))
        spent = (
            planned * Decimal(rng.choice(["0.6", "0.8", "0.9", "1.0", "1.0", "1.15"]))
        ).quantize(Decimal("0.01"))
        if starts > now:
            spent = Decimal("0.00")  # not held yet
        focus = rng.sample(["elderly", "children", "five_social", "policy", "achievements"], 2)
        audiences = rng.sample(["practitioners", "service_users", "public"], rng.randrange(1, 3))
        activities.append(
            Activity(
                unit=unit,
                campaign=campaign,
                kind=kind,
                title=rng.choice(TITLES[kind]).format(area=unit.area_name),
                starts_at=starts,
                place=unit.area_name + rng.choice(PLACES),
                audiences=codes_join(audiences),
                focus_tags=codes_join(focus),
                participants=participants,
                volunteers=rng.randrange(0, 30),
                views=rng.randrange(0, 20000) if kind in (K.SHORT_VIDEO, K.PROMO_FILM) else 0,
                live_viewers=rng.randrange(500, 8000) if kind == K.LIVE_STREAM else 0,
                reads=rng.randrange(200, 15000) if kind == K.MEDIA_REPORT else 0,
                budget_planned=planned,
                spend_actual=spent,
                outcome="发放宣传资料，现场解答居民咨询。" if status != S.DRAFT else "",
                held=status in (S.APPROVED, S.FEATURED) and kind != K.ONSITE,
                status=status,
                review_comment="请补充活动照片和参与人数。" if status == S.RETURNED else "",
                created_by=users.get(f"station.{unit.code}.1")
                or users.get(f"district.{unit.code}"),
                is_demo=True,
            )
        )
    activities = Activity.objects.bulk_create(activities, batch_size=500)

    units_by_pk = {unit.pk: unit for unit in units}
    links = []
    risks = []
    events = []
    for activity in activities:
        pool = partners_by_unit.get(activity.unit_id, [])
        for partner in rng.sample(pool, min(len(pool), rng.randrange(0, 3))):
            links.append(Activity.partners.through(activity_id=activity.pk, partner_id=partner.pk))
        if activity.kind == K.ONSITE:
            crowd = activity.participants + rng.randrange(0, 100)
            level = (
                RiskAssessment.Level.HIGH
                if crowd > 400
                else RiskAssessment.Level.MEDIUM
                if crowd > 150
                else RiskAssessment.Level.LOW
            )
            risks.append(
                RiskAssessment(
                    activity=activity,
                    expected_crowd=crowd,
                    venue=rng.choice(["indoor", "outdoor", "street"]),
                    weather="fine",
                    emergency_plan="设置疏散通道，配备急救箱和安保人员。",
                    person_responsible="站长",
                    level=level,
                    approved_at=activity.starts_at - datetime.timedelta(days=1)
                    if level == RiskAssessment.Level.HIGH
                    and activity.status not in (S.SUBMITTED, S.DRAFT)
                    else None,
                )
            )
        path = {
            S.SUBMITTED: [S.SUBMITTED],
            S.RETURNED: [S.SUBMITTED, S.RETURNED],
            S.APPROVED: [S.SUBMITTED, S.APPROVED],
            S.FEATURED: [S.SUBMITTED, S.APPROVED, S.FEATURED],
        }.get(activity.status, [])
        previous = S.DRAFT
        unit = units_by_pk[activity.unit_id]
        reviewer = (
            users.get(f"district.{unit.parent.code}")
            if unit.level == Unit.Level.STATION
            else users.get("city.admin")
        )
        for step in path:
            events.append(
                ActivityEvent(
                    activity=activity,
                    actor=activity.created_by if step == S.SUBMITTED else reviewer,
                    from_status=previous,
                    to_status=step,
                    comment=activity.review_comment if step == S.RETURNED else "",
                )
            )
            previous = step
    Activity.partners.through.objects.bulk_create(links, batch_size=1000)
    RiskAssessment.objects.bulk_create(risks, batch_size=500)
    ActivityEvent.objects.bulk_create(events, batch_size=1000)
    # Submitted a few hours after the activity, reviewed the next day, never after now: two
    # UPDATEs (bulk_create stamps the time of the run).
    starts = Subquery(Activity.objects.filter(pk=OuterRef("activity_id")).values("starts_at")[:1])
    for submitted, hours in ((True, 4), (False, 24)):
        after = ExpressionWrapper(
            starts + datetime.timedelta(hours=hours), output_field=DateTimeField()
        )
        events_of = ActivityEvent.objects.filter(
            activity__campaign=campaign, activity__is_demo=True
        )
        events_of = (
            events_of.filter(to_status=S.SUBMITTED)
            if submitted
            else events_of.exclude(to_status=S.SUBMITTED)
        )
        events_of.update(at=Least(after, Value(now, output_field=DateTimeField())))

    media = []
    pictured: set[int] = set()
    for n, activity in enumerate(a for a in activities if a.status != S.DRAFT):
        if n % 3 and activity.unit_id in pictured:
            continue
        pictured.add(activity.unit_id)
        file, thumb, width, height = images[n % len(images)]
        minors = n % 7 == 0
        media.append(
            ActivityMedia(
                activity=activity,
                kind=ActivityMedia.Kind.PHOTO,
                file=file,
                thumbnail=thumb,
                content_type="image/jpeg",
                caption="演示图片",
                width=width,
                height=height,
                captured_at=activity.starts_at,
                shows_minors=minors,
                consent_recorded_at=activity.starts_at if minors and n % 2 else None,
                consent_note="已取得监护人书面同意（演示）" if minors and n % 2 else "",
                is_demo=True,
            )
        )
    ActivityMedia.objects.bulk_create(media, batch_size=500)

    done = [a for a in activities if a.status in (S.APPROVED, S.FEATURED)]
    coverage = []
    for activity in rng.sample(done, min(len(done), 70)):
        outlet, type_ = rng.choice(OUTLETS)
        coverage.append(
            MediaCoverage(
                unit=activity.unit,
                activity=activity,
                outlet=outlet,
                type=type_,
                title=f"{activity.title}",
                published_on=activity.starts_at.date() + datetime.timedelta(days=1),
                reach=rng.randrange(500, 50000),
                focus_tags=activity.focus_tags,
                is_demo=True,
            )
        )
    MediaCoverage.objects.bulk_create(coverage)
    sub = Submission.Status
    submission_statuses = [sub.SUBMITTED, sub.ADOPTED, sub.PUBLISHED, sub.PUBLISHED, sub.REJECTED]
    submissions = []
    for activity in rng.sample(done, min(len(done), 60)):
        status = rng.choice(submission_statuses)
        submissions.append(
            Submission(
                unit=activity.unit,
                activity=activity,
                outlet=rng.choice(SUBMISSION_OUTLETS),
                title=f"{activity.title}（稿件）",
                submitted_on=activity.starts_at.date(),
                status=status,
                url=f"https://example.org/demo/{activity.pk}" if status == sub.PUBLISHED else "",
                is_demo=True,
            )
        )
    Submission.objects.bulk_create(submissions)
    LiveStream.objects.bulk_create(
        [
            LiveStream(
                unit=a.unit,
                activity=a,
                platform="益播间",
                title=a.title,
                starts_at=a.starts_at,
                peak_viewers=a.live_viewers // 3,
                replay_url=f"https://example.org/replay/{a.pk}",
                is_demo=True,
            )
            for a in activities
            if a.kind == K.LIVE_STREAM and a.status in (S.APPROVED, S.FEATURED)
        ]
    )
    NewsDraft.objects.bulk_create(
        [
            NewsDraft(
                activity=a,
                title=f"{a.title}顺利举办",
                body=f"<p>{a.starts_at:%m月%d日}，{a.unit.name}开展“{a.title}”活动，"
                f"{a.participants}名群众参与。</p>",
                status=NewsDraft.Status.ADOPTED
                if a.status == S.FEATURED
                else NewsDraft.Status.APPROVED,
                adopted_by="海口日报" if a.status == S.FEATURED else "",
            )
            for a in done[:40]
        ]
    )
    cases = []
    for n, unit in enumerate([] if live else stations[:24]):
        title, group, problem = CASES[n % len(CASES)]
        cases.append(
            Case(
                unit=unit,
                kind=Case.Kind.CASE if n % 4 else Case.Kind.EXEMPLAR,
                title=f"{unit.area_name}：{title}",
                beneficiary_group=group,
                problem=problem,
                intervention="社工联合社区、志愿者和慈善资源，制定个案服务计划，定期探访。",
                outcome="服务对象生活状况明显改善，社区支持网络建立。",
                person_name="" if n % 4 else f"{unit.area_name}社工站优秀社工",
                status=Case.Status.PUBLISHED if n % 3 else Case.Status.DRAFT,
                published_at=timezone.make_aware(first_day) if n % 3 else None,
                is_demo=True,
            )
        )
    Case.objects.bulk_create(cases)
    BudgetCap.objects.bulk_create(
        [BudgetCap(unit=unit, campaign=campaign, amount=Decimal("6000")) for unit in stations]
        + [BudgetCap(unit=unit, campaign=campaign, amount=Decimal("20000")) for unit in districts],
        ignore_conflicts=True,
    )
    for unit in units:
        budget_recompute(unit_id=unit.pk, campaign_id=campaign.pk)
    report.append(
        f"活动台账：{campaign} {len(activities)} 条演示活动、{len(media)} 张演示照片、"
        f"{len(coverage)} 条媒体报道、{len(submissions)} 条投稿、{len(cases)} 个案例、"
        f"{len(partners)} 个合作伙伴"
    )
