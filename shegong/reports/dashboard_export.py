"""The whole dashboard as an .xlsx workbook: one sheet per table of the page."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font


def _pct(value) -> float | None:
    return None if value is None else float(value)


def _sheet(book, title: str, header: list[str], rows) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column, name in zip(sheet.columns, header, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(10, len(name) * 2 + 2)


def table_header(dashboard) -> list[str]:
    extra = [label for _key, label, _has in dashboard.extra_columns]
    return [
        "单位",
        "已审核活动（场）",
        "参与人次",
        "媒体报道（篇）",
        "投稿（篇）",
        "投稿采用（篇）",
        "求助（件）",
        "已响应",
        "按时响应率（%）",
        "平均响应（小时）",
        "逾期未响应",
        "社工站",
        "名录信息完整",
        "名录 90 天内核实",
        "任务进度（已完成/应完成）",
        "基线知晓率（%）",
        "活动期间知晓率（%）",
        "答卷（基线/活动期间）",
        *extra,
    ]


def table_row(row) -> list:
    f, label, extra = row.figures, row.label, row.extra_cells
    return [
        label,
        f.activities,
        f.participants,
        f.media_reports,
        f.submissions,
        f.submissions_adopted,
        f.help_requests,
        f.help_responded,
        _pct(f.help_on_time_rate),
        _pct(f.help_average_hours),
        f.help_overdue,
        f.stations,
        f.listings_complete,
        f.listings_fresh,
        f"{f.tasks_done}/{f.tasks}",
        _pct(f.awareness.baseline_rate),
        _pct(f.awareness.campaign_rate),
        f"{f.awareness.baseline_answers}/{f.awareness.campaign_answers}",
        *extra,
    ]


def dashboard_xlsx(dashboard) -> bytes:
    book = Workbook()
    book.remove(book.active)
    scope = dashboard.scope_label
    _sheet(
        book,
        "指标",
        ["指标", "目标", "完成", "完成率（%）", "说明"],
        [
            (k.label, float(k.target), _pct(k.actual), k.share, k.note or f"范围：{scope}")
            for k in dashboard.kpis
        ],
    )
    _sheet(
        book,
        "分单位",
        table_header(dashboard),
        [
            *(table_row(row) for row in dashboard.rows),
            table_row(dashboard.total_row),
        ],
    )
    _sheet(
        book,
        "每日" if dashboard.timeline_by == "day" else "每月",
        ["日期", "已审核活动", "参与人次", "求助", "媒体报道", "二维码扫码"],
        [
            (
                p["day"].isoformat(),
                p["activities"],
                p["participants"],
                p["help_requests"],
                p["media_reports"],
                p["qr_scans"],
            )
            for p in dashboard.timeline
        ],
    )
    _sheet(book, "二维码渠道", ["渠道", "扫码次数"], dashboard.qr_channels)
    _sheet(book, "求助响应", ["首次响应用时", "件数"], dashboard.total.help_buckets)
    _sheet(
        book,
        "知晓度",
        ["分组", "基线答卷", "基线知晓率（%）", "活动期间答卷", "活动期间知晓率（%）"],
        [
            *(
                (
                    row.label,
                    row.figures.awareness.baseline_answers,
                    _pct(row.figures.awareness.baseline_rate),
                    row.figures.awareness.campaign_answers,
                    _pct(row.figures.awareness.campaign_rate),
                )
                for row in dashboard.rows
            ),
            *(
                (
                    label,
                    a.baseline_answers,
                    _pct(a.baseline_rate),
                    a.campaign_answers,
                    _pct(a.campaign_rate),
                )
                for label, a in dashboard.by_age
            ),
        ],
    )
    _sheet(
        book,
        "故事征集",
        ["单位", *(label for _key, label in dashboard.contest_stages)],
        [
            (row.label, *row.figures.contest.values())
            for row in [*dashboard.rows, dashboard.total_row]
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
