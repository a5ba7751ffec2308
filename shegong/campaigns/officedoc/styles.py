"""The named styles of an official document, and its page set-up.

Word's built-in styles keep their stored names (Chinese Word and WPS show Normal as 正文 and
heading 1–3 as 标题 1–3, and use them for the navigation pane and tables of contents); the
others are named in Chinese. Runs carry no formatting of their own: a clerk restyles the
document by changing a style.
"""

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import StyleFactory

from .measures import (
    BOTTOM,
    CHAR,
    CHAR_SPACING,
    COLOPHON_LINE,
    ERHAO,
    FANGSONG,
    HEITI,
    KAITI,
    LEFT,
    LINE_PITCH,
    MARK_LINE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RED,
    RIGHT,
    RULE_SPACE,
    RULE_WIDTH,
    SANHAO,
    SIHAO,
    SONGTI,
    TEXT_WIDTH,
    TITLE_LINE,
    TOP,
    XIAOBIAOSONG,
    XIAOCHU,
)
from .ooxml import append, border, define_style, set_fonts

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


def style_by_id(document, style_id: str):
    """The style with this id (python-docx looks styles up by name only)."""
    return StyleFactory(document.styles.element.get_by_id(style_id))


def setup_page(document) -> None:
    """A4, the margins, the 22-line grid, punctuation compression and the page numbers."""
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(15)
    # Page number: its baseline ≈ 7 mm below the text block (GB/T 9704-2012 7.5).
    section.footer_distance = Mm(24)
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    append(sect_pr, "w:docGrid", **{"w:type": "lines", "w:linePitch": LINE_PITCH})
    settings = document.settings
    settings.odd_and_even_pages_header_footer = True
    # 标点压缩 (Word: 中文版式 → 压缩标点符号; WPS and LibreOffice read the same setting).
    control = settings.element.find(qn("w:characterSpacingControl"))
    if control is not None:
        control.set(qn("w:val"), "compressPunctuation")
    theme_lang = settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    _page_number(document, section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(document, section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(document, footer, alignment) -> None:
    """ "— 1 —" in 四号 宋体, odd pages right, even pages left, one character in."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = style_by_id(document, "PageNumber")
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(SIHAO)
    else:
        fmt.left_indent = Pt(SIHAO)
    paragraph.add_run("— ")
    run = paragraph.add_run()
    append(run._r, "w:fldChar", **{"w:fldCharType": "begin"})
    instr = append(run._r, "w:instrText", **{"xml:space": "preserve"})
    instr.text = " PAGE "
    append(run._r, "w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")
    end = paragraph.add_run()
    append(end._r, "w:fldChar", **{"w:fldCharType": "end"})
    paragraph.add_run(" —")


def setup_styles(document) -> None:
    """Every style the generator uses (``STYLE_NAMES``), defined from scratch."""
    styles = document.styles
    # Document defaults: the template's theme fonts (a Japanese East-Asian face) go.
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            set_fonts(fonts.getparent(), FANGSONG)
        for element in defaults.iter(qn("w:lang")):
            element.set(qn("w:eastAsia"), "zh-CN")
    normal = define_style(
        styles["Normal"],
        font=FANGSONG,
        size=SANHAO,
        spacing=CHAR_SPACING,
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line=Pt(2 * CHAR.pt),
    )
    r_pr = normal.element.get_or_add_rPr()
    append(r_pr, "w:lang", **{"w:val": "en-US", "w:eastAsia": "zh-CN"})
    p_pr = normal.element.get_or_add_pPr()
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = False
    # No automatic space between Chinese and digits: dates and numbers keep the grid.
    append(p_pr, "w:autoSpaceDE", **{"w:val": 0})
    append(p_pr, "w:autoSpaceDN", **{"w:val": 0})

    def paragraph_style(style_id: str, **kwargs):
        try:
            style = styles[STYLE_NAMES[style_id]]
        except KeyError:
            style = styles.add_style(STYLE_NAMES[style_id], WD_STYLE_TYPE.PARAGRAPH)
            style.element.set(qn("w:styleId"), style_id)
        style.quick_style = True
        return define_style(style, based_on=normal, **kwargs)

    for level, style_id in HEADING_STYLES.items():
        heading = define_style(
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
        define_style(char_style, name=f"标题 {level} 字符", font=HEADING_FONTS[level])
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
    border(number.element, "bottom", color="FF0000", size=RULE_WIDTH, space=RULE_SPACE)
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
    colophon.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(SIHAO), WD_TAB_ALIGNMENT.RIGHT)
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
    define_style(signer, font=KAITI)
