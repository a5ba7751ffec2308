"""Demo data of the story contest: Haikou's 2023 call (椰城社工故事) with entries in every
state, a panel of five judges (judge.1 … judge.5) with scores, awards and published stories.

Everything runs through the services with the campaign's own dates as the clock, so the data
is what the platform would hold after the 2023 contest. Authors, phones and stories are
invented. Idempotent: nothing is added when the call exists.
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from shegong.accounts.models import User
from shegong.campaigns.models import Campaign
from shegong.orgs.models import Unit

from . import services
from .models import Call, Entry
from .selectors import call_ranking

CRITERIA = [("真实感人", 40), ("专业体现", 30), ("文字表达", 20), ("传播价值", 10)]
TIERS = [("一等奖", 1), ("二等奖", 2), ("三等奖", 3), ("优秀奖", 6)]
RULES = """一、征集对象：全市社会工作者、社工站工作人员、志愿者、服务对象及关心社会工作的市民。
二、作品类别：文字故事（1000—3000字）、图片故事（6—12张照片配文字）、短视频（3分钟以内）。
三、作品要求：真实记录社会工作者服务“一老一小”、推进“五社联动”的故事；必须原创；服务对象一律使用化名，照片中有未成年人的须取得监护人书面同意。
四、评审方式：每件作品由三位评委匿名评审，按真实感人40%、专业体现30%、文字表达20%、传播价值10%加权计分。
五、奖项设置：一等奖1名、二等奖2名、三等奖3名、优秀奖6名，颁发获奖证书；获奖作品在“椰城社工”公众号连载并推送媒体。"""

COMMENTS = ["故事真实，细节动人。", "专业方法体现充分。", "文字朴实，可再精炼。", "适合传播。"]
JUDGES = [("judge.3", "评委三"), ("judge.4", "评委四"), ("judge.5", "评委五")]

OPENINGS = [
    ("陪王奶奶走过的第三个春天", "written"),
    ("放学后的“四点半课堂”", "written"),
    ("一张照片里的五社联动", "photo"),
    ("海边渔村的敬老饭堂", "photo"),
    ("小宇的新学期", "written"),
    ("社工站里的“时间银行”", "written"),
    ("台风夜的敲门声", "written"),
    ("给独居老人装上“一键呼叫”", "video"),
    ("我和社工学做饭", "written"),
    ("火山石村的晚霞合唱团", "photo"),
    ("从“不开门”到“常来坐”", "written"),
    ("留守儿童的暑假日记", "written"),
    ("社区慈善基金的第一笔善款", "written"),
    ("轮椅上的志愿者", "video"),
    ("重阳节的百家宴", "photo"),
    ("一个社工的一天", "video"),
    ("帮李阿公找回退休金", "written"),
    ("椰林下的亲子运动会", "photo"),
    ("困境儿童的“微心愿”", "written"),
    ("老党员的服务队", "written"),
    ("把政策送到田间地头", "written"),
    ("街坊邻里议事会", "written"),
    ("听障少年的第一次演讲", "video"),
    ("社工站门口的那盏灯", "written"),
    ("陪伴是最长情的告白", "written"),
    ("流动儿童的城市探索", "photo"),
    ("残疾人家庭的就业路", "written"),
    ("夜色里的探访", "written"),
]

PARAGRAPHS = [
    "第一次走进那间老屋时，屋里很暗，王某某奶奶坐在门边，手里攥着一把蒲扇。她的儿女都在外地打工，"
    "老伴前年走了，一个人守着三间瓦房。社工小陈蹲下来，和她拉起家常，从院子里的芒果树聊到年轻时在生产队挑塘泥的日子。",
    "社工站把她列入重点探访对象，每周上门两次。我们联系社区卫生服务站为她测血压，请村里的志愿者帮她修好了漏雨的屋顶，"
    "又链接慈善资源为她装上了防滑扶手和一键呼叫设备。慢慢地，奶奶开始主动给我们打电话，说今天菜园里的豆角熟了。",
    "社会工作讲究“助人自助”。我们没有只做送米送油的事，而是邀请奶奶加入社区的长者互助小组。"
    "她会编竹篮，小组里的老人们跟着她学，后来还在社区义卖会上卖出了三十多只篮子，所得全部捐给了困境儿童。",
    "“五社联动”不是一句口号。社区提供场地，社会组织派来康复师，社工统筹服务计划，志愿者轮流陪伴，"
    "社区慈善基金解决了一部分费用。每一方都出一点力，一位老人的生活就有了明显的变化。",
    "如今，奶奶的房门常常开着。路过的孩子会进去讨一口水喝，邻居也会顺手帮她把晒好的衣服收进来。"
    "她说：“以前觉得日子过一天少一天，现在觉得日子是一天比一天有盼头。”这句话，我们记了很久。",
    "作为一名社工，我常常想，我们到底能为别人做些什么。也许答案就藏在这些小事里：一次耐心的倾听，"
    "一个及时的转介，一份不放弃的坚持。社会工作让陌生人之间重新建立起信任，也让社区变得更温暖。",
]

AUTHORS = [
    "陈海燕",
    "符小梅",
    "吴家明",
    "林秋菊",
    "王志强",
    "黎春花",
    "李国栋",
    "云晓丽",
    "周文斌",
    "邢美玲",
]


def _photo(seed: int) -> SimpleUploadedFile:
    rng = random.Random(seed)  # noqa: S311 — demo picture
    image = Image.new("RGB", (640, 420), (rng.randint(120, 220), rng.randint(150, 220), 200))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 560), rng.randint(0, 340)
        draw.ellipse((x, y, x + 80, y + 80), fill=(250, rng.randint(150, 230), 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(demo: dict) -> None:
    report = demo.setdefault("report", [])
    campaign = demo.get("campaign") or Campaign.objects.filter(slug="haikou-2023").first()
    if campaign is None:
        return
    existing = Call.objects.filter(campaign=campaign).first()
    if existing is not None:
        report.append(f"故事征集：{existing.entries.count()} 件演示作品（已存在）")
        return
    users = demo.get("users", {})
    admin = users.get("city.admin") or User.objects.filter(role=User.Role.CITY_ADMIN).first()
    city = admin.unit
    judges = list(User.objects.filter(username__in=["judge.1", "judge.2"]))
    for username, name in JUDGES:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": User.Role.JUDGE,
                "unit": city,
                "display_name": f"{city.area_name}{name}",
                "is_demo": True,
            },
        )
        if created:  # the demo password, as judge.1 has it
            source = User.objects.filter(username="judge.1").first()
            if source is None:
                user.set_unusable_password()
            else:
                user.password = source.password
            user.save()
        judges.append(user)
    start = campaign.starts_on
    call = services.call_save(
        actor=admin,
        campaign=campaign,
        title="“椰城社工”故事征集活动",
        rules_text=RULES,
        categories=["written", "photo", "video"],
        submission_opens=_at(start),
        submission_closes=_at(start + datetime.timedelta(days=30), 18),
        review_opens=_at(start + datetime.timedelta(days=31), 9),
        review_closes=_at(start + datetime.timedelta(days=45), 18),
        reviews_per_entry=3,
        criteria=CRITERIA,
        tiers=TIERS,
        is_demo=True,
    )
    rng = random.Random(2023)  # noqa: S311 — demo data, reproducible
    stations = list(Unit.objects.filter(level=Unit.Level.STATION).order_by("code"))
    districts = list(Unit.objects.filter(level=Unit.Level.DISTRICT).order_by("code"))
    entries = []
    for n, (title, category) in enumerate(OPENINGS):
        at = _at(start + datetime.timedelta(days=1 + n % 28), 9 + n % 8)
        text = "\n\n".join(PARAGRAPHS[(n + i) % len(PARAGRAPHS)] for i in range(4))
        uploads = [_photo(n * 10 + i) for i in range(2 if category == "photo" else 0)]
        if category == "video":
            uploads = [_photo(n * 10)]  # the demo carries a still in place of a video
            category = "photo" if n % 2 else "written"
        if n % 3 == 0:
            entry = services.entry_submit(
                call=call,
                author_name=AUTHORS[n % len(AUTHORS)],
                phone=f"1390000{n:04d}",
                title=title,
                category=category,
                text=text,
                uploads=uploads,
                area=districts[n % len(districts)],
                ip="",
                now=at,
            )
        else:
            station = stations[(n * 5) % len(stations)]
            worker = User.objects.filter(
                unit=station, role=User.Role.STATION_WORKER, is_active=True
            ).first()
            if worker is None:
                continue
            entry = services.entry_submit_for(
                actor=worker,
                call=call,
                author_name=AUTHORS[n % len(AUTHORS)],
                phone=f"1390000{n:04d}",
                consent_note="已取得作者本人书面同意，同意书存社工站。",
                title=title,
                category=category,
                text=text,
                uploads=uploads,
                shows_minors=n % 4 == 1 and bool(uploads),
                now=at,
                is_demo=True,
            )
        entries.append(entry)
    Entry.objects.filter(pk__in=[e.pk for e in entries]).update(is_demo=True)
    # Two withdrawn by their authors, two that arrived but were never reviewed stay submitted
    # only if the review had not started: here the review starts, so withdraw two first.
    for entry in entries[-2:]:
        services.entry_withdraw(entry=entry)
    for judge in judges:
        services.judge_add(actor=admin, call=call, user=judge)
    services.review_start(actor=admin, call=call, now=call.review_opens)
    criteria = list(call.criteria.all())
    under_review = Entry.objects.filter(call=call, status=Entry.Status.UNDER_REVIEW)
    unreviewed = under_review.order_by("pk").first()  # its judges never scored: stays in review
    for entry in under_review.order_by("pk"):
        quality = rng.randint(55, 92)
        for review in entry.reviews.all():
            if entry == unreviewed or rng.random() < 0.06:
                continue  # a few reviews never done
            scores = {c.pk: max(0, min(100, quality + rng.randint(-8, 8))) for c in criteria}
            services.review_score(
                actor=review.judge,
                review=review,
                scores=scores,
                comment=rng.choice(
                    [
                        "故事真实，细节动人。",
                        "专业方法体现充分。",
                        "文字朴实，可再精炼。",
                        "适合公众号传播。",
                    ]
                ),
                now=call.review_opens + datetime.timedelta(days=3),
            )
    # Two entries that came in on the last day, after the panel had been assigned: submitted.
    for n in range(2):
        services.entry_submit(
            call=call,
            author_name=AUTHORS[n + 3],
            phone=f"1390001{n:04d}",
            title=f"最后一天寄来的故事（{n + 1}）",
            category="written",
            text="\n\n".join(PARAGRAPHS[n : n + 3]),
            now=call.submission_closes - datetime.timedelta(hours=2 - n),
        )
    Entry.objects.filter(call=call).update(is_demo=True)
    after = call.review_closes + datetime.timedelta(days=1)
    services.call_shortlist(actor=admin, call=call, count=14, now=after)
    shortlisted = [
        row.entry for row in call_ranking(call) if row.entry.status == Entry.Status.SHORTLISTED
    ]
    slots = [tier for tier in call.tiers.all() for _ in range(tier.count)]
    for entry, tier in zip(shortlisted, slots, strict=False):
        services.entry_set_tier(actor=admin, entry=entry, tier=tier)
    services.call_publish_decisions(actor=admin, call=call, now=after)
    published = 0
    for entry in Entry.objects.filter(call=call, status=Entry.Status.AWARDED).order_by(
        "tier__position", "pk"
    )[:6]:
        services.entry_publish(
            actor=admin, entry=entry, confirmed=True, now=after + datetime.timedelta(days=1)
        )
        published += 1
    services.call_schedule(
        actor=admin, call=call, start=(after + datetime.timedelta(days=3)).date()
    )
    first = (
        Entry.objects.filter(call=call, status=Entry.Status.PUBLISHED).order_by("serial_on").first()
    )
    if first is not None:
        services.push_record(
            actor=admin,
            entry=first,
            outlet="椰城社工公众号",
            pushed_on=first.serial_on,
            url="https://mp.weixin.qq.com/s/demo-story-1",
        )
    report.append(
        f"故事征集：{len(entries)} 件演示作品，{len(judges)} 位评委（judge.1…judge.5），"
        f"{published} 篇已发布"
    )
