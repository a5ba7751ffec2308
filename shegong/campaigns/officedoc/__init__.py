"""Official documents laid out to GB/T 9704-2012 (党政机关公文格式), and their PDF rendering.

A plain builder over python-docx (:class:`OfficialDocument`): callers add the elements in
order (版头, 主体, 版记) and get .docx or PDF bytes back. It is the one generator of every
document the platform issues: the notice (``campaigns.documents``), the district summaries and
the city report (上行文, in ``reports``). Fonts are named as on bureau PCs so Word and WPS render
them; the PDF rendering maps those names to free fonts through ``fonts/fonts.conf``.

Layout (GB/T 9704-2012, docs/campaigns.md): A4; margins 37/35/28/26 mm; 22 lines of 28
characters of 三号 (16 pt) text.
The grid is a ``lines`` docGrid of 579 twips (637.8 pt / 22) and the 正文 style gives every
character −0.4 pt of spacing, so 28 characters fill the 442 pt text block exactly in Word, WPS
and LibreOffice (LibreOffice reads Word's ``linesAndChars`` grid as 14 characters a line).
Formatting lives in named styles (``STYLE_NAMES``), never on runs.

Modules: ``document`` (the builder), ``styles`` (styles and page set-up), ``measures`` (sizes,
widths, the page-end estimate), ``titles`` (word-aware title breaking), ``ooxml`` (XML
helpers), ``pdf`` (LibreOffice).
"""

from .document import OfficialDocument
from .measures import (
    CHAR,
    ERHAO,
    FANGSONG,
    HEITI,
    KAITI,
    SANHAO,
    SIHAO,
    SONGTI,
    TEXT_WIDTH,
    XIAOBIAOSONG,
    XIAOCHU,
    body_width,
    chinese_date,
    estimate_end,
    printable,
    text_width,
    title_width,
)
from .pdf import FONTS_CONF, PdfUnavailable, docx_to_pdf, libreoffice, pdf_available, pdf_page_count
from .styles import STYLE_NAMES
from .titles import balanced_lines, title_words

__all__ = [
    "CHAR",
    "ERHAO",
    "FANGSONG",
    "FONTS_CONF",
    "HEITI",
    "KAITI",
    "SANHAO",
    "SIHAO",
    "SONGTI",
    "STYLE_NAMES",
    "TEXT_WIDTH",
    "XIAOBIAOSONG",
    "XIAOCHU",
    "OfficialDocument",
    "PdfUnavailable",
    "balanced_lines",
    "body_width",
    "chinese_date",
    "docx_to_pdf",
    "estimate_end",
    "libreoffice",
    "pdf_available",
    "pdf_page_count",
    "printable",
    "text_width",
    "title_width",
    "title_words",
]
