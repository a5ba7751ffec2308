"""GB/T 9704-2012 layout checks on an official document's PDF, as a clerk checks a print-out.

Shared by the tests of every document the generator makes (the notice, a report): render with
LibreOffice, read the words back with their boxes (``pdftotext -bbox-layout``), the page count
(``pdfinfo``), the fonts (``pdffonts``) and the red ink (``pdftoppm``), then
:func:`check_layout`.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from shegong.campaigns.officedoc import ERHAO, balanced_lines, chinese_date, text_width

MM = 72 / 25.4  # points
TOP, BOTTOM = 37 * MM, (297 - 35) * MM  # the text block's edges on the page, in points
LEFT, RIGHT = 28 * MM, (210 - 26) * MM
CHAR = 16 - 0.4  # one character of body text, its spacing included
PAGE_NUMBER = re.compile(r"^—\d+—$")
FULL_CHINESE = re.compile(r"[^\x00-\x7f]+")


@dataclass
class Line:
    """A visual line: the words at one height on a page, left to right."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass
class Rendering:
    path: Path
    pages: list[list[Line]]  # without the page numbers
    numbers: list[str]  # each page's page number, "" where it has none
    number_lines: list  # each page's page number as a Line, None where it has none

    @property
    def lines(self) -> list[tuple[int, Line]]:
        return [(index, line) for index, page in enumerate(self.pages) for line in page]

    def find(self, text: str) -> tuple[int, Line]:
        return next((index, line) for index, line in self.lines if line.text == text)


def read(pdf: bytes, folder: Path, name: str = "document") -> Rendering:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages, numbers, number_lines = [], [], []
    word_re = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    )
    for page in re.findall(r"<page .*?</page>", xml, re.S):
        rows: dict[int, list] = {}
        for x0, y0, x1, y1, word in word_re.findall(page):
            rows.setdefault(round(float(y1)), []).append(
                (float(x0), float(y0), float(x1), float(y1), word)
            )
        lines = []
        for _, words in sorted(rows.items()):
            words.sort()
            lines.append(
                Line(
                    "".join(w[4] for w in words).replace("\u2060", ""),
                    words[0][0],
                    min(w[1] for w in words),
                    max(w[2] for w in words),
                    max(w[3] for w in words),
                )
            )
        number = [line for line in lines if PAGE_NUMBER.match(line.text)]
        numbers.append(number[0].text if number else "")
        number_lines.append(number[0] if number else None)
        pages.append([line for line in lines if not PAGE_NUMBER.match(line.text)])
    return Rendering(path, pages, numbers, number_lines)


def page_count(rendering: Rendering) -> int:
    info = subprocess.run(
        ["pdfinfo", str(rendering.path)], check=True, capture_output=True, text=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def fonts(rendering: Rendering) -> str:
    return subprocess.run(
        ["pdffonts", str(rendering.path)], check=True, capture_output=True, text=True
    ).stdout


def _first_page(rendering: Rendering) -> Image.Image:
    """Page 1 at 127 dpi: five pixels a millimetre."""
    stem = rendering.path.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "127", "-f", "1", "-l", "1", "-png", str(rendering.path), str(stem)],
        check=True,
    )
    return Image.open(next(stem.parent.glob(f"{stem.name}*.png"))).convert("RGB")


def _red(pixel) -> bool:
    return pixel[0] > 180 and pixel[1] < 90 and pixel[2] < 90


def red_ink_top_mm(rendering: Rendering) -> float:
    """How far below the top of page 1 its first red ink (the 发文机关标志) starts, in mm."""
    image = _first_page(rendering)
    pixels = image.load()
    width, height = image.size
    for y in range(height):
        if any(_red(pixels[x, y]) for x in range(0, width, 2)):
            return y / 5
    raise AssertionError("no red ink on page 1")


def red_rule(rendering: Rendering) -> tuple[float, float, float, float]:
    """The red rule under the 发文字号 on page 1: (its top, the bottom of the characters
    above it, its left and right end), in mm from the page's top and left edges."""
    image = _first_page(rendering)
    pixels = image.load()
    width, height = image.size
    for y in range(height):
        red = [x for x in range(width) if _red(pixels[x, y])]
        if len(red) > width / 2:  # a row mostly red: the rule, not the 标志's characters
            break
    else:
        raise AssertionError("no red rule on page 1")
    ink = y - 1
    while not any(sum(pixels[x, ink]) < 300 for x in range(red[0], red[-1], 2)):
        ink -= 1
    return y / 5, (ink + 1) / 5, red[0] / 5, (red[-1] + 1) / 5


def check_layout(
    rendering: Rendering,
    *,
    title: str,
    issuer: str,
    date,
    sealed: bool = False,
    headings: tuple[str, ...] = (),
    blank_page_before_colophon: bool | None = None,
) -> None:
    """Assert SPEC §8's placement rules on a rendered document."""
    pages = rendering.pages
    # The 版记 ends the last page, which is even; its last row's bottom is the text block's
    # last line, its 印发日期 one character (四号, 14 pt) in from the right edge.
    assert page_count(rendering) % 2 == 0
    printed = pages[-1][-1]
    assert printed.text.endswith("印发"), printed.text
    assert abs(printed.bottom - BOTTOM) < 3, printed.bottom
    assert abs((RIGHT - printed.right) - 14) < 1.5, RIGHT - printed.right
    if blank_page_before_colophon is not None:
        # A blank page before the 版记's: both without a page number (7.5).
        blank = not pages[-2]
        assert blank == blank_page_before_colophon
        if blank:
            assert rendering.numbers[-2:] == ["", ""]
    # Page numbers “— n —” (四号), odd pages one character in from the right, even pages one
    # character in from the left; pages without one only at the end (blank and 版记 pages).
    numbered = [line for line in rendering.number_lines if line is not None]
    assert rendering.number_lines[: len(numbered)] == numbered
    for page, line in enumerate(numbered, start=1):
        assert line.text == f"—{page}—"
        if page % 2:
            assert abs((RIGHT - line.right) - 14) < 1.5
        else:
            assert abs((line.left - LEFT) - 14) < 1.5
    # The 发文机关标志's top edge: 35 mm under the top of the text block.
    assert abs(red_ink_top_mm(rendering) - (37 + 35)) < 0.6
    # The red rule: 4 mm under the 发文字号, as wide as the text block.
    rule, characters, start, end = red_rule(rendering)
    assert abs(rule - characters - 4) < 0.6, (rule, characters)
    assert abs(start - 28) < 0.6
    assert abs(end - (210 - 26)) < 0.6
    # The title breaks between words, in balanced lines.
    expected = balanced_lines(title, (RIGHT - LEFT) / ERHAO)
    _, first = rendering.find(expected[0])
    index = pages[0].index(first)
    assert [line.text for line in pages[0][index : index + len(expected)]] == expected
    widths = [text_width(line) for line in expected]
    assert max(widths) - min(widths) <= 3
    # 署名 and 成文日期 in one of the two layouts.
    date_text = chinese_date(date)
    page, sign = rendering.find(issuer)
    dated = pages[page][pages[page].index(sign) + 1]
    assert dated.text == date_text
    if sealed:
        assert abs((RIGHT - dated.right) - 4 * CHAR) < 3
        centre = (sign.left + sign.right) / 2
        assert abs(centre - (dated.left + dated.right) / 2) < 3
    else:
        if text_width(date_text) > text_width(issuer):
            assert abs((RIGHT - dated.right) - 2 * CHAR) < 3
        else:
            assert abs((RIGHT - sign.right) - 2 * CHAR) < 3
        assert abs((dated.left - sign.left) - 2 * CHAR) < 2
    # The signature's page carries body text above it (no page with only the 附件说明 and the
    # signature).
    above = pages[page][: pages[page].index(sign)]
    assert any(not re.match(r"^(附件|\d+\.)", line.text) for line in above)
    # No page ends with a heading.
    for number, page_lines in enumerate(pages[:-1], start=1):
        if page_lines:
            assert page_lines[-1].text not in headings, (number, page_lines[-1].text)
    # Nothing outside the text block; 28 characters in a full line of Chinese (26 after a
    # paragraph's two-character indent; a closing mark may hang past the edge).
    for page_lines in pages:
        for line in page_lines:
            assert line.top >= TOP - 1, line.text
            assert line.bottom <= BOTTOM + 1, line.text
            body_size = line.bottom - line.top < 24  # 三号 text, not the 标志 or the title
            if body_size and line.right >= RIGHT - 3 and FULL_CHINESE.fullmatch(line.text):
                hanging = line.right > RIGHT + 1
                indented = line.left > LEFT + 16
                assert len(line.text) - hanging == (26 if indented else 28), line.text
    # The body in 仿宋: FandolFang (scripts/system-packages.sh fetches it), not a 宋体 stand-in.
    assert "FandolFang" in fonts(rendering), (
        "the PDF's 仿宋 is not FandolFang: run shegong/campaigns/fonts/fetch_fandol.sh "
        "(scripts/system-packages.sh and make install/demo/test run it)"
    )
