"""Page geometry, fonts, sizes and text widths of GB/T 9704-2012, and the estimate of where
a document's text ends on the 22-line grid (to place the 版记 on the last even page)."""

import datetime
import re
from dataclasses import dataclass

from docx.shared import Emu, Mm, Pt, RGBColor

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


CHAR = Pt(SANHAO + CHAR_SPACING / 20)  # one character of body text, spacing included: 15.6 pt
TEXT_HEIGHT = int((PAGE_HEIGHT - TOP - BOTTOM) / 635)  # twips: 12 756
COLOPHON_LINE = Pt(SIHAO * 2)  # a 版记 row: 28 pt
TITLE_LINE = Pt(ERHAO * 1.5)  # 33 pt
# Points between the 发文字号's line and the red rule: the line is a grid line (28.95 pt) whose
# bottom is ≈ 4 pt under the characters, so 7 pt puts the rule 4 mm under them (measured).
RULE_SPACE = 7
RULE_WIDTH = 12  # eighths of a point: 1.5 pt
# The 发文字号's line: its grid line plus the rule's distance and width, in twips.
NUMBER_HEIGHT = LINE_PITCH + (RULE_SPACE * 8 + RULE_WIDTH) * 20 // 8
MARK_LINE = Pt(XIAOCHU)
# Where the 发文机关标志's glyphs start relative to the top of their 36 pt exact line (小标宋 as
# rendered: 1.5 pt above it), so the space before the line puts their top edge 35 mm under the
# text block's (tests/campaigns/test_officedoc.py measures it in the PDF).
MARK_INK_OFFSET = Pt(-1.5)
TABLE_RULE = 10  # twips a table row's rule adds to its grid lines (½ pt)


# Marks that may not start a line (and may hang past the edge), and that may not end one.
OPENING = "《（(“‘〔【"
CLOSING = "》）)”’〕】，。、；：！？,.;:!?"


def body_width(text: str) -> float:
    """Width in points of 三号 body text: 16 pt a Chinese character, 8 a digit, less 0.4 each."""
    return sum(SANHAO * (0.5 if ord(char) < 0x80 else 1) + CHAR_SPACING / 20 for char in text)


def join_scripts(text: str) -> str:
    """``text`` with a word joiner (U+2060) between Chinese characters and digits, for
    LibreOffice only: it ignores ``w:autoSpaceDN`` and would widen 2023年4月7日 by 16 pt, so
    the 成文日期 would leave its place. The joiner is invisible and stops that spacing."""
    return re.sub(r"(?<=[0-9])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[0-9])", "\u2060", text)


def wrapped_lines(text: str, width: float, first: float = 0.0, size: float = SANHAO) -> int:
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
class Flow:
    """What one paragraph takes on the page, for placing the 版记 (heights in twips)."""

    lines: list[int]
    keep_next: bool = False
    keep_lines: bool = False
    page_break: bool = False
    paragraph: object = None
    repeat: int = 0  # a table row's header row, repeated above it on a new page


def estimate_end(flow: list[Flow]) -> tuple[int, int]:
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
