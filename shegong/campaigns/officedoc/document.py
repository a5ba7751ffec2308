"""The official-document builder: :class:`OfficialDocument`."""

import copy
import datetime
import functools
import io
import math

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from .measures import (
    BOTTOM,
    CHAR,
    COLOPHON_LINE,
    ERHAO,
    LINE_PITCH,
    MARK_INK_OFFSET,
    MARK_LINE,
    NUMBER_HEIGHT,
    PAGE_HEIGHT,
    SIHAO,
    TABLE_RULE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TITLE_LINE,
    XIAOCHU,
    Flow,
    body_width,
    chinese_date,
    estimate_end,
    join_scripts,
    printable,
    title_width,
    wrapped_lines,
)
from .ooxml import append, border
from .pdf import docx_to_pdf, pdf_page_count
from .styles import HEADING_LEVELS, HEADING_STYLES, setup_page, setup_styles, style_by_id
from .titles import balanced_lines

_template_bytes: bytes | None = None


def _template() -> bytes:
    """An empty .docx with the page, the styles and the page numbers set up, made once a
    process (setting up the styles takes longer than laying out a whole document)."""
    global _template_bytes
    if _template_bytes is None:
        document = Document()
        setup_styles(document)
        setup_page(document)
        buffer = io.BytesIO()
        document.save(buffer)
        _template_bytes = buffer.getvalue()
    return _template_bytes


class OfficialDocument:
    """A 公文 under construction: add its elements in reading order, then call :meth:`docx`
    (or :meth:`pdf`). One generator for every document the platform issues: the notice
    (下行文) and the summaries and reports sent upward (上行文).

    ``author`` is the issuing unit (the file's author in Word's document properties; it
    defaults to the 署名), ``title`` the document's title in its properties (defaults to the
    title element); the creation time is when the object was made.

    The elements, in GB/T 9704-2012 order::

        doc = OfficialDocument(author="秀英区民政局")
        doc.issuer_mark("秀英区民政局文件")              # 版头: 发文机关标志
        doc.upward_header("秀民报〔2023〕5号", "张三")   # 上行文: 发文字号 left, 签发人 right
        # (a 下行文 calls doc.document_number("海民发〔2023〕79号") instead)
        doc.title("秀英区民政局关于2023年社会工作主题宣传活动开展情况的报告")
        doc.recipients("海口市民政局")                    # 主送机关
        doc.body("3月21日至31日，全区共开展宣传活动……")
        doc.heading("一、工作开展情况", 1)                # 黑体, 标题 1
        doc.heading("（一）强化组织领导", 2)              # 楷体, 标题 2
        doc.body("正文……", lead="1.加强宣传。", lead_level=3)  # run-in heading + text
        doc.attachment_note(["2023年社会工作主题宣传活动统计表"])
        doc.signature("秀英区民政局", date, sealed=False)  # 署名 + 成文日期
        doc.note("联系人：李四，联系电话：68650000")       # 附注
        doc.new_page(); doc.attachment_label("附件")         # an attachment, 另面
        doc.table(["单位", "活动场次"], [["秀英区民政局", 36]])  # 表头 repeated, rows whole
        doc.colophon(printed_by="秀英区民政局办公室", printed_on=date, copy_to="……")  # 版记
        data = doc.docx()                                 # or doc.pdf()

    Every paragraph has a named style (see ``STYLE_NAMES``): 正文 (Word's Normal), 标题 1–3
    (Word's heading 1–3, outline levels 1–3, kept with the next paragraph), 发文机关标志,
    发文字号, 公文标题, 主送机关, 附件说明, 署名, 成文日期, 附注, 附件标识, 版记, 页码, 表头,
    表格文字.
    """

    def __init__(
        self,
        *,
        author: str = "",
        title: str = "",
        created: datetime.datetime | None = None,
    ):
        self.document = Document(io.BytesIO(_template()))
        self.author = author
        self.doc_title = title
        self.created = created or datetime.datetime.now(datetime.UTC)
        self._break_before = False
        self._flow: list[Flow] = []
        self._colophon: list[tuple[str, str]] | None = None
        self._forced_layout = ""
        self.colophon_layout = ""
        self._init = {"author": author, "title": title, "created": self.created}
        self._calls: list[tuple[str, tuple, dict]] = []
        self._depth = 0
        self._finished = False
        self._for_libreoffice = False
        self.pdf_renderings = 0  # how many LibreOffice renderings the last pdf() took
        self.pdf_layout = ""  # and the 版记's placement in the PDF it returned

    # -- elements -----------------------------------------------------------------------------
    def style(self, style_id: str):
        """The style with this id (``STYLE_NAMES`` lists them with their names)."""
        return style_by_id(self.document, style_id)

    def _add_paragraph(self, style: str = "Normal"):
        """A paragraph at the end of the body in ``style`` (by id: python-docx's lookup by
        style object scans every style, the bulk of the generation time)."""
        paragraph = self.document.add_paragraph()
        if style != "Normal":
            paragraph._p.get_or_add_pPr().style = style
        return paragraph

    def _add_run(self, paragraph, text: str, style: str = ""):
        run = paragraph.add_run(text)
        if style:
            run._r.get_or_add_rPr().style = style
        return run

    def _paragraph(self, style: str = "Normal", *, lines: list[int] | None = None, **flow):
        """A new paragraph in ``style``; ``lines`` (twips each) is what it takes on the page."""
        paragraph = self._add_paragraph(style)
        item = Flow(lines=lines or [LINE_PITCH], paragraph=paragraph, **flow)
        if self._break_before:
            paragraph.paragraph_format.page_break_before = True
            item.page_break = True
            self._break_before = False
        style_format = self.style(style).paragraph_format
        item.keep_next = item.keep_next or bool(style_format.keep_with_next)
        item.keep_lines = item.keep_lines or bool(style_format.keep_together)
        self._flow.append(item)
        return paragraph

    def _grid_lines(self, text: str, *, first: float = 2 * CHAR.pt, left=0.0, right=0.0):
        width = TEXT_WIDTH.pt - left - right
        return [LINE_PITCH] * wrapped_lines(text, width, first)

    def blank(self, count: int = 1) -> None:
        """Empty lines of the grid."""
        for _ in range(count):
            self._paragraph()

    def issuer_mark(self, text: str) -> None:
        """发文机关标志: red 小标宋, centred, its top edge 35 mm below the top of the text block;
        two blank lines follow (the 发文字号 comes 空二行 below it). A name too long for the
        line at 36 pt has its characters narrowed (w:w) to fit, as bureaus do."""
        text = printable(text)
        paragraph = self._paragraph(
            "IssuerMark", lines=[int((Mm(35) - MARK_INK_OFFSET + MARK_LINE) / 635)]
        )
        paragraph.paragraph_format.space_before = Mm(35) - MARK_INK_OFFSET
        run = paragraph.add_run(text)
        # 小标宋's stand-ins draw digits wider than half a character: measured as titles are.
        width = title_width(text) * XIAOCHU
        if width > TEXT_WIDTH.pt:
            scale = math.floor(TEXT_WIDTH.pt / width * 100)
            append(run._r.get_or_add_rPr(), "w:w", **{"w:val": scale})
        self.blank(2)

    def document_number(self, text: str) -> None:
        """发文字号 of a 下行文, centred, with the red rule 4 mm below it, as wide as the text
        block; two blank lines follow."""
        self._paragraph("DocumentNumber", lines=[NUMBER_HEIGHT]).add_run(printable(text))
        self.blank(2)

    def upward_header(self, number: str, signers: str | list[str]) -> None:
        """The 上行文's line under the 发文机关标志 (GB/T 9704-2012 7.2.3–7.2.4): the 发文字号
        one character in from the left and “签发人：姓名” one character in from the right (签发人
        in 仿宋, the names in 楷体), on one line, the red rule 4 mm below; two blank lines follow.
        Several signers (a joint report) go on the same line, separated by a space."""
        names = [signers] if isinstance(signers, str) else list(signers)
        paragraph = self._paragraph("DocumentNumber", lines=[NUMBER_HEIGHT])
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt = paragraph.paragraph_format
        # A first-line indent and a right tab, not side indents: the rule under the paragraph
        # spans its indents, and must stay as wide as the text block.
        fmt.first_line_indent = CHAR
        fmt.tab_stops.add_tab_stop(TEXT_WIDTH - CHAR, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(f"{printable(number)}\t签发人：")
        self._add_run(paragraph, printable("　".join(names)), "SignerName")
        self.blank(2)

    def title(self, text: str) -> None:
        """标题: 二号 小标宋, centred; a title longer than a line is broken between words into
        balanced lines (explicit line breaks); a blank line follows."""
        lines = balanced_lines(printable(text), TEXT_WIDTH.pt / ERHAO)
        twips = int(TITLE_LINE.pt * 20)
        paragraph = self._paragraph("DocumentTitle", lines=[twips] * len(lines))
        run = paragraph.add_run(lines[0])
        for line in lines[1:]:
            run.add_break()
            run = paragraph.add_run(line)
        if not self.doc_title:
            self.doc_title = "".join(lines)
        self.blank()

    def recipients(self, text: str) -> None:
        """主送机关: flush left, ending with a full-width colon."""
        text = f"{printable(text).rstrip('：:')}："
        self._paragraph("Recipients", lines=self._grid_lines(text, first=0)).add_run(text)

    def body(
        self, text: str, *, lead: str = "", lead_level: int | None = None, lead_font: str = ""
    ) -> None:
        """A 正文 paragraph, first line indented two characters. ``lead`` opens it as a run-in
        heading of ``lead_level`` (2: （一）楷体; 1: 一、黑体; 3: 1. 仿宋), followed by ``text``
        in the same paragraph. (``lead_font`` is the older way to name the level.)"""
        text, lead = printable(text), printable(lead)
        paragraph = self._paragraph(lines=self._grid_lines(lead + text))
        if lead:
            level = lead_level or HEADING_LEVELS.get(lead_font, 2)
            self._add_run(paragraph, lead, f"Heading{level}Char")
        if text:
            paragraph.add_run(text)

    def heading(self, text: str, level: int) -> None:
        """A heading paragraph: level 1 “一、” 黑体, 2 “（一）” 楷体, 3 “1.” 仿宋 (styles 标题 1–3,
        outline levels 1–3, so Word's and WPS's navigation pane lists them), indented two
        characters, never left alone at the foot of a page."""
        text = printable(text)
        style = HEADING_STYLES[min(max(level, 1), 3)]
        self._paragraph(style, lines=self._grid_lines(text)).add_run(text)

    def attachment_note(self, names: list[str]) -> None:
        """附件说明: one blank line under the body, 左空二字 “附件：”, several numbered with
        their names aligned; kept on one page with the body's last line (and, through
        :meth:`signature`, with the 署名), so the signature page always carries text."""
        self._keep_with_next()
        self._paragraph(keep_next=True).paragraph_format.keep_with_next = True
        if len(names) == 1:
            lines = [f"附件：{printable(names[0])}"]
        else:
            lines = [
                f"{'附件：' if number == 1 else '　　　'}{number}. {printable(name)}"
                for number, name in enumerate(names, start=1)
            ]
        for index, line in enumerate(lines):
            paragraph = self._paragraph("AttachmentNote", lines=self._grid_lines(line))
            paragraph.add_run(line)
            if index < len(lines) - 1:
                self._keep_with_next()

    def signature(self, issuer: str, date: datetime.date, *, sealed: bool = False) -> None:
        """署名 and 成文日期 in one of GB/T 9704-2012's two layouts.

        Unsealed (``sealed=False``, 7.3.5.2): one blank line under the body (or 附件说明), the
        署名 two characters in from the right, the date on the next line starting two
        characters right of the 署名's first character; a date longer than the 署名 keeps two
        characters on its right and the 署名 moves left to stay two characters ahead of it.

        Sealed (``sealed=True``, 7.3.5.1): the date four characters in from the right, the 署名
        centred above it, two blank lines above the 署名 so the seal (42 mm) can sit with its
        top within a line of the body and press on both lines below its centre.

        The 署名, the date and the body's last line are kept on one page.
        """
        issuer, date_text = printable(issuer), chinese_date(date)
        if not self.author:
            self.author = issuer
        self._keep_with_next()
        for _ in range(2 if sealed else 1):
            self._paragraph(keep_next=True).paragraph_format.keep_with_next = True
        issuer_width, date_width = body_width(issuer), body_width(date_text)
        width = TEXT_WIDTH.pt
        sign = self._paragraph("Signature")
        dated = self._paragraph("SignatureDate")
        if sealed:
            date_left = width - 4 * CHAR.pt - date_width
            sign_left = max(0.0, date_left + (date_width - issuer_width) / 2)
        elif date_width > issuer_width:
            date_left = width - 2 * CHAR.pt - date_width
            sign_left = date_left - 2 * CHAR.pt
        else:
            sign_left = width - 2 * CHAR.pt - issuer_width
            date_left = sign_left + 2 * CHAR.pt
        for paragraph, left in ((sign, sign_left), (dated, date_left)):
            paragraph.paragraph_format.left_indent = Pt(round(left, 1))
            # Room past the right edge, so a font's wider digits never wrap the line.
            paragraph.paragraph_format.right_indent = -CHAR * 2
        sign.add_run(issuer)
        dated.add_run(join_scripts(date_text) if self._for_libreoffice else date_text)

    def _keep_with_next(self) -> None:
        """Keep the last paragraph on the page of the next: whole when it is short (six lines
        at most), as LibreOffice moves it whole where Word would move its last line only."""
        if not self._flow:
            return
        item = self._flow[-1]
        item.keep_next = True
        whole = sum(item.lines) <= 6 * LINE_PITCH
        item.keep_lines = item.keep_lines or whole
        if item.paragraph is not None:
            item.paragraph.paragraph_format.keep_with_next = True
            if whole:
                item.paragraph.paragraph_format.keep_together = True

    def note(self, text: str) -> None:
        """附注: in round brackets, 左空二字, on the line under the 成文日期 — for a 报告 the
        contact, e.g. ``note("联系人：李四，联系电话：68650000")``."""
        text = f"（{printable(text).strip('（）()')}）"
        self._paragraph("Note", lines=self._grid_lines(text)).add_run(text)

    def table(
        self,
        header: list[str],
        rows: list[list],
        *,
        widths: list[float] | None = None,
    ) -> None:
        """A table (a statistics annex, a per-district table): 四号 cells between single rules,
        as wide as the text block, the header row in 黑体 and repeated on every page, the first
        column left-aligned and the others centred, no row split across pages. ``widths`` are
        the columns' relative widths (default: the first twice the others)."""
        if self._break_before:  # a table cannot start a page by itself: a blank line does
            self.blank()
        columns = len(header)
        widths = widths or [2.0] + [1.0] * (columns - 1)
        total = sum(widths)
        twips = [int(TEXT_WIDTH.twips * width / total) for width in widths]
        table = self.document.add_table(rows=0, cols=columns)
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        for old in list(tbl_pr):
            if old.tag != qn("w:tblStyle"):
                tbl_pr.remove(old)
        append(tbl_pr, "w:tblW", **{"w:w": sum(twips), "w:type": "dxa"})
        append(tbl_pr, "w:jc", **{"w:val": "center"})
        borders = append(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            append(
                borders,
                f"w:{side}",
                **{"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"},
            )
        append(tbl_pr, "w:tblLayout", **{"w:type": "fixed"})
        for column, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
            column.set(qn("w:w"), str(width))
        header_height = 0
        for index, values in enumerate([header, *rows]):
            row = table.add_row()
            tr_pr = row._tr.get_or_add_trPr()
            append(tr_pr, "w:cantSplit")
            if index == 0:
                append(tr_pr, "w:tblHeader")
            lines = 1
            for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = Emu(twips[column] * 635)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = cell.paragraphs[0]
                paragraph._p.get_or_add_pPr().style = "TableHeader" if index == 0 else "TableText"
                if index and column == 0:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                text = printable("" if value is None else str(value))
                paragraph.add_run(text)
                inner = twips[column] / 20 - 2 * 5.4  # cell margins: 108 twips a side
                lines = max(lines, wrapped_lines(text, inner, size=SIHAO))
            height = lines * LINE_PITCH + TABLE_RULE
            header_height = header_height if index else height
            self._flow.append(
                Flow(lines=[height], keep_next=index == 0, repeat=header_height if index else 0)
            )

    def new_page(self) -> None:
        """Start the next element on a new page (an attachment is laid out 另面)."""
        self._break_before = True

    def attachment_label(self, text: str = "附件") -> None:
        """The attachment's own page: “附件” in 三号 黑体, top left, then a blank line."""
        self._paragraph("AttachmentLabel").add_run(printable(text))
        self.blank()

    def colophon(self, *, printed_by: str, printed_on: datetime.date, copy_to: str = "") -> None:
        """版记 (GB/T 9704-2012 7.4): 抄送, then 印发机关 left and 印发日期 right, 四号 仿宋, one
        character in from each side, between a thick first and last rule with thin rules
        between the rows; call it last.

        The rows are paragraphs in a frame (w:framePr) whose last line is the text block's last
        line, on the last page, which is even: when the text ends on an odd page, or on an even
        page without room for the rows, the 版记 goes in a section of its own that starts on
        the next even page (Word, WPS and LibreOffice add the blank page between); that blank
        page and the 版记 page carry no page number (7.5).
        """
        rows = []
        if copy_to:
            rows.append((f"抄送：{printable(copy_to).rstrip('。')}。", ""))
        rows.append((printable(printed_by), f"{chinese_date(printed_on)}印发"))
        self._colophon = rows

    # -- output -------------------------------------------------------------------------------
    def _colophon_layout(self, rows: int) -> str:
        """Where the 版记 goes, from the estimated end of the text: ``same`` (the text ends on
        an even page with room for it), ``next`` (on an odd page: the 版记 takes the next,
        even page) or ``blank`` (on an even page without room: a blank page, then the 版记)."""
        page, used = estimate_end(self._flow)
        if page % 2 == 1:
            return "next"
        # Two lines to spare for what the estimate cannot know (a Latin word's width).
        if used + rows * int(COLOPHON_LINE.pt * 20) + 2 * LINE_PITCH <= TEXT_HEIGHT:
            return "same"
        return "blank"

    def _place_colophon(self) -> None:
        rows = self._colophon
        self.colophon_layout = self._forced_layout or self._colophon_layout(len(rows))
        if self.colophon_layout == "blank":
            self._blank_page_section()
        if self.colophon_layout in ("next", "blank"):
            anchor = self._add_paragraph("Colophon")
            anchor.paragraph_format.page_break_before = True
        for index, (left, right) in enumerate(rows):
            if index:
                # LibreOffice drops consecutive framed paragraphs with borders: the rows are
                # frames of one paragraph each, apart in the text flow by a 1 pt paragraph.
                spacer = self._add_paragraph("Colophon")
                spacer.paragraph_format.line_spacing = Pt(1)
            # Each row its own frame, the last row's bottom on the text block's bottom edge.
            top = PAGE_HEIGHT - BOTTOM - COLOPHON_LINE * (len(rows) - index)
            frame = {
                "w:w": int(TEXT_WIDTH.twips),
                "w:hAnchor": "margin",
                "w:vAnchor": "page",
                "w:x": 0,
                "w:y": int(Emu(top).twips),
                "w:wrap": "around",
            }
            paragraph = self._add_paragraph("Colophon")
            append(paragraph._p.get_or_add_pPr(), "w:framePr", **frame)
            border(paragraph._p, "top", color="000000", size=8 if index == 0 else 4)
            if index == len(rows) - 1:
                border(paragraph._p, "bottom", color="000000", size=8)
            paragraph.add_run(left)
            if right:
                paragraph.add_run(f"\t{right}")

    def _blank_page_section(self) -> None:
        """End the body's section at its last paragraph; a new one, without page numbers
        (GB/T 9704-2012 7.5), holds the blank page and the 版记's."""
        body_sect = self.document.sections[-1]._sectPr
        last = self._flow[-1].paragraph if self._flow else None
        if last is None:  # nothing yet, or a table last: the section needs a paragraph to end
            last = self.document.add_paragraph()
        last._p.get_or_add_pPr().append(copy.deepcopy(body_sect))
        for reference in body_sect.findall(qn("w:footerReference")):
            body_sect.remove(reference)
        section = self.document.sections[-1]
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        self._add_paragraph("Colophon")  # the blank page

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        if self._colophon is not None:
            self._place_colophon()
        props = self.document.core_properties
        props.author = props.last_modified_by = self.author
        props.title = self.doc_title
        props.created = props.modified = self.created.astimezone(datetime.UTC).replace(
            tzinfo=None, microsecond=0
        )
        props.revision = 1
        props.language = "zh-CN"
        props.comments = props.subject = props.keywords = props.category = ""

    def docx(self) -> bytes:
        """The .docx file's bytes."""
        self._finish()
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def pdf(self, *, timeout: int = 120) -> bytes:
        """The PDF, rendered by LibreOffice (raises :class:`PdfUnavailable` without it).

        It renders the same document built for LibreOffice (see :func:`join_scripts`). The
        版记 must end the last even page: where the rendering shows an odd page count (the
        estimate of where the text ends was wrong), the other placements are tried.
        """
        layouts = [self._forced_layout or self._estimated_layout()]
        layouts += [layout for layout in ("same", "next", "blank") if layout not in layouts]
        data = b""
        self.pdf_renderings = 0
        for layout in layouts if self._colophon is not None else [""]:
            data = docx_to_pdf(self._rebuilt(layout).docx(), timeout=timeout)
            self.pdf_renderings += 1
            self.pdf_layout = layout
            if pdf_page_count(data) % 2 == 0:
                break
        return data

    def _estimated_layout(self) -> str:
        return self._colophon_layout(len(self._colophon)) if self._colophon else ""

    def _rebuilt(self, layout: str) -> "OfficialDocument":
        """The same document built again for LibreOffice, with the 版记 placed as ``layout``."""
        clone = OfficialDocument(**self._init)
        clone._for_libreoffice = True
        clone._forced_layout = layout
        for name, args, kwargs in self._calls:
            getattr(clone, name)(*args, **kwargs)
        return clone


def _recorded(method):
    """Record a call of an element method, so the document can be built again."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self._depth == 0:
            self._calls.append((method.__name__, args, kwargs))
        self._depth += 1
        try:
            return method(self, *args, **kwargs)
        finally:
            self._depth -= 1

    return wrapper


for _name in (
    "blank",
    "table",
    "issuer_mark",
    "document_number",
    "upward_header",
    "title",
    "recipients",
    "body",
    "heading",
    "attachment_note",
    "signature",
    "note",
    "new_page",
    "attachment_label",
    "colophon",
):
    setattr(OfficialDocument, _name, _recorded(getattr(OfficialDocument, _name)))
