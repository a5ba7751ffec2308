"""Official documents laid out to GB/T 9704-2012 (党政机关公文格式), and their PDF rendering.

A plain builder over python-docx: callers add the elements in order (版头, 主体, 版记) and get
.docx bytes back. Fonts are named as on bureau PCs so Word and WPS render them; the PDF
rendering maps those names to free fonts through ``fonts/fonts.conf``. Other apps (the
district summary, the city report) build their documents with the same class.

Layout (SPEC §8): A4; margins 37/35/28/26 mm; 22 lines of 28 characters of 三号 (16 pt) text.
The grid is a ``lines`` docGrid of 579 twips (637.8 pt / 22) and each body character carries
−0.4 pt of spacing, so 28 characters fill the 442 pt text block exactly in Word, WPS and
LibreOffice (LibreOffice reads Word's ``linesAndChars`` grid as 14 characters a line).
"""

import datetime
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"

# The names every bureau PC has (Windows + the 方正 package), as GB/T 9704 names them.
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# 字号 in points.
ERHAO = 22  # 二号: title
SANHAO = 16  # 三号: body
SIHAO = 14  # 四号: page numbers, 版记
XIAOCHU = 36  # 小初: 发文机关标志

RED = RGBColor(0xFF, 0x00, 0x00)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = 579  # twips: (297 − 37 − 35) mm = 637.8 pt = 12 756 twips / 22 lines
# Twentieths of a point: −0.4 pt, so 28 × 15.6 pt ≤ 442.2 pt < 29 × 15.6 pt. (At −0.25 pt
# LibreOffice drops a comma that hangs past the 28th character instead of drawing it.)
CHAR_SPACING = -8
TEXT_WIDTH = Emu(PAGE_WIDTH - LEFT - RIGHT)
# Characters XML 1.0 cannot hold (python-docx refuses them): C0 controls other than tab and
# line ends, which text pasted from Word or a PDF sometimes carries invisibly.
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without the control characters a .docx cannot store."""
    return NOT_XML_RE.sub("", text)


def chinese_date(value: datetime.date) -> str:
    """成文日期 in Arabic numerals without padding: 2023年3月6日 (GB/T 9704-2012 7.3.5.1)."""
    return f"{value.year}年{value.month}月{value.day}日"


def text_width(text: str) -> float:
    """Width in characters of the grid: Chinese and full-width 1, ASCII (digits) ½."""
    return sum(0.5 if ord(char) < 0x80 else 1 for char in text)


def set_run_font(run, name: str, size: float, *, bold: bool = False, color=None, spacing=None):
    """Font of a run for every script: python-docx's ``font.name`` misses ``w:eastAsia``."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    r_pr = run._r.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if spacing is not None:
        _append(r_pr, "w:spacing", **{"w:val": spacing})
    return run


# Schema order of the children of w:pPr and w:rPr that we add: Word rejects a file whose
# elements are out of order, so each one is inserted before the first that must follow it.
PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
RPR_ORDER = [
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]


def _append(parent, tag: str, **attrs) -> OxmlElement:
    """Add ``tag`` to ``parent`` (replacing one already there), in schema order."""
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), str(value))
    order = {"pPr": PPR_ORDER, "rPr": RPR_ORDER}.get(parent.tag.rsplit("}", 1)[-1])
    if order is None or tag not in order:
        parent.append(element)
        return element
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    following = {qn(name) for name in order[order.index(tag) + 1 :]}
    successor = next((child for child in parent if child.tag in following), None)
    if successor is not None:
        successor.addprevious(element)
    else:
        parent.append(element)
    return element


def _border(paragraph, side: str, *, color: str = "FF0000", size: int = 12, space: int = 0):
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = _append(p_pr, "w:pBdr")
    _append(
        borders,
        f"w:{side}",
        **{"w:val": "single", "w:sz": size, "w:space": space, "w:color": color},
    )


class OfficialDocument:
    """A 公文 under construction. Add elements in reading order, then call :meth:`docx`."""

    def __init__(self):
        self.document = Document()
        self._break_before = False
        self._setup_page()
        self._setup_styles()

    # -- page ---------------------------------------------------------------------------------
    def _setup_page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
        section.header_distance = Mm(15)
        # Page number: its baseline ≈ 7 mm below the text block (GB/T 9704-2012 7.5).
        section.footer_distance = Mm(24)
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:docGrid")):
            sect_pr.remove(old)
        _append(sect_pr, "w:docGrid", **{"w:type": "lines", "w:linePitch": LINE_PITCH})
        self.document.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, footer, alignment) -> None:
        """ "— 1 —" in 四号 宋体, odd pages right, even pages left, one character in."""
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(SIHAO)
        else:
            fmt.left_indent = Pt(SIHAO)
        set_run_font(paragraph.add_run("— "), SONGTI, SIHAO)
        run = set_run_font(paragraph.add_run(), SONGTI, SIHAO)
        _append(run._r, "w:fldChar", **{"w:fldCharType": "begin"})
        instr = _append(run._r, "w:instrText", **{"xml:space": "preserve"})
        instr.text = " PAGE "
        _append(run._r, "w:fldChar", **{"w:fldCharType": "separate"})
        set_run_font(paragraph.add_run("1"), SONGTI, SIHAO)
        end = set_run_font(paragraph.add_run(), SONGTI, SIHAO)
        _append(end._r, "w:fldChar", **{"w:fldCharType": "end"})
        set_run_font(paragraph.add_run(" —"), SONGTI, SIHAO)

    def _setup_styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.name = FANGSONG
        normal.font.size = Pt(SANHAO)
        r_pr = normal.element.get_or_add_rPr()
        fonts = r_pr.get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FANGSONG)
        _append(r_pr, "w:lang", **{"w:val": "en-US", "w:eastAsia": "zh-CN"})
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        fmt.widow_control = False
        # The default template's East-Asian language is English: set it on the defaults too.
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            for element in defaults.iter(qn("w:lang")):
                element.set(qn("w:eastAsia"), "zh-CN")

    # -- elements -----------------------------------------------------------------------------
    def _paragraph(self, *, alignment=None, first_line_chars: int = 0, exact: float | None = None):
        paragraph = self.document.add_paragraph()
        if self._break_before:
            paragraph.paragraph_format.page_break_before = True
            self._break_before = False
        if alignment is not None:
            paragraph.alignment = alignment
        if first_line_chars:
            paragraph.paragraph_format.first_line_indent = Pt(
                first_line_chars * (SANHAO + CHAR_SPACING / 20)
            )
        if exact is not None:
            paragraph.paragraph_format.line_spacing = Pt(exact)
            _append(paragraph._p.get_or_add_pPr(), "w:snapToGrid", **{"w:val": 0})
        return paragraph

    def _text(self, paragraph, text: str, font: str = FANGSONG, size: float = SANHAO, **kw):
        spacing = CHAR_SPACING if size == SANHAO else None
        return set_run_font(paragraph.add_run(printable(text)), font, size, spacing=spacing, **kw)

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self._paragraph()

    def issuer_mark(self, text: str) -> None:
        """发文机关标志: red 小标宋, centred, 35 mm below the top of the text block."""
        paragraph = self._paragraph(alignment=WD_ALIGN_PARAGRAPH.CENTER, exact=XIAOCHU * 1.3)
        paragraph.paragraph_format.space_before = Pt(35 / 25.4 * 72 - XIAOCHU)
        self._text(paragraph, text, XIAOBIAOSONG, XIAOCHU, color=RED)
        self.blank(2)

    def document_number(self, text: str) -> None:
        """发文字号, centred, with the red rule 4 mm below as wide as the text block."""
        paragraph = self._paragraph(alignment=WD_ALIGN_PARAGRAPH.CENTER)
        self._text(paragraph, text)
        _border(paragraph, "bottom", color="FF0000", size=12, space=int(4 / 25.4 * 72))
        self.blank(2)

    def title(self, text: str) -> None:
        """标题: 二号 小标宋, centred; a blank line follows."""
        paragraph = self._paragraph(alignment=WD_ALIGN_PARAGRAPH.CENTER, exact=ERHAO * 1.5)
        self._text(paragraph, text, XIAOBIAOSONG, ERHAO)
        self.blank()

    def recipients(self, text: str) -> None:
        """主送机关: flush left, ending with a full-width colon."""
        self._text(self._paragraph(alignment=WD_ALIGN_PARAGRAPH.JUSTIFY), f"{text.rstrip('：:')}：")

    def body(self, text: str, *, lead: str = "", lead_font: str = FANGSONG) -> None:
        """A body paragraph, first line indented two characters; ``lead`` opens it in
        ``lead_font`` (a （一） heading followed by text in the same paragraph)."""
        paragraph = self._paragraph(alignment=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=2)
        if lead:
            self._text(paragraph, lead, lead_font)
        if text:
            self._text(paragraph, text)

    def heading(self, text: str, level: int) -> None:
        """一、黑体; （一）楷体; 1. and （1） 仿宋 — each indented two characters."""
        font = {1: HEITI, 2: KAITI}.get(level, FANGSONG)
        self.body("", lead=text, lead_font=font)

    def attachment_note(self, names: list[str]) -> None:
        """附件说明: one blank line under the body, 左空二字 “附件：”, several numbered."""
        self.blank()
        if len(names) == 1:
            self.body(f"附件：{names[0]}")
            return
        for number, name in enumerate(names, start=1):
            prefix = "附件：" if number == 1 else "　　　"
            self.body(f"{prefix}{number}. {name}")

    def signature(self, issuer: str, date: datetime.date) -> None:
        """署名 and 成文日期 without a seal (GB/T 9704-2012 7.3.5.2): one blank line under the
        body, 署名 with two characters to spare on the right, the date on the next line with
        its first character two to the right of the 署名's; a date longer than that keeps two
        characters on its right and pushes the 署名 left instead."""
        self.blank()
        date_text = chinese_date(date)
        date_right = text_width(issuer) - text_width(date_text)
        issuer_right = 2.0
        if date_right < 2:
            issuer_right += 2 - date_right
            date_right = 2
        char = SANHAO + CHAR_SPACING / 20
        for text, right_chars in ((issuer, issuer_right), (date_text, date_right)):
            paragraph = self._paragraph(alignment=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(right_chars * char)
            self._text(paragraph, text)

    def note(self, text: str) -> None:
        """附注: in brackets, 左空二字, under the date."""
        self.body(f"（{text}）")

    def new_page(self) -> None:
        """Start the next element on a new page (an attachment is laid out 另面)."""
        self._break_before = True

    def attachment_label(self, text: str = "附件") -> None:
        """The attachment's own page: “附件” in 三号 黑体, top left, then a blank line."""
        self._text(self._paragraph(), text, HEITI)
        self.blank()

    def colophon(self, *, printed_by: str, printed_on: datetime.date, copy_to: str = "") -> None:
        """版记 at the foot of the last page (GB/T 9704-2012 7.4): 抄送, then 印发机关 left and
        印发日期 right, 四号 仿宋, one character in from each side, between a thick first and
        last rule with thin rules between the rows.

        The rows are paragraphs in one frame (w:framePr) placed so its last line is the text
        block's last line, whatever the length of the text above.
        """
        rows = []
        if copy_to:
            rows.append((f"抄送：{copy_to.rstrip('。')}。", ""))
        rows.append((printed_by, f"{chinese_date(printed_on)}印发"))
        line = Pt(SIHAO * 2)
        top = PAGE_HEIGHT - BOTTOM - line * len(rows)
        frame = {
            "w:w": int(TEXT_WIDTH.twips),
            "w:hAnchor": "margin",
            "w:vAnchor": "page",
            "w:x": 0,
            "w:y": int(Emu(top).twips),
            "w:wrap": "around",
        }
        for index, (left, right) in enumerate(rows):
            paragraph = self._paragraph(exact=SIHAO * 2)
            _append(paragraph._p.get_or_add_pPr(), "w:framePr", **frame)
            fmt = paragraph.paragraph_format
            fmt.left_indent = fmt.right_indent = Pt(SIHAO)
            fmt.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(2 * SIHAO), WD_TAB_ALIGNMENT.RIGHT)
            _border(paragraph, "top", color="000000", size=8 if index == 0 else 4)
            if index == len(rows) - 1:
                _border(paragraph, "bottom", color="000000", size=8)
            self._text(paragraph, left, FANGSONG, SIHAO)
            if right:
                self._text(paragraph, f"\t{right}", FANGSONG, SIHAO)

    # -- output -------------------------------------------------------------------------------
    def docx(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


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
