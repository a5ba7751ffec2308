import io
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from tests.system_tools import needs_commands


def test_export_document_writes_the_notice_docx(haikou, tmp_path):
    target = tmp_path / "out" / "notice.docx"
    out = io.StringIO()

    args = ["notice", "--campaign", "haikou-2023", "--output", str(target)]
    call_command("export_document", *args, stdout=out)

    texts = [p.text for p in Document(str(target)).paragraphs]
    assert "海民发〔2023〕79号" in texts
    assert "notice.docx" in out.getvalue()


@needs_commands("libreoffice", "pdfinfo")
def test_export_document_writes_pdf(haikou, tmp_path):
    target = tmp_path / "notice.pdf"

    call_command("export_document", "notice", "--campaign", "haikou-2023", "--output", str(target))

    assert target.read_bytes().startswith(b"%PDF")
    # The issuing unit is the document's author, in the PDF as in the .docx.
    info = subprocess.run(["pdfinfo", target], capture_output=True, text=True, check=True).stdout
    author = next(line for line in info.splitlines() if line.startswith("Author:"))
    assert author.split(":", 1)[1].strip() == haikou.issuer.name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nonsense", "--campaign", "haikou-2023"],
            "未知的文件类型 nonsense。可导出：city-report、notice、summary",
        ),
        (["notice", "--campaign", "nope"], "没有标识为 nope 的宣传活动方案。"),
    ],
)
def test_export_document_explains_bad_arguments(haikou, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_document", *args, "--output", str(tmp_path / "x.docx"))


@pytest.mark.parametrize(
    ("name", "message"), [("x.txt", "无法从文件名 x.txt 判断格式"), ("x.xlsx", "不能导出为 .xlsx")]
)
def test_export_document_refuses_formats_it_cannot_write(haikou, tmp_path, name, message):
    args = ["notice", "--campaign", "haikou-2023", "--output", str(tmp_path / name)]
    with pytest.raises(CommandError, match=message):
        call_command("export_document", *args)
    assert not (tmp_path / name).exists()
