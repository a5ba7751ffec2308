"""Every English catalog is complete and its compiled .mo matches the .po.

The .mo files are committed so a fresh machine needs no gettext tools; this test catches a
catalog edited without recompiling (`make messages`) or a public string left untranslated.
"""

import ast
import gettext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted((ROOT / "shegong").rglob("locale/en/LC_MESSAGES/django.po"))


def _entries(po_path: Path) -> dict[str, tuple[str, str]]:
    """``{msgid: (msgid_plural, msgstr)}``; for plural entries msgstr is the singular form."""
    entries, key, current, fuzzy = {}, None, {}, False
    for line in [*po_path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            key = line.split(" ", 1)[0]
            current[key] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid") and not fuzzy:
                msgstr = current.get("msgstr", current.get("msgstr[0]", ""))
                entries[current["msgid"]] = (current.get("msgid_plural", ""), msgstr)
            key, current, fuzzy = None, {}, False
    return entries


def test_there_is_a_public_catalog():
    assert CATALOGS


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_complete_and_compiled(po_path):
    entries = _entries(po_path)
    untranslated = [msgid for msgid, (_, msgstr) in entries.items() if not msgstr]
    assert untranslated == []

    with po_path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, (plural, msgstr) in entries.items()
        if (compiled.ngettext(msgid, plural, 1) if plural else compiled.gettext(msgid)) != msgstr
    ]
    assert stale == [], "run `make messages` to recompile"
