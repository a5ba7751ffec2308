"""The narrative a summary starts from: the five sections written in plain sentences from the
unit's figures and its best records, the way a bureau writes them, for the clerk to edit."""

from shegong.orgs.models import Unit

from .summary_figures import Scope, cases_published, featured_activities, submissions_adopted

CHINESE_NUMBERS = "一二三四五六七八九十"


def area_word(unit: Unit) -> str:
    """全市, 全区, 全街道, 全镇: how a bureau names its own jurisdiction."""
    if unit.level == Unit.Level.CITY:
        return "全市"
    if unit.area_kind == Unit.AreaKind.STREET:
        return "全街道"
    if unit.area_kind == Unit.AreaKind.TOWN:
        return "全镇"
    return "全区"


def period_words(campaign) -> str:
    """3月21日至31日: the year is the summary's own, the month written once."""
    start, end = campaign.starts_on, campaign.ends_on
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.month}月{start.day}日至{end.day}日"
    if start.year == end.year:
        return f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def nested(text: str) -> str:
    """Quotes inside quotes become single quotes: “‘五社联动’服务集市”."""
    return text.replace("“", "‘").replace("”", "’")


def _points(items: list[str]) -> str:
    """一是……。二是……。"""
    return "".join(
        f"{CHINESE_NUMBERS[index]}是{item.rstrip('。')}。" for index, item in enumerate(items)
    )


def draft_sections(unit: Unit, campaign, figures: list[dict]) -> dict[str, str]:
    """The five sections' first draft for ``unit`` from its ``figures`` (summary_figures)."""
    f = {figure["key"]: figure["value"] for figure in figures}
    area = area_word(unit)
    scope = Scope(unit)
    kinds = [
        f"{figure['label'].removeprefix('其中').removesuffix('（场）')}{figure['value']}场"
        for figure in figures
        if figure["key"].startswith("kind_")
    ]
    # 一、工作开展情况
    work = f"{period_words(campaign)}，{area}共开展宣传活动{f['activities']}场"
    if kinds:
        work += f"，其中{'、'.join(kinds)}"
    work += (
        f"；参与群众{f['participants']}人次，参与志愿者{f['volunteers']}人次，"
        f"线上浏览、观看、阅读{f['reach']}次。"
    )
    work += (
        f"面向社会公众的活动{f['audience_public']}场，面向服务对象的活动"
        f"{f['audience_service_users']}场，面向从业人员的活动{f['audience_practitioners']}场。"
    )
    work += f"刊发媒体报道{f['media_reports']}篇，投稿被采用{f['submissions_adopted']}篇。"
    if f["stations"]:
        work += (
            f"{area}{f['stations']}个社工站中，{f['stations_listed']}个社工站的服务名录信息完整"
            "并在近90天内核实，"
        )
    else:
        work += "通过"
    work += f"宣传二维码累计扫码{f['qr_scans']}次。"
    work += f"活动期间收到群众求助{f['help_received']}件，按时首次响应{f['help_in_time']}件。"
    if f.get("stories_entered"):
        work += (
            f"报送社工故事征集作品{f['stories_entered']}篇，"
            f"其中获奖{f.get('stories_awarded', 0)}篇。"
        )

    # 二、主要做法
    kinds_of = {figure["key"]: figure.get("kinds", []) for figure in figures}
    partner_kinds = "、".join(kinds_of.get("five_social_partners", []))
    methods = [
        f"聚焦“一老一小”，开展“一老”主题活动{f['elderly']}场、“一小”主题活动{f['children']}场",
        f"推进“五社联动”，开展“五社联动”主题活动{f['five_social_activities']}场，"
        f"{f['five_social_partners']}家“五社”伙伴参与"
        + (f"（{partner_kinds}）" if partner_kinds else ""),
        f"线上线下结合，开展直播{f.get('kind_live_stream', 0)}场、"
        f"进学校{f.get('kind_visit_school', 0)}场、进医院{f.get('kind_visit_hospital', 0)}场、"
        f"进公共机构{f.get('kind_visit_institution', 0)}场，推动社工站服务信息上墙公示",
        f"用好各类媒体，刊发报道{f['media_reports']}篇，向主管部门、媒体和专业平台投稿被采用"
        f"{f['submissions_adopted']}篇",
    ]

    # 三、特色亮点
    highlights = []
    for activity in featured_activities(scope, campaign):
        line = f"“{nested(activity.title)}”"
        if activity.participants:
            line += f"吸引{activity.participants}人次参与"
        if activity.outcome:
            line += f"，{activity.outcome.strip().splitlines()[0].rstrip('。')}"
        highlights.append(f"{line}，被评为优秀案例")
    cases = list(cases_published(scope, campaign).order_by("-published_at", "-id")[:3])
    if cases:
        titles = "、".join(f"“{nested(case.title)}”" for case in cases)
        highlights.append(f"总结提炼{titles}等典型案例和先进典型{f['cases']}个")
    adopted = list(submissions_adopted(scope, campaign).order_by("-submitted_on", "-id")[:3])
    if adopted:
        pieces = "；".join(f"《{s.title}》被{s.outlet}采用" for s in adopted)
        highlights.append(pieces)
    if not highlights:
        highlights.append(f"{area}宣传活动覆盖面广，群众参与度较高")

    # 四、存在问题
    problems = []
    if f["stations"] and f["stations_listed"] < f["stations"]:
        problems.append(
            f"仍有{f['stations'] - f['stations_listed']}个社工站的服务名录信息不完整或超过90天"
            "未核实，群众查找服务不够便利"
        )
    if f["help_received"] > f["help_in_time"]:
        problems.append(f"有{f['help_received'] - f['help_in_time']}件群众求助未在时限内首次响应")
    problems.append("宣传形式还不够丰富，面向从业人员的专业宣传相对较少，宣传的持续性有待加强")

    # 五、下一步打算
    plans = [
        "坚持常态化宣传，把社会工作宣传融入社工站日常服务",
        "持续更新社工站服务名录，确保群众扫码即可找到身边的社工站",
        "深化“五社联动”，挖掘培育更多典型案例和先进典型，讲好社工故事",
    ]
    return {
        "work": work,
        "methods": _points(methods),
        "highlights": _points(highlights),
        "problems": _points(problems),
        "plans": _points(plans),
    }
