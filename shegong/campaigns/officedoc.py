"""Official documents laid out to GB/T 9704-2012 (党政机关公文格式), and their PDF rendering.

A plain builder over python-docx (:class:`OfficialDocument`): callers add the elements in
order (版头, 主体, 版记) and get .docx or PDF bytes back. It is the one generator of every
document the platform issues: the notice (``campaigns.documents``), the district summaries and
the city report (上行文, in ``reports``). Fonts are named as on bureau PCs so Word and WPS render
them; the PDF rendering maps those names to free fonts through ``fonts/fonts.conf``.

Layout (SPEC §8): A4; margins 37/35/28/26 mm; 22 lines of 28 characters of 三号 (16 pt) text.
The grid is a ``lines`` docGrid of 579 twips (637.8 pt / 22) and the 正文 style gives every
character −0.4 pt of spacing, so 28 characters fill the 442 pt text block exactly in Word, WPS
and LibreOffice (LibreOffice reads Word's ``linesAndChars`` grid as 14 characters a line).
Formatting lives in named styles (``STYLE_NAMES``), never on runs.
"""

import copy
import datetime
import functools
import importlib.util
import io
import itertools
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.styles.style import StyleFactory

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


def title_width(text: str) -> float:
    """Width in characters of a title: 小标宋's stand-ins draw digits wider than ½ (Noto Serif
    CJK: 0.56), so a title line is measured with room for them."""
    return sum(0.6 if ord(char) < 0x80 else 1 for char in text)


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


def _border(element, side: str, *, color: str = "FF0000", size: int = 12, space: int = 0):
    """A rule on ``side`` of a paragraph or paragraph style (``element``: w:p or w:style)."""
    p_pr = element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = _append(p_pr, "w:pBdr")
    _append(
        borders,
        f"w:{side}",
        **{"w:val": "single", "w:sz": size, "w:space": space, "w:color": color},
    )


# -- title breaking ---------------------------------------------------------------------------
# A title that wraps breaks between words, in balanced lines (GB/T 9704-2012 7.3.1: 回行时，要做
# 到词意完整，排列对称). Words come from jieba's dictionary (its dict.txt only: importing jieba
# and building its prefix dictionary costs 1–2 s a process; reading the entries a title can use
# costs a few tens of ms).
OPENING = "《（(“‘〔【"
CLOSING = "》）)”’〕】，。、；：！？,.;:!?"
NUMBER_UNITS = "年月日号届期次个项名家场"
_dictionary: str | None = None


def _dictionary_text() -> str:
    global _dictionary
    if _dictionary is None:
        spec = importlib.util.find_spec("jieba")
        path = Path(spec.origin).parent / "dict.txt" if spec and spec.origin else None
        _dictionary = path.read_text(encoding="utf-8") if path and path.exists() else ""
    return _dictionary


def _word_frequencies(text: str) -> dict[str, int]:
    """Dictionary words of two characters or more made only of ``text``'s characters."""
    chars = {char for char in text if ord(char) >= 0x3400}
    if not chars:
        return {}
    pattern = "^([" + re.escape("".join(sorted(chars))) + r"]{2,8}) (\d+)"
    return {word: int(freq) for word, freq in re.findall(pattern, _dictionary_text(), re.M)}


def _segment(run: str, freq: dict[str, int]) -> list[str]:
    """The most probable split of a run of Chinese characters into words (jieba's method)."""
    log_total = math.log(60_000_000)
    best: list[tuple[float, int]] = [(0.0, len(run))] * (len(run) + 1)
    for start in range(len(run) - 1, -1, -1):
        options = []
        for end in range(start + 1, min(len(run), start + 8) + 1):
            word = run[start:end]
            if end == start + 1 or word in freq:
                score = math.log(freq.get(word, 1)) - log_total + best[end][0]
                options.append((score, end))
        best[start] = max(options)
    words, start = [], 0
    while start < len(run):
        end = best[start][1]
        words.append(run[start:end])
        start = end
    return words


def title_words(text: str) -> list[str]:
    """``text`` cut where a title may break: between words, never after an opening or before a
    closing mark, nor between a number and its unit (2023年)."""
    freq = _word_frequencies(text)
    tokens: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9.·]+|.", text):
        tokens.extend(_segment(run, freq) if "\u3400" <= run[0] <= "\u9fff" else [run])
    words: list[str] = []
    glue_next = False
    for token in tokens:
        if words and (
            glue_next
            or token[0] in CLOSING
            or (token[0] in NUMBER_UNITS and words[-1][-1:].isdigit())
        ):
            words[-1] += token
        else:
            words.append(token)
        glue_next = token[-1] in OPENING
    return words


def _best_breaks(widths: list[float], count: int, capacity: float) -> list[int] | None:
    """Word indexes where ``count`` lines of at most ``capacity`` start (after the first),
    chosen so the line widths stray least from their mean; None if they cannot fit."""
    mean = sum(widths) / count
    memo: dict[tuple[int, int], tuple[float, list[int]] | None] = {}

    def solve(start: int, lines: int) -> tuple[float, list[int]] | None:
        if (start, lines) in memo:
            return memo[start, lines]
        result = None
        if lines == 1:
            width = sum(widths[start:])
            if width <= capacity:
                result = ((width - mean) ** 2, [])
        else:
            width = 0.0
            for end in range(start + 1, len(widths) - lines + 2):
                width += widths[end - 1]
                if width > capacity:
                    break
                rest = solve(end, lines - 1)
                if rest is None:
                    continue
                # A tiny preference for the longer line on top breaks ties.
                cost = (width - mean) ** 2 - width * 1e-6 + rest[0]
                if result is None or cost < result[0]:
                    result = (cost, [end, *rest[1]])
        memo[start, lines] = result
        return result

    found = solve(0, count)
    return None if found is None else found[1]


def balanced_lines(text: str, capacity: float) -> list[str]:
    """``text`` in as few lines of at most ``capacity`` characters as it needs, broken between
    words so the lines are as even as they can be (the longer line first on a tie)."""
    if title_width(text) <= capacity:
        return [text]
    words = title_words(text)
    widths = [title_width(word) for word in words]
    for count in range(math.ceil(sum(widths) / capacity), len(words) + 1):
        breaks = _best_breaks(widths, count, capacity)
        if breaks is not None:
            cuts = [0, *breaks, len(words)]
            return ["".join(words[a:b]) for a, b in itertools.pairwise(cuts)]
    return [text]


# -- styles -----------------------------------------------------------------------------------
# Word's built-in styles keep their stored names (Chinese Word and WPS show Normal as 正文 and
# heading 1–3 as 标题 1–3, and use them for the navigation pane and tables of contents); the
# others are named in Chinese. Runs carry no formatting of their own: a clerk restyles the
# document by changing a style.
STYLE_NAMES = {
    "Normal": "正文",
    "Heading1": "标题 1",
    "Heading2": "标题 2",
    "Heading3": "标题 3",
    "IssuerMark": "发文机关标志",
    "DocumentNumber": "发文字号",
    "DocumentTitle": "公文标题",
    "Recipients": "主送机关",
    "AttachmentNote": "附件说明",
    "Signature": "署名",
    "SignatureDate": "成文日期",
    "Note": "附注",
    "AttachmentLabel": "附件标识",
    "Colophon": "版记",
    "PageNumber": "页码",
    "TableText": "表格文字",
    "TableHeader": "表头",
}
HEADING_STYLES = {1: "Heading1", 2: "Heading2", 3: "Heading3"}
HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG}
HEADING_LEVELS = {HEITI: 1, "黑体": 1, KAITI: 2, "楷体": 2, FANGSONG: 3}
CHAR = Pt(SANHAO + CHAR_SPACING / 20)  # one character of body text, spacing included: 15.6 pt
TEXT_HEIGHT = int((PAGE_HEIGHT - TOP - BOTTOM) / 635)  # twips: 12 756
COLOPHON_LINE = Pt(SIHAO * 2)  # a 版记 row: 28 pt
TITLE_LINE = Pt(ERHAO * 1.5)  # 33 pt
RULE_SPACE = 11  # points between the 发文字号 and the red rule (4 mm)
RULE_WIDTH = 12  # eighths of a point: 1.5 pt
# The 发文字号's line: its grid line plus the rule's distance and width, in twips.
NUMBER_HEIGHT = LINE_PITCH + (RULE_SPACE * 8 + RULE_WIDTH) * 20 // 8
MARK_LINE = Pt(XIAOCHU)
# Where the 发文机关标志's glyphs start relative to the top of their 36 pt exact line (小标宋 as
# rendered: 1.5 pt above it), so the space before the line puts their top edge 35 mm under the
# text block's (tests/campaigns/test_officedoc.py measures it in the PDF).
MARK_INK_OFFSET = Pt(-1.5)
TABLE_RULE = 10  # twips a table row's rule adds to its grid lines (½ pt)


def _set_fonts(r_pr, name: str) -> None:
    fonts = r_pr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        fonts.attrib.pop(attr)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _define_style(
    style,
    *,
    name: str | None = None,
    based_on=None,
    font: str | None = None,
    size: float | None = None,
    spacing: int | None = None,
    color=None,
    alignment=None,
    first_line: Length | None = None,
    left: Length | None = None,
    right: Length | None = None,
    exact: Length | None = None,
    space_before: Length | None = None,
    keep_next: bool = False,
    keep_lines: bool = False,
    outline_level: int | None = None,
):
    """(Re)define ``style`` from scratch: what was in the template is dropped."""
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        old = element.find(qn(tag))
        if old is not None:
            element.remove(old)
    if name is not None:
        style.name = name
    if based_on is not None:
        style.base_style = based_on
    r_pr = element.get_or_add_rPr()
    if font is not None:
        _set_fonts(r_pr, font)
    if size is not None:
        style.font.size = Pt(size)
    style.font.bold = False if font is not None else None
    if color is not None:
        style.font.color.rgb = color
    if spacing is not None:
        _append(r_pr, "w:spacing", **{"w:val": spacing})
    if style.type != WD_STYLE_TYPE.PARAGRAPH:
        return style
    fmt = style.paragraph_format
    if alignment is not None:
        fmt.alignment = alignment
    if first_line is not None:
        fmt.first_line_indent = first_line
    if left is not None:
        fmt.left_indent = left
    if right is not None:
        fmt.right_indent = right
    fmt.space_before = space_before if space_before is not None else Pt(0)
    fmt.space_after = Pt(0)
    if exact is not None:
        fmt.line_spacing = exact
        _append(element.get_or_add_pPr(), "w:snapToGrid", **{"w:val": 0})
    if keep_next:
        fmt.keep_with_next = True
    if keep_lines:
        fmt.keep_together = True
    if outline_level is not None:
        _append(element.get_or_add_pPr(), "w:outlineLvl", **{"w:val": outline_level})
    return style


def body_width(text: str) -> float:
    """Width in points of 三号 body text: 16 pt a Chinese character, 8 a digit, less 0.4 each."""
    return sum(SANHAO * (0.5 if ord(char) < 0x80 else 1) + CHAR_SPACING / 20 for char in text)


def _join_scripts(text: str) -> str:
    """``text`` with a word joiner (U+2060) between Chinese characters and digits, for
    LibreOffice only: it ignores ``w:autoSpaceDN`` and would widen 2023年4月7日 by 16 pt, so
    the 成文日期 would leave its place. The joiner is invisible and stops that spacing."""
    return re.sub(r"(?<=[0-9])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[0-9])", "\u2060", text)


def _wrapped_lines(text: str, width: float, first: float = 0.0, size: float = SANHAO) -> int:
    """Lines ``text`` takes in a block ``width`` points wide (a closing mark may hang past the
    edge, as Word, WPS and LibreOffice do)."""
    spacing = CHAR_SPACING / 20 if size == SANHAO else 0
    lines, x = 1, first
    for char in text:
        if char == "\n":
            lines, x = lines + 1, 0.0
            continue
        advance = size * (0.5 if ord(char) < 0x80 else 1) + spacing
        if x + advance > width + 0.01 and x > 0:
            if char in CLOSING and x <= width + 0.01:
                x += advance
                continue
            lines, x = lines + 1, 0.0
        x += advance
    return lines


@dataclass
class _Flow:
    """What one paragraph takes on the page, for placing the 版记 (heights in twips)."""

    lines: list[int]
    keep_next: bool = False
    keep_lines: bool = False
    page_break: bool = False
    paragraph: object = None
    repeat: int = 0  # a table row's header row, repeated above it on a new page


def estimate_end(flow: list[_Flow]) -> tuple[int, int]:
    """(page, twips used on it) where the text ends, laid out on the 22-line grid with the
    keep-with-next and keep-lines rules Word and LibreOffice apply."""
    page, used = 1, 0
    for index, item in enumerate(flow):
        if item.page_break and used:
            page, used = page + 1, 0
        lines = [sum(item.lines)] if item.keep_lines else list(item.lines)
        for height in lines[:-1]:
            if used + height > TEXT_HEIGHT and used:
                page, used = page + 1, 0
            used += height
        tail = lines[-1]
        if item.keep_next:
            following = index + 1
            while following < len(flow) and flow[following].keep_next:
                if flow[following].page_break:
                    break
                tail += sum(flow[following].lines)
                following += 1
            if following < len(flow) and not flow[following].page_break:
                tail += flow[following].lines[0]
        if used + tail > TEXT_HEIGHT and used:
            page, used = page + 1, item.repeat
        used += lines[-1]
    return page, used


_template_bytes: bytes | None = None


def _template() -> bytes:
    """An empty .docx with the page, the styles and the page numbers set up, made once a
    process (setting up the styles takes longer than laying out a whole document)."""
    global _template_bytes
    if _template_bytes is None:
        builder = OfficialDocument.__new__(OfficialDocument)
        builder.document = Document()
        builder._setup_styles()
        builder._setup_page()
        buffer = io.BytesIO()
        builder.document.save(buffer)
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
        self._flow: list[_Flow] = []
        self._colophon: list[tuple[str, str]] | None = None
        self._forced_layout = ""
        self.colophon_layout = ""
        self._init = {"author": author, "title": title, "created": self.created}
        self._calls: list[tuple[str, tuple, dict]] = []
        self._depth = 0
        self._finished = False
        self._signer = ""
        self._for_libreoffice = False
        self.pdf_renderings = 0  # how many LibreOffice renderings the last pdf() took
        self.pdf_layout = ""  # and the 版记's placement in the PDF it returned

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
        settings = self.document.settings
        settings.odd_and_even_pages_header_footer = True
        # 标点压缩 (Word: 中文版式 → 压缩标点符号; WPS and LibreOffice read the same setting).
        control = settings.element.find(qn("w:characterSpacingControl"))
        if control is not None:
            control.set(qn("w:val"), "compressPunctuation")
        theme_lang = settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), "zh-CN")
        self._page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, footer, alignment) -> None:
        """ "— 1 —" in 四号 宋体, odd pages right, even pages left, one character in."""
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = self.style("PageNumber")
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(SIHAO)
        else:
            fmt.left_indent = Pt(SIHAO)
        paragraph.add_run("— ")
        run = paragraph.add_run()
        _append(run._r, "w:fldChar", **{"w:fldCharType": "begin"})
        instr = _append(run._r, "w:instrText", **{"xml:space": "preserve"})
        instr.text = " PAGE "
        _append(run._r, "w:fldChar", **{"w:fldCharType": "separate"})
        paragraph.add_run("1")
        end = paragraph.add_run()
        _append(end._r, "w:fldChar", **{"w:fldCharType": "end"})
        paragraph.add_run(" —")

    def _setup_styles(self) -> None:
        styles = self.document.styles
        # Document defaults: the template's theme fonts (a Japanese East-Asian face) go.
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            for fonts in defaults.iter(qn("w:rFonts")):
                _set_fonts(fonts.getparent(), FANGSONG)
            for element in defaults.iter(qn("w:lang")):
                element.set(qn("w:eastAsia"), "zh-CN")
        normal = _define_style(
            styles["Normal"],
            font=FANGSONG,
            size=SANHAO,
            spacing=CHAR_SPACING,
            alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
            first_line=Pt(2 * CHAR.pt),
        )
        r_pr = normal.element.get_or_add_rPr()
        _append(r_pr, "w:lang", **{"w:val": "en-US", "w:eastAsia": "zh-CN"})
        p_pr = normal.element.get_or_add_pPr()
        normal.paragraph_format.line_spacing = 1.0
        normal.paragraph_format.widow_control = False
        # No automatic space between Chinese and digits: dates and numbers keep the grid.
        _append(p_pr, "w:autoSpaceDE", **{"w:val": 0})
        _append(p_pr, "w:autoSpaceDN", **{"w:val": 0})

        def paragraph_style(style_id: str, **kwargs):
            try:
                style = styles[STYLE_NAMES[style_id]]
            except KeyError:
                style = styles.add_style(STYLE_NAMES[style_id], WD_STYLE_TYPE.PARAGRAPH)
                style.element.set(qn("w:styleId"), style_id)
            style.quick_style = True
            return _define_style(style, based_on=normal, **kwargs)

        for level, style_id in HEADING_STYLES.items():
            heading = _define_style(
                styles[style_id.replace("Heading", "Heading ")],
                based_on=normal,
                font=HEADING_FONTS[level],
                size=SANHAO,
                keep_next=True,
                keep_lines=True,
                outline_level=level - 1,
            )
            heading.next_paragraph_style = normal
            # The linked character style, for a heading that runs into its paragraph's text.
            char_style = styles[f"Heading {level} Char"]
            _define_style(char_style, name=f"标题 {level} 字符", font=HEADING_FONTS[level])
        no_indent = {"first_line": Pt(0)}
        paragraph_style(
            "IssuerMark",
            font=XIAOBIAOSONG,
            size=XIAOCHU,
            spacing=0,
            color=RED,
            alignment=WD_ALIGN_PARAGRAPH.CENTER,
            exact=MARK_LINE,
            **no_indent,
        )
        number = paragraph_style(
            "DocumentNumber", alignment=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True, **no_indent
        )
        _border(number.element, "bottom", color="FF0000", size=RULE_WIDTH, space=RULE_SPACE)
        paragraph_style(
            "DocumentTitle",
            font=XIAOBIAOSONG,
            size=ERHAO,
            spacing=0,
            alignment=WD_ALIGN_PARAGRAPH.CENTER,
            exact=TITLE_LINE,
            keep_next=True,
            keep_lines=True,
            **no_indent,
        )
        paragraph_style("Recipients", **no_indent)
        paragraph_style("AttachmentNote")
        paragraph_style("Signature", keep_next=True, **no_indent)
        paragraph_style("SignatureDate", **no_indent)
        paragraph_style("Note")
        paragraph_style("AttachmentLabel", font=HEITI, keep_next=True, **no_indent)
        colophon = paragraph_style(
            "Colophon",
            font=FANGSONG,
            size=SIHAO,
            spacing=0,
            alignment=WD_ALIGN_PARAGRAPH.LEFT,
            first_line=Pt(0),
            left=Pt(SIHAO),
            right=Pt(SIHAO),
            exact=COLOPHON_LINE,
        )
        # 印发日期 ends one character in from the right edge (tab positions count from the
        # text block's left edge).
        colophon.paragraph_format.tab_stops.add_tab_stop(
            TEXT_WIDTH - Pt(SIHAO), WD_TAB_ALIGNMENT.RIGHT
        )
        paragraph_style("PageNumber", font=SONGTI, size=SIHAO, spacing=0, **no_indent)
        paragraph_style(
            "TableText",
            font=FANGSONG,
            size=SIHAO,
            spacing=0,
            alignment=WD_ALIGN_PARAGRAPH.CENTER,
            **no_indent,
        )
        paragraph_style(
            "TableHeader",
            font=HEITI,
            size=SIHAO,
            spacing=0,
            alignment=WD_ALIGN_PARAGRAPH.CENTER,
            **no_indent,
        )
        signer = styles.add_style("签发人姓名", WD_STYLE_TYPE.CHARACTER)
        signer.element.set(qn("w:styleId"), "SignerName")
        _define_style(signer, font=KAITI)

    # -- elements -----------------------------------------------------------------------------
    def style(self, style_id: str):
        """The style with this id (``STYLE_NAMES`` lists them with their names)."""
        return StyleFactory(self.document.styles.element.get_by_id(style_id))

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
        item = _Flow(lines=lines or [LINE_PITCH], paragraph=paragraph, **flow)
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
        return [LINE_PITCH] * _wrapped_lines(text, width, first)

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
            _append(run._r.get_or_add_rPr(), "w:w", **{"w:val": scale})
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
        self._signer = "、".join(names)
        paragraph = self._paragraph("DocumentNumber", lines=[NUMBER_HEIGHT])
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = CHAR
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
        dated.add_run(_join_scripts(date_text) if self._for_libreoffice else date_text)

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
        _append(tbl_pr, "w:tblW", **{"w:w": sum(twips), "w:type": "dxa"})
        _append(tbl_pr, "w:jc", **{"w:val": "center"})
        borders = _append(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _append(
                borders,
                f"w:{side}",
                **{"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"},
            )
        _append(tbl_pr, "w:tblLayout", **{"w:type": "fixed"})
        for column, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
            column.set(qn("w:w"), str(width))
        header_height = 0
        for index, values in enumerate([header, *rows]):
            row = table.add_row()
            tr_pr = row._tr.get_or_add_trPr()
            _append(tr_pr, "w:cantSplit")
            if index == 0:
                _append(tr_pr, "w:tblHeader")
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
                lines = max(lines, _wrapped_lines(text, inner, size=SIHAO))
            height = lines * LINE_PITCH + TABLE_RULE
            header_height = header_height if index else height
            self._flow.append(
                _Flow(lines=[height], keep_next=index == 0, repeat=header_height if index else 0)
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
            _append(paragraph._p.get_or_add_pPr(), "w:framePr", **frame)
            _border(paragraph._p, "top", color="000000", size=8 if index == 0 else 4)
            if index == len(rows) - 1:
                _border(paragraph._p, "bottom", color="000000", size=8)
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

        It renders the same document built for LibreOffice (see :func:`_join_scripts`). The
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


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF written by LibreOffice (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


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
