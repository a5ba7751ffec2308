"""The PDF of an official document, rendered by LibreOffice with the official font names
mapped to free fonts (``fonts/fonts.conf``)."""

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent.parent / "fonts" / "fonts.conf"


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF written by LibreOffice (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def pdf_available() -> bool:
    return libreoffice() is not None


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, so no PDF can be rendered here."""


def docx_to_pdf(data: bytes, *, timeout: int = 120) -> bytes:
    """Render .docx bytes to PDF with LibreOffice, mapping official font names to free fonts.

    Each conversion gets its own LibreOffice profile: two conversions sharing one silently
    write nothing.
    """
    binary = libreoffice()
    if binary is None:
        raise PdfUnavailable(
            "未安装 LibreOffice，无法生成 PDF（Debian/Ubuntu：apt-get install "
            "libreoffice-writer-nogui）。可改为导出 .docx。"
        )
    with tempfile.TemporaryDirectory(prefix="shegong-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(folder)}
        command = [
            binary,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        # A session of its own, so a conversion that hangs is killed with all its children.
        process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfUnavailable(
                f"LibreOffice 在 {timeout} 秒内没有生成 PDF，请稍后再试。"
            ) from None
        if process.returncode != 0:
            detail = stderr.decode(errors="replace").strip()[-200:]
            raise PdfUnavailable(f"LibreOffice 生成 PDF 失败（{detail or process.returncode}）。")
        target = folder / "document.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice 没有生成 PDF。")
        return target.read_bytes()
