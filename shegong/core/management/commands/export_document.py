"""``manage.py export_document KIND --campaign SLUG [--unit CODE] --output PATH``.

Every document the console can download, a command can write (a stable contract:
docs/contracts.md). Core knows no domain
app: an app offers documents through its AppConfig,

    document_exporters = {"notice": "shegong.campaigns.documents.export_notice"}

where each function is called as ``exporter(campaign=SLUG, unit=CODE or None, fmt="docx")``
and returns the file's bytes. It raises ``LookupError`` for an unknown campaign or unit and
``ValueError`` for what it cannot produce (a format it does not come in, PDF without
LibreOffice); both become a plain error message here.
"""

import shutil
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

FORMATS = {".docx": "docx", ".pdf": "pdf", ".xlsx": "xlsx"}


def document_exporters() -> dict[str, str]:
    exporters: dict[str, str] = {}
    for config in apps.get_app_configs():
        exporters.update(getattr(config, "document_exporters", {}))
    return exporters


class Command(BaseCommand):
    help = "Write an official document (notice, summary, city report …) to a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="document kind, e.g. notice")
        parser.add_argument("--campaign", required=True, help="campaign slug, e.g. haikou-2023")
        parser.add_argument("--unit", default=None, help="unit code, e.g. 460105")
        parser.add_argument(
            "--output", required=True, help="file to write; its suffix picks the format"
        )

    def handle(self, *args, kind, campaign, unit, output, **options):
        exporters = document_exporters()
        if kind not in exporters:
            known = "、".join(sorted(exporters)) or "（无）"
            raise CommandError(f"未知的文件类型 {kind}。可导出：{known}。")
        path = Path(output)
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise CommandError(
                f"无法从文件名 {path.name} 判断格式：请以 .docx、.pdf 或 .xlsx 结尾。"
            )
        if fmt == "pdf" and not (shutil.which("libreoffice") or shutil.which("soffice")):
            raise CommandError(
                "未安装 LibreOffice，无法生成 PDF（apt-get install libreoffice-writer-nogui）；"
                "请改为导出 .docx。"
            )
        exporter = import_string(exporters[kind])
        try:
            data = exporter(campaign=campaign, unit=unit, fmt=fmt)
        except (LookupError, ValueError) as error:
            raise CommandError(str(error).strip("'\"")) from error
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"无法写入 {path}：{error.strerror or error}。") from error
        self.stdout.write(f"{path} ({len(data):,} bytes)")
