"""WordprocessingML helpers python-docx lacks: elements in schema order, paragraph rules,
East-Asian fonts and whole style definitions."""

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt

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


def append(parent, tag: str, **attrs) -> OxmlElement:
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


def border(element, side: str, *, color: str = "FF0000", size: int = 12, space: int = 0):
    """A rule on ``side`` of a paragraph or paragraph style (``element``: w:p or w:style)."""
    p_pr = element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = append(p_pr, "w:pBdr")
    append(
        borders,
        f"w:{side}",
        **{"w:val": "single", "w:sz": size, "w:space": space, "w:color": color},
    )


def set_fonts(r_pr, name: str) -> None:
    fonts = r_pr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        fonts.attrib.pop(attr)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def define_style(
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
        set_fonts(r_pr, font)
    if size is not None:
        style.font.size = Pt(size)
    style.font.bold = False if font is not None else None
    if color is not None:
        style.font.color.rgb = color
    if spacing is not None:
        append(r_pr, "w:spacing", **{"w:val": spacing})
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
        append(element.get_or_add_pPr(), "w:snapToGrid", **{"w:val": 0})
    if keep_next:
        fmt.keep_with_next = True
    if keep_lines:
        fmt.keep_together = True
    if outline_level is not None:
        append(element.get_or_add_pPr(), "w:outlineLvl", **{"w:val": outline_level})
    return style
