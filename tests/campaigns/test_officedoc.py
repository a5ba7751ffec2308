"""The official-document generator on a small 上行文 (a district's 报告), built directly and read
back from the .docx (python-docx) and from LibreOffice's PDF (pdftotext, pdfinfo, pdftoppm)."""

import datetime
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from shegong.campaigns.officedoc import (
    OfficialDocument,
    balanced_lines,
    docx_to_pdf,
    estimate_end,
    title_words,
)
from shegong.campaigns.officedoc.measures import Flow
from tests.campaigns import gbt9704
from tests.system_tools import needs_commands

pytestmark = pytest.mark.heavy  # scheduled first (tests/conftest.py)

DATE = datetime.date(2023, 4, 7)
TITLE = "秀英区民政局关于2023年社会工作主题宣传活动开展情况的报告"
CHAR = 16 - 0.4  # one character of body text, in points
TEXT_WIDTH = (210 - 28 - 26) / 25.4 * 72
LEFT_EDGE, RIGHT_EDGE = 28 / 25.4 * 72, (210 - 26) / 25.4 * 72
SENTENCE = "全区各乡镇（街道）社工站联动社区社会组织开展宣传活动，服务群众。"


TABLE_HEADER = ["单位", "报送状态", "活动场次", "参与人次"]


def table_rows(count: int) -> list[list]:
    return [
        [f"第{number}社工站", "按时报送", number, number * 10] for number in range(1, count + 1)
    ]


def report(
    *,
    paragraphs: int = 3,
    sealed: bool = False,
    copy_to: str = "",
    table: int = 0,
    mark: str = "秀英区民政局文件",
) -> OfficialDocument:
    """A district's summary report with ``paragraphs`` body paragraphs of about four lines
    (and, with ``table``, an attachment page holding a table of that many rows)."""
    doc = OfficialDocument(author="秀英区民政局")
    doc.issuer_mark(mark)
    doc.upward_header("秀民报〔2023〕5号", "张三")
    doc.title(TITLE)
    doc.recipients("海口市民政局")
    doc.body("3月21日至31日，全区共开展宣传活动12场，参与群众860人次。现将有关情况报告如下：")
    doc.heading("一、工作开展情况", 1)
    doc.heading("（一）强化组织领导", 2)
    for index in range(paragraphs):
        if index % 4 == 3:
            doc.heading(f"{index // 4 + 1}.加强宣传阵地建设", 3)
        doc.body(SENTENCE * 3, lead="（二）突出实效。" if index == 1 else "", lead_level=2)
    doc.attachment_note(["秀英区2023年社会工作主题宣传活动统计表"])
    doc.signature("秀英区民政局", DATE, sealed=sealed)
    doc.note("联系人：李四，联系电话：68650000")
    if table:
        doc.new_page()
        doc.attachment_label()
        doc.title("各站宣传活动统计表")
        doc.table(TABLE_HEADER, table_rows(table))
    doc.colophon(printed_by="秀英区民政局办公室", printed_on=DATE, copy_to=copy_to)
    return doc


def _open(doc: OfficialDocument):
    return Document(io.BytesIO(doc.docx()))


def _find(document, start: str):
    return next(p for p in document.paragraphs if p.text.startswith(start))


def test_upward_header_puts_number_left_and_signer_right_on_one_line():
    document = _open(report())
    line = _find(document, "秀民报")
    fmt = line.paragraph_format

    assert line.text == "秀民报〔2023〕5号\t签发人：张三"
    assert line.style.name == "发文字号"
    assert line.alignment.name == "LEFT"
    assert round(fmt.first_line_indent.pt / CHAR, 1) == 1  # 发文字号 one character in
    assert fmt.left_indent in (None, 0)  # the rule below spans the whole text block
    assert fmt.right_indent in (None, 0)
    (stop,) = fmt.tab_stops
    assert stop.alignment.name == "RIGHT"
    assert round((TEXT_WIDTH - stop.position.pt) / CHAR, 1) == 1  # one character in
    signer = line.runs[-1]
    assert signer.text == "张三"
    assert signer.style.name == "签发人姓名"
    assert signer.style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体_GB2312"
    rule = line.style.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (rule.get(qn("w:color")), int(rule.get(qn("w:space")))) == ("FF0000", 7)
    # 空二行 under the 发文机关标志, two blank lines before the title.
    texts = [p.text for p in document.paragraphs]
    index = texts.index(line.text)
    assert texts[index - 3 : index] == ["秀英区民政局文件", "", ""]
    assert texts[index + 1 : index + 3] == ["", ""]


def test_report_uses_named_styles_and_outline_levels():
    document = _open(report(paragraphs=4))
    expected = {
        "秀英区民政局文件": "发文机关标志",
        "秀英区民政局关于": "公文标题",
        "海口市民政局：": "主送机关",
        "3月21日至31日": "Normal",
        "一、工作开展情况": "Heading 1",
        "（一）强化组织领导": "Heading 2",
        "1.加强宣传阵地建设": "Heading 3",
        "附件：": "附件说明",
        "（联系人：李四": "附注",
    }
    for start, style in expected.items():
        assert _find(document, start).style.name == style, start
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)
        assert style.paragraph_format.keep_with_next
        assert style.base_style.name == "Normal"
    lead = _find(document, "（二）突出实效。")
    assert [run.style.name for run in lead.runs] == ["标题 2 字符", "Default Paragraph Font"]
    # Runs carry no formatting of their own (at most a character style): the styles do it.
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            properties = [] if run._r.rPr is None else list(run._r.rPr)
            assert [child.tag for child in properties] in ([], [qn("w:rStyle")]), run.text
    colophon = [p for p in document.paragraphs if p.text.endswith("印发")]
    assert colophon[0].style.name == "版记"


def test_report_properties_name_the_issuing_unit_and_the_creation_time():
    before = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    props = _open(report()).core_properties
    after = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    assert props.author == props.last_modified_by == "秀英区民政局"
    assert props.title == TITLE
    assert before <= props.created.replace(tzinfo=None) <= after
    assert props.language == "zh-CN"


def test_table_reads_back_with_its_header_repeated_and_rows_whole():
    document = _open(report(table=3))
    (table,) = document.tables

    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        TABLE_HEADER,
        *[[str(value) for value in row] for row in table_rows(3)],
    ]
    header, *rows = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert {cell.paragraphs[0].style.name for cell in header.cells} == {"表头"}
    assert {cell.paragraphs[0].style.name for row in rows for cell in row.cells} == {"表格文字"}
    label = next(p for p in document.paragraphs if p.text == "附件")
    assert label.style.name == "附件标识"
    assert label.paragraph_format.page_break_before


def test_punctuation_compression_is_on():
    settings = _open(report()).settings.element

    control = settings.find(qn("w:characterSpacingControl"))
    assert control.get(qn("w:val")) == "compressPunctuation"


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (TITLE, ["秀英区民政局关于2023年社会工作", "主题宣传活动开展情况的报告"]),
        (
            "海口市民政局关于印发《海口市2023年社会工作主题宣传活动方案》的通知",
            ["海口市民政局关于印发《海口市2023年", "社会工作主题宣传活动方案》的通知"],
        ),
        ("海口市2023年社会工作主题宣传活动方案", ["海口市2023年社会工作主题宣传活动方案"]),
    ],
)
def test_title_breaks_between_words_in_balanced_lines(title, lines):
    assert balanced_lines(title, TEXT_WIDTH / 22) == lines
    paragraph = _find(_open(report()), "秀英区民政局关于")
    assert paragraph.text.split("\n") == balanced_lines(TITLE, TEXT_WIDTH / 22)


def test_title_words_keep_words_numbers_and_brackets_whole():
    words = title_words("关于印发《海口市2023年社会工作主题宣传活动方案》的通知")

    assert "社会工作" in words
    assert "2023年" in words
    assert words[words.index("2023年") - 1].startswith("《")
    assert any(word.endswith("方案》") for word in words)


# -- the rendered PDF ----------------------------------------------------------------------------
HEADINGS = ("一、工作开展情况", "（一）强化组织领导", "1.加强宣传阵地建设", "2.加强宣传阵地建设")
# Body lengths whose text ends (estimated on the grid, then checked in the rendering) on an
# even page with room for the 版记, on an odd page, and on an even page without room.
LAYOUTS = {"same": (1, False), "next": (6, True), "blank": (4, False)}
LONG_MARK = "海口市桂林洋经济开发区社会事业管理科文件"  # 20 characters: 720 pt at 36 pt


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The three placements of the 版记, rendered once for the module."""
    folder = tmp_path_factory.mktemp("officedoc")
    result = {}
    for layout, (paragraphs, sealed) in LAYOUTS.items():
        mark = LONG_MARK if layout == "blank" else "秀英区民政局文件"
        doc = report(
            paragraphs=paragraphs, sealed=sealed, copy_to="海口市人民政府办公室", mark=mark
        )
        result[layout] = (doc, gbt9704.read(doc.pdf(), folder, layout))
    return result


@needs_commands("libreoffice", "pdftotext", "pdfinfo", "pdffonts", "pdftoppm")
@pytest.mark.parametrize("layout", LAYOUTS)
def test_report_pdf_follows_gbt9704(rendered, layout):
    doc, rendering = rendered[layout]

    # The 版记's placement estimated for the .docx was right the first time.
    assert (doc.pdf_renderings, doc.pdf_layout) == (1, layout)
    doc.docx()
    assert doc.colophon_layout == layout
    gbt9704.check_layout(
        rendering,
        title=TITLE,
        issuer="秀英区民政局",
        date=DATE,
        sealed=LAYOUTS[layout][1],
        headings=HEADINGS,
        blank_page_before_colophon=layout == "blank",
    )


@needs_commands("libreoffice", "pdftotext", "pdfinfo", "pdffonts", "pdftoppm")
def test_report_pdf_table_spans_pages_with_its_header(tmp_path):
    doc = report(table=40)
    rendering = gbt9704.read(doc.pdf(), tmp_path)

    assert doc.pdf_renderings == 1  # the rows' heights were estimated right
    gbt9704.check_layout(rendering, title=TITLE, issuer="秀英区民政局", date=DATE)
    header = "".join(TABLE_HEADER)
    pages = [index for index, line in rendering.lines if line.text == header]
    # On top of the table on each page it spans (three here).
    assert pages == [pages[0], pages[0] + 1, pages[0] + 2]
    for page in pages[1:]:
        assert rendering.pages[page][0].text == header
    cells = [line.text for _, line in rendering.lines if line.text.startswith("第")]
    assert cells == [f"第{n}社工站按时报送{n}{n * 10}" for n in range(1, 41)]


@needs_commands("libreoffice", "pdftotext")
def test_report_pdf_long_issuer_mark_is_narrowed_onto_one_line(rendered):
    _, rendering = rendered["blank"]
    mark = rendering.pages[0][0]

    assert mark.text == LONG_MARK
    assert mark.left >= gbt9704.LEFT - 1
    assert mark.right <= gbt9704.RIGHT + 1
    assert mark.right - mark.left > 0.9 * (gbt9704.RIGHT - gbt9704.LEFT)


def test_long_issuer_mark_gets_narrowed_characters():
    document = _open(report(mark=LONG_MARK))
    (run,) = _find(document, LONG_MARK).runs

    assert int(run._r.rPr.find(qn("w:w")).get(qn("w:val"))) == 61  # 442 pt of 720


@needs_commands("libreoffice", "pdftotext")
def test_report_pdf_upward_header_line(rendered):
    _, rendering = rendered["same"]
    line = next(line for line in rendering.pages[0] if line.text.startswith("秀民报"))

    assert line.text == "秀民报〔2023〕5号签发人：张三"  # one visual line
    # 发文字号 one character in from the left edge, the signer's name one from the right.
    assert abs(line.left - (gbt9704.LEFT + CHAR)) < 2
    assert abs(line.right - (gbt9704.RIGHT - CHAR)) < 2
    assert "UKai" in gbt9704.fonts(rendering)  # the name in 楷体


@needs_commands("libreoffice", "pdftotext")
def test_report_pdf_keeps_a_heading_with_its_text(tmp_path):
    # Page 1: the title (33 pt), a blank line, 主送 and 17 one-line paragraphs take 19 of its
    # 20 remaining lines, which would leave the heading alone on the last one.
    doc = OfficialDocument(author="秀英区民政局")
    doc.title("关于社会工作宣传的报告")
    doc.recipients("海口市民政局")
    for _ in range(17):
        doc.body("全区社工站开展宣传活动。")
    doc.heading("一、工作开展情况", 1)
    doc.body(SENTENCE)
    rendering = gbt9704.read(docx_to_pdf(doc.docx()), tmp_path)

    page, heading = rendering.find("一、工作开展情况")
    assert page == 1  # moved to the next page with its text
    assert len(rendering.pages[0]) == 2 + 17  # the line it would have taken stays empty
    assert rendering.pages[1][0] == heading
    assert rendering.pages[1][1].text.startswith("全区各乡镇")


@needs_commands("libreoffice", "pdftotext")
def test_pdf_corrects_a_wrong_colophon_placement(tmp_path):
    # Force the 版记 onto the text's last page although that page is odd: pdf() sees the odd
    # page count and lays it out again.
    doc = report(paragraphs=6)
    doc._forced_layout = "same"
    rendering = gbt9704.read(doc.pdf(), tmp_path)

    assert doc.pdf_renderings == 2
    assert gbt9704.page_count(rendering) % 2 == 0
    assert rendering.pages[-1][-1].text.endswith("印发")


# -- where the text ends (no rendering) -----------------------------------------------------------
def test_estimate_moves_a_heading_from_the_last_line_with_its_text():
    line = 579  # twips: one grid line
    body = [Flow(lines=[line]) for _ in range(21)]
    heading = Flow(lines=[line], keep_next=True, keep_lines=True)

    assert estimate_end([*body, Flow(lines=[line])]) == (1, 22 * line)
    # The heading would take line 22 with its text on page 2: both go to page 2.
    assert estimate_end([*body, heading, Flow(lines=[line, line])]) == (2, 3 * line)


def test_estimate_repeats_a_table_header_on_a_new_page():
    line = 579
    rows = [Flow(lines=[line], repeat=line) for _ in range(30)]

    assert estimate_end([Flow(lines=[line], keep_next=True), *rows]) == (2, (1 + 9) * line)


@pytest.mark.parametrize(
    ("paragraphs", "layout"), [(0, "same"), (1, "same"), (4, "blank"), (6, "next"), (9, "next")]
)
def test_colophon_placement_follows_where_the_text_ends(paragraphs, layout):
    doc = report(paragraphs=paragraphs, copy_to="海口市人民政府办公室")
    document = _open(doc)
    colophon = [p for p in document.paragraphs if p.style.name == "版记"]
    breaks = [p for p in colophon if p.paragraph_format.page_break_before]

    assert doc.colophon_layout == layout
    assert len(breaks) == (0 if layout == "same" else 1)
    # A blank page before the 版记's: a section of its own, without page numbers.
    assert len(document.sections) == (2 if layout == "blank" else 1)
    if layout == "blank":
        footer = document.sections[1].footer
        assert not footer.is_linked_to_previous
        assert footer.paragraphs[0].text == ""
