"""Demo data of this app, loaded by ``manage.py seed_demo``.

Two campaigns. Haikou's 2023 campaign, every section of 海民发〔2023〕79号
(``/work/shared/seed/haikou-2023-social-work-campaign-notice.txt``, with the scanned text's
half-width punctuation restored to the full-width forms of the original), closed: every unit
finished its tasks on time, on dates in 2023. And a campaign in progress, cloned from 2023 with
``campaign_clone`` and marked as demonstration data in its name and 发文字号, whose period
started ``LIVE_DAYS_BEFORE`` days before the day ``seed_demo`` first ran and ends
``LIVE_DAYS_AFTER`` days after it; ``seed_demo --refresh-live`` moves it to today again.
"""

import datetime
from decimal import Decimal

from shegong.orgs.models import Unit

from .models import Campaign, KpiTarget, Task, TaskProgress
from .services import campaign_clone, campaign_shift, campaign_update, tasks_assign

HAIKOU_2023_SLUG = "haikou-2023"
LIVE_SLUG = "haikou-live-demo"
LIVE_DAYS_BEFORE = 3  # the campaign in progress started this many days before today
LIVE_DAYS_AFTER = 7  # and ends this many days after today
LIVE_MARK = "（演示数据）"

PREAMBLE = (
    "为深入学习贯彻党的二十大精神，宣传社会工作专业优势，展示我市社会工作发展成果，"
    "提升社会工作知晓度，创新“五社联动”机制，更好地发挥乡镇（街道）社工站在未成年人保护和"
    "老年人服务中的重要作用，根据《海南省2023年社会工作主题宣传活动方案》部署要求，"
    "现制定方案如下："
)

GOALS = (
    "以习近平新时代中国特色社会主义思想为指导，以深入学习贯彻党的二十大精神、"
    "谱写新时代新征程社会工作发展新篇章为主线，团结带领广大社会工作者坚持以人民为中心，"
    "秉承专业理念，强化专业能力，进一步激励广大社会工作者发挥优势、联动资源、践行使命，"
    "增进民生福祉，提升社会工作知晓度和美誉度，增强社会工作者职业荣誉感，"
    "推动社会工作深入人心，为建设具有世界影响力的中国特色自由贸易港贡献力量。"
)

REQUIREMENTS = "\n".join(
    [
        "（一）高度重视，精心组织。各区民政局要充分认识社会工作宣传活动的重要性，"
        "动员民政事业单位、社会工作服务机构、未成年人救助保护机构、儿童福利机构、"
        "养老服务机构和广大社会工作者等积极参与主题宣传活动，并联动有关部门、"
        "群团组织共同开展宣传。",
        "（二）紧贴实际，突出实效。各区民政局要针对社会工作从业人员、社会工作服务对象、"
        "社会大众等不同特征，分群体、分类别开展宣传，丰富宣传形式，创新宣传手段，"
        "扩大宣传范围，多渠道开展宣传活动，突出宣传实效，营造人人关心、"
        "支持社会工作发展的良好氛围。",
        "（三）严格管理，做好保障。各区民政局要加强宣传活动的监督管理，"
        "严格执行中央八项规定精神，坚持节俭高效原则，坚决杜绝铺张浪费；"
        "提前做好风险预估和风险防控，选择安全、合理的方式进行宣传。",
    ]
)

CLOSING = "宣传活动结束后要及时做好总结，并于4月10日前将总结材料通过公文系统报送我局。"

END = datetime.date(2023, 3, 31)
SUMMARY = datetime.date(2023, 4, 10)

# (level, paragraph, numbered, title, text, deliverables, due date)
TASKS = [
    (
        Task.Level.CITY,
        1,
        True,
        "加强新闻媒体宣传",
        "加强新闻媒体宣传。发动新闻媒体、宣传媒介和新媒体应用平台，以社会工作助力未成年人保护"
        "和老年人服务、“五社联动”机制创新等为重点，综合使用新闻报道、公益广告、短视频等形式，"
        "广泛宣传社会工作。",
        "新闻报道、公益广告、短视频",
        END,
    ),
    (
        Task.Level.CITY,
        2,
        True,
        "加强社工品牌打造",
        "加强社工品牌打造。启动“椰城社工”品牌打造计划，推出椰城社工专有标识。组织开展"
        "“椰城社工故事”作品征集大赛，获奖作品在公众号连载，并推送相关媒体。制作“椰城社工”"
        "二维码，使用公交车车身广告进行移动宣传，让更多市民了解社工，了解求助方式。"
        "组织拍摄“椰城社工”宣传片。",
        "品牌标识、故事大赛获奖作品、公交车身二维码广告、宣传片",
        END,
    ),
    (
        Task.Level.CITY,
        3,
        True,
        "开展现场主题宣传活动",
        "开展现场主题宣传活动。联动乡镇（街道）社工站、社工服务机构、社区社会组织、"
        "社区志愿服务力量、社区慈善力量，开展机构推介、便民利民活动。通过海口社会组织"
        "“益播间”进行直播，广泛宣传社会工作政策，普及社会工作知识。",
        "现场宣传活动、“益播间”直播",
        END,
    ),
    (
        Task.Level.CITY,
        4,
        True,
        "组织线下场所宣传",
        "组织线下场所宣传。发动各乡镇（街道）社工站、社会工作服务机构到各类事业单位、学校、"
        "医院等场所开展宣传，标明、张贴、悬挂社会工作服务场所名称、服务内容、服务清单、"
        "服务人员、服务流程和联系方式等内容，进一步明确社会工作服务范围，畅通社会工作服务渠道，"
        "规范社会工作服务行为，完善社会工作服务体系。",
        "事业单位、学校、医院等场所的宣传记录",
        END,
    ),
    (
        Task.Level.DISTRICT,
        1,
        False,
        "因地制宜开展特色宣传活动",
        "各区民政局要结合实际，因地制宜，创新开展各具特色的宣传活动。",
        "特色宣传活动记录",
        END,
    ),
    (
        Task.Level.DISTRICT,
        1,
        False,
        "发动媒体全面宣传推广",
        "要发动新闻媒体、宣传媒介和新媒体应用平台，全面、多元进行宣传推广活动。",
        "媒体报道",
        END,
    ),
    (
        Task.Level.DISTRICT,
        1,
        False,
        "深入村（社区）开展“一小一老”服务",
        "深入村（社区），广泛发动社区、社会工作者、社区社会组织、志愿者，链接慈善资源，"
        "开展“一小一老”服务。",
        "村（社区）服务活动记录",
        END,
    ),
    (
        Task.Level.DISTRICT,
        1,
        False,
        "指导机构同步宣传、联动部门群团",
        "组织和指导民政事业单位、未成年人救助保护机构、儿童福利机构、养老服务机构、"
        "乡镇（街道）社工站等同步做好宣传，并联动有关部门、群团组织共同开展宣传，"
        "推动相关领域社会工作发展。",
        "指导和联动宣传记录",
        END,
    ),
    (
        Task.Level.DISTRICT,
        1,
        False,
        "宣传“五社联动”经验做法和典型案例",
        "围绕社会工作基本知识、政策法规、发展成果以及社会工作领域先进典型、"
        "有代表性的服务项目开展宣传，重点宣传“五社联动”助力未成年人保护和老年人服务工作的"
        "经验做法和典型案例。",
        "典型案例、经验做法材料",
        END,
    ),
    (
        Task.Level.STATION,
        1,
        False,
        "张贴服务清单、亮明社工身份",
        "采取在服务站点张贴社工站服务清单、服务流程、服务人员和联系方式、服务二维码等形式，"
        "进一步亮明社会工作者身份，宣传社会工作专业作用。",
        "服务清单、服务流程、人员和联系方式、服务二维码上墙",
        END,
    ),
    (
        Task.Level.STATION,
        1,
        False,
        "拍摄服务图片、撰写新闻稿",
        "拍摄服务图片（或视频），撰写新闻稿，真实记录社工站参与基层社会治理取得的新成就，"
        "展示社工站关爱“一老一小”经验做法，展现模范人物、先进事迹、典型项目（案例）。",
        "服务图片或视频、新闻稿、典型项目（案例）",
        END,
    ),
    (
        Task.Level.STATION,
        1,
        False,
        "向主管部门、媒体和专业公众号投稿",
        "积极向主管部门、新闻媒体、“中国社会工作”等专业公众号投稿，扩大社会工作影响力。",
        "投稿记录及刊发链接",
        END,
    ),
    (
        Task.Level.DISTRICT,
        2,
        False,
        "报送宣传活动总结",
        CLOSING,
        "总结材料（通过公文系统报送）",
        SUMMARY,
    ),
]

# Illustrative targets for the demo: the notice itself sets no figures.
KPI_TARGETS = {
    KpiTarget.Kind.ACTIVITIES: Decimal(120),
    KpiTarget.Kind.PARTICIPANTS: Decimal(10000),
    KpiTarget.Kind.MEDIA_REPORTS: Decimal(40),
    KpiTarget.Kind.STATIONS_LISTED: Decimal(43),
    KpiTarget.Kind.STORIES: Decimal(30),
    KpiTarget.Kind.AWARENESS_RATE: Decimal(60),
}


def seed(*, city: Unit) -> Campaign:
    """Haikou 2023, created when missing; rows already there are left as they are (a person
    may have changed them)."""
    campaign, _ = Campaign.objects.get_or_create(
        slug=HAIKOU_2023_SLUG,
        defaults={
            "name": "海口市2023年社会工作主题宣传活动方案",
            "theme": "推进“五社联动” 关爱“一老一小”",
            "starts_on": datetime.date(2023, 3, 21),
            "ends_on": END,
            "summary_deadline": SUMMARY,
            "issuer": city,
            "issuer_mark": f"{city.name}文件",
            "document_number": "海民发〔2023〕79号",
            "signed_on": datetime.date(2023, 3, 6),
            "recipients": "各区民政局、桂林洋经济开发区社会事业管理科",
            "basis_title": "海南省2023年社会工作主题宣传活动方案",
            "basis_number": "琼办函〔2023〕6号",
            "notice_body": "",
            "disclosure": Campaign.Disclosure.PUBLIC,
            "contact_person": "任菲",
            "contact_phone": "68651227",
            "attachment_style": Campaign.AttachmentStyle.APPENDED,
            "printed_by": city.name,
            "printed_on": datetime.date(2023, 3, 6),
            "preamble": PREAMBLE,
            "goals": GOALS,
            "period_text": "2023年3月21日至31日。",
            "city_heading": "市民政局",
            "district_heading": "各区民政局",
            "station_heading": "乡镇（街道）社工站",
            "requirements": REQUIREMENTS,
            "closing": CLOSING,
        },
    )
    for order, (level, paragraph, numbered, title, text, deliverables, due_on) in enumerate(
        TASKS, start=1
    ):
        Task.objects.get_or_create(
            campaign=campaign,
            order=order,
            defaults={
                "level": level,
                "paragraph": paragraph,
                "numbered": numbered,
                "in_document": text != CLOSING,
                "title": title,
                "text": text,
                "deliverables": deliverables,
                "due_on": due_on,
            },
        )
    for kind, target in KPI_TARGETS.items():
        KpiTarget.objects.get_or_create(campaign=campaign, kind=kind, defaults={"target": target})
    assigned = set(
        TaskProgress.objects.filter(task__campaign=campaign).values_list("pk", flat=True)
    )
    tasks_assign(campaign=campaign)
    _seed_progress_closed(campaign, exclude=assigned)
    return campaign


def _seed_progress_closed(campaign: Campaign, *, exclude: set[int]) -> None:
    """Every unit finished every task on time, a few days before it was due (the same dates on
    every run). Only rows assigned in this run are filled in: a row seen before may have been
    changed by a person since."""
    rows = list(
        TaskProgress.objects.filter(task__campaign=campaign)
        .exclude(pk__in=exclude)
        .select_related("task", "unit")
    )
    for row in rows:
        key = (int(row.unit.division_code[-3:] or 0) * 7 + row.task.order * 3) % 10
        row.status = TaskProgress.Status.DONE
        row.done_on = row.task.due_on - datetime.timedelta(days=key % 5)
        row.note = "已按方案完成。" if key % 3 else "已按方案完成，佐证材料已报送。"
    _save_progress(rows)


def _save_progress(rows: list[TaskProgress]) -> None:
    """One UPDATE per distinct state: a few queries, where bulk_update would build a CASE over
    hundreds of rows."""
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        groups.setdefault((row.status, row.done_on, row.note), []).append(row.pk)
    for (status, done_on, note), ids in groups.items():
        for start in range(0, len(ids), 500):
            TaskProgress.objects.filter(pk__in=ids[start : start + 500]).update(
                status=status, done_on=done_on, note=note
            )


def seed_live(*, source: Campaign, today: datetime.date, refresh: bool = False) -> tuple:
    """The campaign in progress, cloned from ``source`` on the first run.

    Returns ``(campaign, days)``: ``days`` is how far ``refresh`` moved it (0 when it was
    created now or left where it was). Without ``refresh`` an existing campaign is left as it
    is: whatever a person changed in it stays.
    """
    starts_on = today - datetime.timedelta(days=LIVE_DAYS_BEFORE)
    live = Campaign.objects.filter(slug=LIVE_SLUG).first()
    if live is None:
        live = campaign_clone(
            actor=None, source=source, year=max(starts_on.year, source.year + 1), slug=LIVE_SLUG
        )
        campaign_shift(actor=None, campaign=live, days=(starts_on - live.starts_on).days)
        campaign_update(
            actor=None,
            campaign=live,
            name=live.name + LIVE_MARK,
            ends_on=today + datetime.timedelta(days=LIVE_DAYS_AFTER),
            summary_deadline=today + datetime.timedelta(days=LIVE_DAYS_AFTER + 10),
            document_number=f"演示海民发〔{starts_on.year}〕1号",
            signed_on=starts_on - datetime.timedelta(days=15),
            printed_on=starts_on - datetime.timedelta(days=15),
        )
        _seed_live_tasks(live)
        _seed_progress_live(live, today)
        return live, 0
    days = (starts_on - live.starts_on).days if refresh else 0
    if days:
        old_year = live.starts_on.year
        campaign_shift(actor=None, campaign=live, days=days)
        if live.starts_on.year != old_year:
            old, new = f"{old_year}", f"{live.starts_on.year}"
            campaign_update(
                actor=None,
                campaign=live,
                **{
                    name: getattr(live, name).replace(old, new)
                    for name in ("name", "document_number", "basis_title", "preamble")
                },
            )
    return live, days


def _seed_live_tasks(live: Campaign) -> None:
    """The clone keeps 2023's due dates relative to the year; in the demo every task is due
    when the period ends and the summary when summaries are due, one station task sooner."""
    tasks = list(live.tasks.all())
    for task in tasks:
        if task.due_on > live.ends_on:
            task.due_on = live.summary_deadline
        elif task.level == Task.Level.STATION and task.order == min(
            t.order for t in tasks if t.level == Task.Level.STATION
        ):
            task.due_on = live.starts_on + datetime.timedelta(days=LIVE_DAYS_BEFORE + 2)
        else:
            task.due_on = live.ends_on
    Task.objects.bulk_update(tasks, ["due_on"])


def _seed_progress_live(live: Campaign, today: datetime.date) -> None:
    """Units a few days into the campaign: some tasks done (on days already past), some in
    progress, the rest not started; summaries not yet due, so none started."""
    rows = list(TaskProgress.objects.filter(task__campaign=live).select_related("task", "unit"))
    for row in rows:
        key = (int(row.unit.division_code[-3:] or 0) * 7 + row.task.order * 3) % 10
        if row.task.due_on == live.summary_deadline or key >= 7:
            continue
        if key < 3:
            row.status = TaskProgress.Status.DONE
            row.done_on = min(today, live.starts_on + datetime.timedelta(days=key + 1))
            row.note = "已完成，佐证材料已上传。"
        else:
            row.status = TaskProgress.Status.IN_PROGRESS
            row.note = "正在推进，本周内完成。"
    _save_progress(rows)
