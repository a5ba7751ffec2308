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
    title_words,
)

DATE = datetime.date(2023, 4, 7)
TITLE = "秀英区民政局关于2023年社会工作主题宣传活动开展情况的报告"
CHAR = 16 - 0.4  # one character of body text, in points
TEXT_WIDTH = (210 - 28 - 26) / 25.4 * 72
LEFT_EDGE, RIGHT_EDGE = 28 / 25.4 * 72, (210 - 26) / 25.4 * 72
SENTENCE = "全区各乡镇（街道）社工站联动社区社会组织开展宣传活动，服务群众。"


def report(*, paragraphs: int = 3, sealed: bool = False, copy_to: str = "") -> OfficialDocument:
    """A district's summary report with ``paragraphs`` body paragraphs of about four lines."""
    doc = OfficialDocument(author="秀英区民政局")
    doc.issuer_mark("秀英区民政局文件")
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
    assert round(fmt.left_indent.pt / CHAR, 1) == round(fmt.right_indent.pt / CHAR, 1) == 1
    (stop,) = fmt.tab_stops
    assert stop.alignment.name == "RIGHT"
    assert round((TEXT_WIDTH - stop.position.pt) / CHAR, 1) == 1  # one character in
    signer = line.runs[-1]
    assert signer.text == "张三"
    assert signer.style.name == "签发人姓名"
    assert signer.style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体_GB2312"
    rule = line.style.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (rule.get(qn("w:color")), int(rule.get(qn("w:space")))) == ("FF0000", 11)
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
