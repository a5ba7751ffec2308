"""Demo data of the directory: a plausible listing for every station, a brand kit, QR channels.

Everything here is marked ``is_demo``: addresses, phones and staff are invented. Coordinates are
rough points inside each town or street so that "near me" sorts sensibly.
"""

import datetime
import random

from django.utils import timezone

from shegong.orgs.models import Unit

from .models import BrandKit, QrLink, QrScanDay, Service, StaffMember, StationListing
from .services import listing_ensure

# Rough centres (latitude, longitude) of Haikou's towns and streets, by division code.
COORDINATES = {
    "460105001": (20.0171, 110.2836),
    "460105002": (20.0235, 110.3018),
    "460105100": (19.9925, 110.1946),
    "460105101": (20.0183, 110.2412),
    "460105102": (19.9802, 110.2788),
    "460105103": (19.9331, 110.2015),
    "460105104": (19.8726, 110.2437),
    "460105105": (19.8044, 110.1719),
    "460106001": (20.0452, 110.3421),
    "460106002": (20.0356, 110.3190),
    "460106003": (20.0251, 110.3217),
    "460106004": (20.0318, 110.3366),
    "460106005": (20.0203, 110.3322),
    "460106006": (20.0112, 110.3226),
    "460106100": (19.9905, 110.3301),
    "460106101": (19.9214, 110.3012),
    "460106102": (19.8230, 110.3405),
    "460106103": (19.8221, 110.2518),
    "460106104": (19.8512, 110.3317),
    "460107001": (20.0197, 110.3611),
    "460107002": (20.0003, 110.3517),
    "460107003": (20.0114, 110.3722),
    "460107004": (19.9806, 110.3633),
    "460107101": (19.9415, 110.4102),
    "460107102": (19.8326, 110.4417),
    "460107103": (19.7921, 110.5503),
    "460107104": (19.7311, 110.5618),
    "460107105": (19.6512, 110.5401),
    "460107106": (19.6533, 110.4522),
    "460107107": (19.7316, 110.4717),
    "460108001": (20.0311, 110.3509),
    "460108002": (20.0214, 110.3488),
    "460108003": (20.0412, 110.3527),
    "460108004": (20.0603, 110.3318),
    "460108005": (20.0552, 110.3412),
    "460108006": (20.0357, 110.3618),
    "460108007": (20.0296, 110.3557),
    "460108008": (20.0451, 110.3621),
    "460108009": (20.0612, 110.3722),
    "460108101": (19.9904, 110.4633),
    "460108102": (19.9718, 110.5706),
    "460108103": (19.9201, 110.6204),
    "460108104": (19.8307, 110.6311),
    "460108400-1": (20.0312, 110.5502),
}
ROADS_EN = {
    "人民路": "Renmin Road",
    "和平路": "Heping Road",
    "建设路": "Jianshe Road",
    "民生路": "Minsheng Road",
    "振兴路": "Zhenxing Road",
    "文明路": "Wenming Road",
    "椰林路": "Yelin Road",
    "友谊路": "Youyi Road",
}
ROADS = ["人民路", "和平路", "建设路", "民生路", "振兴路", "文明路", "椰林路", "友谊路"]
SURNAMES = "王陈李张林吴黄符郑周邢冯何梁"
GIVEN = ["海燕", "明珠", "晓东", "丽娟", "志强", "春梅", "小芳", "建华", "秀英", "文静", "俊杰"]
SERVICES = [
    (
        "独居高龄老人探访",
        Service.Category.ELDERLY,
        "独居、空巢、高龄老人",
        "社工定期上门探访，了解生活和健康状况，链接助餐、助医、助浴等服务。",
        "本镇（街道）户籍或常住的 70 岁以上独居老人",
        "免费",
        "本人或家属电话预约，或到站登记",
    ),
    (
        "困境儿童关爱",
        Service.Category.CHILDREN,
        "困境儿童、留守儿童及其家庭",
        "课后陪伴、学业辅导、心理疏导，协助落实儿童福利和未成年人保护政策。",
        "本辖区内的困境儿童、留守儿童",
        "免费",
        "家长、学校或村（居）委会转介，也可直接来站",
    ),
    (
        "家庭支持与政策咨询",
        Service.Category.FAMILY,
        "困难家庭、残疾人家庭",
        "解答低保、特困、临时救助等政策，协助准备材料，提供家庭关系调适。",
        "",
        "免费",
        "来站或电话咨询",
    ),
    (
        "社区志愿服务对接",
        Service.Category.COMMUNITY,
        "有意参与志愿服务的居民",
        "“五社联动”对接社区、社会组织和志愿者，组织邻里互助活动。",
        "",
        "免费",
        "到站登记成为志愿者",
    ),
]
# The same services in English (name, target group, description, eligibility, fee, how to apply).
SERVICES_EN = [
    (
        "Visits to older people living alone",
        "Older people living alone or with no family nearby",
        "Social workers visit regularly, check on daily life and health, and arrange meals, "
        "medical and bathing help.",
        "People over 70 living alone who are registered or live in this town or subdistrict",
        "Free",
        "Call or register at the station, yourself or a family member",
    ),
    (
        "Care for children in difficulty",
        "Children in difficulty, children left behind and their families",
        "After-school company, homework help and counselling; help to obtain child welfare and "
        "protection.",
        "Children in difficulty or left behind in this area",
        "Free",
        "Referral by parents, school or neighbourhood committee, or come to the station",
    ),
    (
        "Family support and advice on benefits",
        "Families in difficulty, families with a disabled member",
        "Advice on minimum living allowance, extreme-poverty support and temporary assistance, "
        "help with the paperwork, and family counselling.",
        "",
        "Free",
        "Come to the station or call",
    ),
    (
        "Volunteering in the community",
        "Residents who would like to volunteer",
        "Links residents with the community, social organisations and volunteers (the "
        "five-party approach) for neighbourly help.",
        "",
        "Free",
        "Register as a volunteer at the station",
    ),
]
STEPS_EN = "\n".join(
    [
        "Come to the station, call or ask for help online",
        "A social worker records what you need and replies within one working day",
        "A social worker visits or meets you to assess your needs",
        "A service plan is made and the service provided",
        "Follow-up, then the case is closed or referred",
    ]
)
STEPS = "\n".join(
    [
        "来站、来电或在线求助",
        "社工登记需求，一个工作日内回复",
        "社工上门或约谈，评估需要",
        "制定服务计划并提供服务",
        "回访跟进，结案或转介",
    ]
)
CHANNELS = [
    ("b12hk2", "公交12路车身广告", "/stations/"),
    ("rmyy3a", "市人民医院门诊海报", "/help/"),
    ("xysg7d", "秀英街道社工站门口", "/stations/460105001/"),
    ("sc4brm", "宣传折页（社区发放）", "/"),
]


def _phone(code: str) -> str:
    return f"0898-6{int(code[-6:].replace('-', '0')) % 10000000:07d}"


def _listing_fields(unit: Unit, rng: random.Random, today: datetime.date) -> dict:
    lat, lng = COORDINATES.get(unit.code, (20.03, 110.33))
    place = unit.area_name.split("（", 1)[0].removeprefix("海口")
    stale = rng.random() < 0.15
    district = unit.parent.area_name.split("（", 1)[0].removeprefix("海口") if unit.parent else ""
    road, number = rng.choice(ROADS), rng.randint(1, 199)
    # English area names come with the unit tree (data/haikou-divisions-en.csv).
    place_en = unit.area_name_en.removesuffix(" (Farm)") or "Haikou"
    district_en = (unit.parent.area_name_en if unit.parent else "") or district
    return {
        "name": unit.name,
        "summary": (
            f"{unit.name}由专业社会工作者驻站，为{place}的老年人、儿童、困难家庭提供关爱探访、"
            "政策咨询、心理疏导和资源链接服务，服务免费。（演示数据）"
        ),
        "address": f"海口市{district}{place if place != district else ''}{road}{number}号"
        " 党群服务中心一楼",
        "name_en": f"{place_en} Social Work Station",
        "address_en": f"Ground floor, Community Service Centre, No. {number} {ROADS_EN[road]}, "
        + (f"{place_en}, " if place != district else "")
        + f"{district_en}, Haikou",
        "hours_en": "Mon-Fri 8:30-12:00, 14:30-17:30 (closed on public holidays)",
        "summary_en": (
            f"Professional social workers at this station serve older people, children and "
            f"families in difficulty in {place_en}: home visits, advice on benefits, "
            "counselling and links to other services, free of charge. (Demo data)"
        ),
        "latitude": round(lat + rng.uniform(-0.004, 0.004), 6),
        "longitude": round(lng + rng.uniform(-0.004, 0.004), 6),
        "hours": "周一至周五 8:30-12:00，14:30-17:30（法定节假日除外）",
        "phone": _phone(unit.code),
        "process_steps": STEPS,
        "process_steps_en": STEPS_EN,
        "last_verified_on": today
        - datetime.timedelta(days=rng.randint(100, 200) if stale else rng.randint(1, 60)),
        "is_demo": True,
    }


def seed(demo: dict) -> None:
    today = demo.get("today") or timezone.localdate()
    rng = random.Random(2023)  # noqa: S311 — demo data, reproducible on purpose
    stations = list(Unit.objects.stations().select_related("parent"))
    for unit in stations:
        listing = listing_ensure(unit=unit, is_demo=True)
        fields = _listing_fields(unit, rng, today)
        if listing.services.exists():
            # Keep what was edited since the first seed; fill English added later.
            english = {k: v for k, v in fields.items() if k.endswith("_en")}
            StationListing.objects.filter(pk=listing.pk, name_en="").update(**english)
            continue
        StationListing.objects.filter(pk=listing.pk).update(**fields)
        StaffMember.objects.bulk_create(
            [
                StaffMember(
                    listing=listing,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    role=role,
                    qualification=qualification,
                    position=n,
                )
                for n, (role, qualification) in enumerate(
                    [
                        ("站长", StaffMember.Qualification.SOCIAL_WORKER),
                        ("驻站社工", StaffMember.Qualification.ASSISTANT),
                        ("驻站社工", StaffMember.Qualification.ASSISTANT),
                    ]
                )
            ]
        )
        Service.objects.bulk_create(
            [
                Service(
                    listing=listing,
                    name=name,
                    category=category,
                    target_group=target,
                    description=description,
                    eligibility=eligibility,
                    fee=fee,
                    how_to_apply=apply,
                    position=n,
                    **dict(
                        zip(
                            (
                                "name_en",
                                "target_group_en",
                                "description_en",
                                "eligibility_en",
                                "fee_en",
                                "how_to_apply_en",
                            ),
                            SERVICES_EN[n],
                            strict=True,
                        )
                    ),
                )
                for n, (name, category, target, description, eligibility, fee, apply) in enumerate(
                    SERVICES
                )
            ]
        )

    # Brand kits are the city's to edit: created when missing, never overwritten.
    for campaign in (demo.get("campaign"), demo.get("live_campaign")):
        if campaign is not None:
            BrandKit.objects.get_or_create(
                campaign=campaign,
                defaults={
                    "name": "椰城社工",
                    "slogan": "社工在身边 · 有困难找社工",
                    "primary_color": "#0b6e4f",
                    "accent_color": "#f2b705",
                    "is_demo": True,
                },
            )

    # Scans per day: the days of Haikou 2023 up to its summary deadline (posters still hung),
    # and the last fortnight up to today, so the campaign in progress gets a scan count every
    # day. Days already counted keep their count (the redirect adds real scans to them).
    days = [today - datetime.timedelta(days=back) for back in range(14)]
    closed = demo.get("campaign")
    if closed is not None:
        span = (closed.summary_deadline - closed.starts_on).days + 1
        days += [closed.starts_on + datetime.timedelta(days=k) for k in range(span)]
    city = demo["city"]
    units = {unit.code: unit for unit in stations}
    scans = []
    for n, (code, channel, target) in enumerate(CHANNELS):
        # A station's own code belongs to the station; the city's campaign codes to the city.
        owner = units.get(target.strip("/").rsplit("/", 1)[-1], city)
        link, _ = QrLink.objects.get_or_create(
            code=code,
            defaults={"channel": channel, "target": target, "unit": owner, "is_demo": True},
        )
        scans += [
            QrScanDay(link=link, day=day, count=(37 * (n + 1) + 11 * day.toordinal()) % 90 + 5)
            for day in days
        ]
    QrScanDay.objects.bulk_create(scans, ignore_conflicts=True)
    demo.setdefault("report", []).append(
        f"社工站名录：{len(stations)} 个（演示数据），二维码渠道 {len(CHANNELS)} 个"
    )
