"""Demo data of this app, loaded by ``manage.py seed_demo``: Haikou's 2023 campaign, every
section of 海民发〔2023〕79号 (``/work/shared/seed/haikou-2023-social-work-campaign-notice.txt``),
with the scanned text's half-width punctuation restored to the full-width forms of the original.
"""

import datetime
from decimal import Decimal

from shegong.orgs.models import Unit

from .models import Campaign, KpiTarget, Task, TaskProgress
from .services import tasks_assign

HAIKOU_2023_SLUG = "haikou-2023"

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
    campaign, _ = Campaign.objects.update_or_create(
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
        Task.objects.update_or_create(
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
        KpiTarget.objects.update_or_create(
            campaign=campaign, kind=kind, defaults={"target": target}
        )
    tasks_assign(campaign=campaign)
    _seed_progress(campaign)
    return campaign


def _seed_progress(campaign: Campaign) -> None:
    """A campaign in full swing: a deterministic mix of states, the same on every run."""
    rows = list(TaskProgress.objects.filter(task__campaign=campaign).select_related("task", "unit"))
    for row in rows:
        key = (int(row.unit.division_code[-3:] or 0) * 7 + row.task.order * 3) % 10
        if row.task.due_on == SUMMARY:
            key = 9  # summaries are filed by the reports app, not pretended here
        if key < 5:
            row.status = TaskProgress.Status.DONE
            late = key == 4
            row.done_on = row.task.due_on + datetime.timedelta(days=2 if late else -1 - key)
            row.note = "已按方案完成。" if not late else "因场地协调推迟，已补做完成。"
        elif key < 8:
            row.status, row.done_on, row.note = TaskProgress.Status.IN_PROGRESS, None, "正在推进。"
        else:
            row.status, row.done_on, row.note = TaskProgress.Status.NOT_STARTED, None, ""
    TaskProgress.objects.bulk_update(rows, ["status", "done_on", "note"], batch_size=500)
