"""The notice as an official document (GB/T 9704-2012, SPEC §8), read back from the file."""

import io
import re
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from shegong.campaigns.documents import notice_document, notice_docx
from shegong.campaigns.models import Campaign
from shegong.campaigns.officedoc import body_width
from tests.campaigns import gbt9704
from tests.system_tools import needs_commands

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECTIONS = ["一、宣传主题", "二、活动目标", "三、活动时间", "四、活动安排", "五、有关要求"]


def _open(campaign):
    return Document(io.BytesIO(notice_docx(campaign)))


def _paragraph(doc, text):
    return next(p for p in doc.paragraphs if p.text.startswith(text))


def _run_property(paragraph, run, tag: str, attr: str = "w:val"):
    """A run property as Word resolves it: the run, its character style, then the paragraph's
    style and the styles they are based on."""

    def chain(style):
        while style is not None:
            yield style.element.rPr
            style = style.base_style

    sources = [run._r.rPr, *chain(run.style), *chain(paragraph.style)]
    for r_pr in sources:
        element = None if r_pr is None else r_pr.find(qn(tag))
        if element is not None and element.get(qn(attr)) is not None:
            return element.get(qn(attr))
    return None


def _fonts(paragraph):
    """(East-Asian font, size in pt) of every run with text, as the styles give them."""
    return {
        (
            _run_property(paragraph, run, "w:rFonts", "w:eastAsia"),
            int(_run_property(paragraph, run, "w:sz")) / 2,
        )
        for run in paragraph.runs
        if run.text.strip()
    }


def test_notice_page_is_a4_with_official_margins_and_grid(haikou):
    doc = _open(haikou)
    section = doc.sections[0]

    def mm(length):
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    # 22 lines fill the text block; 28 characters of 三号 with their spacing fit, 29 do not.
    assert 22 * 579 <= (297 - 37 - 35) / 25.4 * 1440 < 23 * 579
    width = (210 - 28 - 26) / 25.4 * 72
    assert 28 * (16 - 0.4) <= width < 29 * (16 - 0.4)


def test_notice_body_runs_carry_the_character_spacing_and_chinese_language(haikou):
    doc = _open(haikou)
    body = _paragraph(doc, "根据《海南省")

    assert {_run_property(body, run, "w:spacing") for run in body.runs} == {"-8"}
    assert all(run._r.rPr is None for run in body.runs)  # no run formatting of its own
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_notice_elements_use_the_official_fonts_and_sizes(haikou):
    doc = _open(haikou)

    mark = _paragraph(doc, "海口市民政局文件")
    assert _fonts(mark) == {("方正小标宋简体", 36)}
    assert {_run_property(mark, run, "w:color") for run in mark.runs} == {"FF0000"}
    assert _fonts(_paragraph(doc, "海民发〔2023〕79号")) == {("仿宋_GB2312", 16)}
    assert _fonts(_paragraph(doc, "海口市民政局关于印发")) == {("方正小标宋简体", 22)}
    assert _fonts(_paragraph(doc, "各区民政局、桂林洋")) == {("仿宋_GB2312", 16)}
    assert _fonts(_paragraph(doc, "根据《海南省")) == {("仿宋_GB2312", 16)}
    assert _fonts(_paragraph(doc, "一、宣传主题")) == {("黑体", 16)}
    assert _fonts(_paragraph(doc, "（一）市民政局")) == {("楷体_GB2312", 16)}
    assert _fonts(_paragraph(doc, "1.加强新闻媒体宣传")) == {("仿宋_GB2312", 16)}
    assert _fonts(_paragraph(doc, "（一）高度重视")) == {("楷体_GB2312", 16), ("仿宋_GB2312", 16)}
    assert _fonts(_paragraph(doc, "2023年3月6日")) == {("仿宋_GB2312", 16)}
    assert _fonts(_paragraph(doc, "（此件主动公开；联系人：任菲，联系电话：68651227）")) == {
        ("仿宋_GB2312", 16)
    }
    assert _fonts(_paragraph(doc, "海口市民政局\t2023年3月6日印发")) == {("仿宋_GB2312", 14)}


def test_notice_title_and_body_follow_the_notice(haikou):
    texts = [p.text.replace("\n", "") for p in _open(haikou).paragraphs]

    assert "海口市民政局关于印发《海口市2023年社会工作主题宣传活动方案》的通知" in texts
    assert "各区民政局、桂林洋经济开发区社会事业管理科：" in texts
    assert (
        "根据《海南省2023年社会工作主题宣传活动方案》（琼办函〔2023〕6号）部署要求，制定"
        "《海口市2023年社会工作主题宣传活动方案》，现印发给你们，请结合实际，认真贯彻执行。"
    ) in texts
    assert [t for t in texts if t in SECTIONS] == SECTIONS
    assert "2023年3月21日至31日。" in texts
    district = next(t for t in texts if t.startswith("各区民政局要结合实际"))
    assert district.endswith("助力未成年人保护和老年人服务工作的经验做法和典型案例。")


def test_notice_document_number_uses_hexagonal_brackets_without_padding(haikou):
    number = _paragraph(_open(haikou), "海民发")

    assert re.fullmatch(r"海民发〔2023〕[1-9]\d*号", number.text)


def test_notice_red_rule_sits_under_the_document_number(haikou):
    number = _paragraph(_open(haikou), "海民发〔2023〕79号")
    assert number.style.name == "发文字号"
    bottom = number.style.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))

    assert bottom.get(qn("w:color")) == "FF0000"
    assert bottom.get(qn("w:val")) == "single"
    # Points under the line, whose bottom is ≈ 4 pt under the characters: the rule lands 4 mm
    # under them (the PDF checks measure it).
    assert int(bottom.get(qn("w:space"))) == 7
    assert number.paragraph_format.left_indent in (None, 0)  # as wide as the text block


def test_notice_page_numbers_odd_right_even_left(haikou):
    doc = _open(haikou)
    section = doc.sections[0]

    assert doc.settings.odd_and_even_pages_header_footer
    for footer, alignment, indent in (
        (section.footer, "right", "right_indent"),
        (section.even_page_footer, "left", "left_indent"),
    ):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.alignment.name.lower() == alignment
        assert getattr(paragraph.paragraph_format, indent) == Pt(14)
        assert paragraph.text.replace("1", "").strip() == "—  —"
        assert " PAGE " in xml
        assert _fonts(paragraph) == {("宋体", 14)}


def test_notice_signature_date_and_disclosure_note(haikou):
    texts = [p.text for p in _open(haikou).paragraphs]
    sign = texts.index("2023年3月6日")

    assert texts[sign - 1] == "海口市民政局"
    assert texts[sign + 1] == "（此件主动公开；联系人：任菲，联系电话：68651227）"


def test_notice_appended_plan_has_no_attachment_note(haikou):
    texts = [p.text for p in _open(haikou).paragraphs]

    assert not any(t.startswith("附件") for t in texts)
    plan = _paragraph(_open(haikou), "海口市2023年社会工作主题宣传活动方案")
    assert plan.paragraph_format.page_break_before


def test_notice_annex_style_adds_note_and_label(haikou):
    haikou.attachment_style = Campaign.AttachmentStyle.ANNEX
    doc = _open(haikou)
    texts = [p.text for p in doc.paragraphs]

    assert "附件：海口市2023年社会工作主题宣传活动方案" in texts
    label = next(p for p in doc.paragraphs if p.text == "附件")
    assert label.paragraph_format.page_break_before
    assert _fonts(label) == {("黑体", 16)}
    assert texts.index("附件：海口市2023年社会工作主题宣传活动方案") < texts.index("2023年3月6日")


def test_notice_not_public_says_so(haikou):
    haikou.disclosure = Campaign.Disclosure.NOT_PUBLIC
    haikou.contact_phone = ""
    texts = [p.text for p in _open(haikou).paragraphs]

    assert "（此件不予公开；联系人：任菲）" in texts


def _pdf_pages(pdf: bytes, tmp_path) -> list[list[tuple[str, float, float]]]:
    """Per page, the text lines as (text, left, right edge in pt) from pdftotext's boxes."""
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", xml, re.S):
        lines = []
        for line in re.findall(r"<line [^>]*>(.*?)</line>", page, re.S):
            words = re.findall(
                r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>', line
            )
            text = "".join(word for _, _, word in words)
            left = min(float(x) for x, _, _ in words)
            lines.append((text, left, max(float(x) for _, x, _ in words)))
        pages.append(lines)
    return pages


@needs_commands("libreoffice", "pdftotext", "pdfinfo", "pdffonts", "pdftoppm")
@pytest.mark.parametrize("style", Campaign.AttachmentStyle.values)
def test_notice_pdf_follows_gbt9704(haikou, tmp_path, style):
    haikou.attachment_style = style
    haikou.copy_to = "海南省民政厅"
    doc = notice_document(haikou)
    docx = Document(io.BytesIO(doc.docx()))
    headings = tuple(p.text for p in docx.paragraphs if p.style.name.startswith("Heading"))
    pdf = doc.pdf()
    rendering = gbt9704.read(pdf, tmp_path)

    assert doc.pdf_renderings == 1  # the .docx placed its 版记 right
    gbt9704.check_layout(
        rendering,
        title=haikou.notice_title,
        issuer="海口市民政局",
        date=haikou.signed_on,
        headings=headings,
    )
    if style == Campaign.AttachmentStyle.APPENDED:
        _assert_28_characters_by_22_lines(_pdf_pages(pdf, tmp_path))


def _assert_28_characters_by_22_lines(pages):
    """The notice's PDF, read back (one rendering serves both tests above)."""
    left_edge = 28 / 25.4 * 72  # the text block's edges in points
    right_edge = (210 - 26) / 25.4 * 72
    page_number = re.compile(r"^—\d+—$")
    body = [[t for t in page if not page_number.match(t[0])] for page in pages]

    # Page 1: the head, the title, and the notice's body text.
    first = [text for text, _, _ in body[0]]
    assert first[0] == "海口市民政局文件"
    assert any(text.startswith("根据《海南省") for text in first)
    # The plan: its title and all five sections.
    plan = "".join(text for page in body[1:] for text, _, _ in page)
    assert "海口市2023年社会工作主题宣传活动方案" in plan
    for heading in SECTIONS:
        assert heading in plan
    # Every line that fills the block and is only Chinese holds 28 characters, 26 after a
    # paragraph's two-character indent (a closing punctuation mark may hang past the edge,
    # as in Word); no line holds more.
    full = [
        line
        for page in body[1:]
        for line in page
        if line[2] >= right_edge - 3 and re.fullmatch(r"[^\x00-\x7f]+", line[0])
    ]
    assert len(full) > 40
    for text, left, right in full:
        hanging = right > right_edge + 1
        expected = 26 if left > left_edge + 16 else 28
        assert len(text) - hanging == expected, text
    # The 版记 comes last, on the last page.
    assert body[-1][-1][0].endswith("印发")
    # Pages between the plan's first and its last are full: 22 lines each, or 21 where the
    # next page opens with a heading kept with its text.
    text_pages = [page for page in body if not any(t.endswith("印发") for t, _, _ in page)]
    heading = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
    middle = text_pages[2:-1]
    assert middle
    for page, following in zip(middle, text_pages[3:], strict=True):
        expected = 21 if heading.match(following[0][0]) and len(following[0][0]) < 12 else 22
        assert len(page) == expected, [text for text, _, _ in page]


@pytest.mark.parametrize(
    ("issuer", "issuer_right", "date_right"),
    # 海口市民政局 and the date are both six characters wide: 署名 two in from the right, the
    # date two further right (so it ends at the edge). A longer date keeps two characters on
    # its right and the 署名 starts two characters before it.
    [("海口市民政局", 2, 0), ("海口市人民政府办公厅", 2, 4), ("民政局", 7, 2)],
)
def test_notice_signature_unsealed_layout(haikou, issuer, issuer_right, date_right):
    haikou.issuer.name = issuer
    doc = _open(haikou)
    texts = [p.text for p in doc.paragraphs]
    date = doc.paragraphs[texts.index("2023年3月6日")]
    sign = doc.paragraphs[texts.index("2023年3月6日") - 1]
    char = 16 - 0.4
    width = (210 - 28 - 26) / 25.4 * 72

    def right_space(paragraph):
        left = paragraph.paragraph_format.left_indent.pt
        return round((width - left - body_width(paragraph.text)) / char, 1)

    assert sign.text == issuer
    assert (sign.style.name, date.style.name) == ("署名", "成文日期")
    assert right_space(sign) == pytest.approx(issuer_right, abs=0.1)
    # 2023年3月6日 is six characters wide (digits ½), less the digits' spacing.
    assert right_space(date) == pytest.approx(date_right, abs=0.1)
    starts = [p.paragraph_format.left_indent.pt for p in (sign, date)]
    assert round((starts[1] - starts[0]) / char, 1) == 2
    assert texts[texts.index(issuer) - 2] != ""  # one blank line under the body, not two


def test_notice_colophon_sits_on_the_last_line_between_rules(haikou):
    haikou.copy_to = "海南省民政厅"
    doc = _open(haikou)
    copy_to = _paragraph(doc, "抄送：海南省民政厅。")
    printed = _paragraph(doc, "海口市民政局\t2023年3月6日印发")

    frames = [p._p.pPr.find(qn("w:framePr")) for p in (copy_to, printed)]
    assert {f.get(qn("w:vAnchor")) for f in frames} == {"page"}
    # Two rows of 28 pt above the bottom margin: 297 − 35 mm − 56 pt, in twips.
    assert int(frames[0].get(qn("w:y"))) == pytest.approx((297 - 35) / 25.4 * 1440 - 2 * 560, abs=2)
    assert copy_to._p.pPr.find(qn("w:pBdr")).find(qn("w:top")).get(qn("w:sz")) == "8"
    assert printed._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:sz")) == "8"
    assert _fonts(copy_to) == {("仿宋_GB2312", 14)}
