"""The campaign's documents that take seconds, made by the task worker (``shegong.jobs``)."""

from django.core.exceptions import ValidationError

from shegong.jobs.services import JobOutput

from . import documents
from .models import Campaign
from .officedoc import PdfUnavailable


def notice_pdf_job(job, progress, workdir) -> JobOutput:
    """The notice's PDF (LibreOffice, 1.5–6 s), kept for the next person as the public page
    keeps it (``documents.notice_pdf_cached``)."""
    campaign = (
        Campaign.objects.visible_to(job.owner)
        .select_related("issuer")
        .filter(pk=job.params.get("campaign"))
        .first()
    )
    if campaign is None:
        raise ValidationError("这项宣传活动已不存在，或您已无权查看。")
    progress.total(1)
    try:
        data = documents.notice_pdf_cached(campaign)
    except PdfUnavailable as error:
        raise ValidationError(f"无法生成 PDF：{error}") from error
    name = documents.notice_filename(campaign, "pdf")
    path = workdir / name
    path.write_bytes(data)
    progress.advance(1)
    return JobOutput(path=path, name=name, message="印发通知的 PDF 已生成。")
