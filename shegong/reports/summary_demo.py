"""Demo summaries of Haikou 2023 (`seed_demo`, docs/contracts.md), so every state of 总结报送 shows:
秀英区 accepted, 龙华区 returned and resubmitted, 琼山区 submitted late, 桂林洋 a saved draft
not yet submitted, 美兰区 nothing at all. A second run finds them and changes nothing."""

import datetime

from django.utils import timezone

from shegong.accounts.models import User
from shegong.orgs.models import Unit

from . import services
from .models import ReportingPlan, Summary


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(demo: dict) -> None:
    campaign = demo.get("campaign")
    if campaign is None:
        return
    ReportingPlan.objects.get_or_create(
        campaign=campaign, defaults={"city_report_to": "海南省民政厅"}
    )
    services.reporting_duties_ensure(campaign=campaign)
    if Summary.objects.filter(campaign=campaign).exists():
        return
    admin = User.objects.filter(username="city.admin").first()
    deadline = campaign.summary_deadline
    made = []

    def officer(code):
        return User.objects.filter(username=f"district.{code}").first()

    def write(code: str, number: int):
        unit = Unit.objects.filter(code=code).first()
        if unit is None or officer(code) is None:
            return None, None
        summary = services.summary_save(
            actor=officer(code),
            campaign=campaign,
            unit=unit,
            document_number=f"{unit.area_name[0]}民报〔{campaign.year}〕{number}号",
            signer="",
        )
        Summary.objects.filter(pk=summary.pk).update(is_demo=True)
        made.append(unit.name)
        return unit, summary

    unit, summary = write("460105", 3)  # 秀英区: on time, accepted
    if summary is not None:
        services.summary_submit(
            actor=officer("460105"), summary=summary, now=_at(deadline - datetime.timedelta(3), 10)
        )
        services.summary_accept(actor=admin, summary=summary, comment="材料翔实，予以采用。")
    unit, summary = write("460106", 5)  # 龙华区: returned, then resubmitted on time
    if summary is not None:
        services.summary_submit(
            actor=officer("460106"), summary=summary, now=_at(deadline - datetime.timedelta(2), 9)
        )
        services.summary_return(
            actor=admin,
            summary=summary,
            comment="请在“存在问题”中补充名录未及时核实的社工站情况。",
        )
        services.summary_save(
            actor=officer("460106"),
            campaign=campaign,
            unit=unit,
            problems=summary.problems + "\n名录未及时核实的社工站已逐一督促，将于4月底前完成更新。",
        )
        services.summary_submit(actor=officer("460106"), summary=summary, now=_at(deadline, 16))
    unit, summary = write("460107", 2)  # 琼山区: submitted two days late
    if summary is not None:
        services.summary_submit(
            actor=officer("460107"), summary=summary, now=_at(deadline + datetime.timedelta(2), 11)
        )
    write("460108400", 1)  # 桂林洋: a draft saved, not submitted; 美兰区: nothing yet
    if made:
        demo.setdefault("report", []).append(f"工作总结：{'、'.join(made)}")
