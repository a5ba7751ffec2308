"""The ledger's long work, run by the task worker as jobs (``shegong.jobs``)."""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from shegong.jobs.services import JobOutput, JobRefused

from . import excel, selectors

EXPORT_NAME = "activities.xlsx"


def ledger_export_job(job, progress, workdir) -> JobOutput:
    """The 台账 as filtered on screen when the job was asked for (``params["query"]``), as its
    owner may see it now."""
    f = selectors.LedgerFilter.from_query(QueryDict(job.params.get("query", "")))
    qs = selectors.activity_ledger(job.owner, f)
    progress.total(qs.count())
    path = workdir / EXPORT_NAME
    book = excel.ledger_write(
        qs, path, on_chunk=progress.advance, rows_per_sheet=job.params.get("rows_per_sheet")
    )
    message = f"共导出 {book.rows} 条活动。{excel.sheets_note(book.sheets)}"
    return JobOutput(path=path, name=EXPORT_NAME, message=message)


def ledger_import_job(job, progress, workdir) -> JobOutput:
    """The uploaded 台账 (``job.source``), all or nothing, through ``excel.ledger_import``."""
    from shegong.campaigns.models import Campaign

    campaign_id = job.params.get("campaign")
    campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None
    ledger = reverse("activities:activity_list")
    with job.source.open("rb") as source:
        try:
            report = excel.ledger_import(
                actor=job.owner,
                source=source,
                campaign=campaign,
                on_progress=progress,
            )
        except ValidationError as error:
            raise JobRefused(
                "未导入：" + "；".join(error.messages),
                report={"link": [reverse("activities:activity_import"), "重新上传"]},
            ) from error
    if not report.ok:
        raise JobRefused(
            f"未导入：共 {report.rows} 行，发现 {len(report.errors)} 处错误，"
            "整份文件一条也没有导入。请改好后重新上传。",
            report={
                "rows": report.rows,
                "error_count": len(report.errors),
                "hidden": report.hidden_errors,
                "errors": [[e.row, e.column, e.reason] for e in report.shown_errors],
                "link": [reverse("activities:activity_import"), "重新上传"],
            },
        )
    repeated = (
        f"{report.repeated} 行与您刚刚登记的活动相同，未重复导入。" if report.repeated else ""
    )
    return JobOutput(
        message=f"已导入 {report.created} 条活动（草稿）。{repeated}",
        report={"link": [ledger + "?status=draft", "到活动台账查看"]},
    )
