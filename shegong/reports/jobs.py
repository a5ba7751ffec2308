"""Summaries' PDFs, made by the task worker (``shegong.jobs``): LibreOffice takes seconds."""

from django.core.exceptions import ValidationError

from shegong.campaigns.models import Campaign
from shegong.jobs.services import JobOutput
from shegong.orgs.models import Unit, unit_scope_q

from .summary_documents import filename, summary_file, summary_for


def summary_pdf_job(job, progress, workdir) -> JobOutput:
    """A unit's summary (or the city report) as PDF, with the owner's rights at run time."""
    owner = job.owner
    campaign = Campaign.objects.visible_to(owner).filter(pk=job.params.get("campaign")).first()
    unit = (
        Unit.objects.filter(unit_scope_q(owner, field=None))
        .filter(code=job.params.get("unit"))
        .first()
    )
    if campaign is None or unit is None:
        raise ValidationError("这份总结已不存在，或您已无权查看。")
    if unit.level == Unit.Level.CITY and not owner.sees_everything:
        raise ValidationError("只有市局可以导出全市报告。")
    progress.total(1)
    summary = summary_for(campaign, unit)
    try:
        data = summary_file(summary, "pdf")
    except ValueError as error:
        raise ValidationError(str(error)) from error
    name = filename(summary, "pdf")
    path = workdir / name
    path.write_bytes(data)
    progress.advance(1)
    return JobOutput(path=path, name=name, message="PDF 已生成。")
