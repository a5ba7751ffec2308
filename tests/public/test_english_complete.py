"""The public pages are complete in English: no Chinese is left untranslated.

Chinese may still appear where it is content that exists only in Chinese (a station's own
service names, an official document's text), but then it is marked ``lang="zh-Hans"`` so a
screen reader switches voice; anything else Chinese on an English page is a string someone
forgot to translate. ``<title>`` and ``<meta>`` are not checked: they cannot mark a part of
their text as Chinese, and what they name in Chinese (a document's own title) has no English.
"""

import re
from html.parser import HTMLParser

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class UnmarkedChinese(HTMLParser):
    """Collects text and attribute values with Han characters outside a ``lang="zh…"`` element."""

    CHECKED_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "value")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside Chinese)
        self.found: list[str] = []

    def _in_chinese(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").lower()
        chinese = lang.startswith("zh") if lang else self._in_chinese()
        if tag in ("title", "meta"):
            chinese = True
        if not chinese:
            for name in self.CHECKED_ATTRIBUTES:
                value = attributes.get(name) or ""
                if HAN.search(value):
                    self.found.append(f"<{tag} {name}={value!r}>")
        if tag not in VOID:
            self.stack.append((tag, chinese))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if HAN.search(data) and not self._in_chinese() and self._visible():
            self.found.append(data.strip())

    def _visible(self) -> bool:
        return not any(tag in ("script", "style") for tag, _ in self.stack)


def unmarked_chinese(html: str) -> list[str]:
    parser = UnmarkedChinese()
    parser.feed(html)
    return parser.found


def test_the_checker_finds_unmarked_chinese():
    assert unmarked_chinese('<p lang="zh-Hans">秀英区</p><p>Hello</p>') == []
    assert unmarked_chinese("<p>Hello <b>秀英区</b></p>") == ["秀英区"]
    assert unmarked_chinese('<img alt="海报">') == ["<img alt='海报'>"]


def test_every_public_page_is_complete_in_english(anonymous, demo_data, db):
    from shegong.directory.models import StationListing

    slug = StationListing.objects.order_by("slug").values_list("slug", flat=True).first()
    district = slug[:6]
    pages = [
        "/",
        "/stations/",
        f"/stations/?district={district}",
        f"/stations/{slug}/",
        "/help/",
        f"/help/?station={slug}",
        "/help/track/",
        "/docs/",
        "/docs/haikou-2023/",
        "/survey/haikou-2023/",
        "/stations/?lat=20.03&lng=110.32",
        "/no-such-page/",
    ]
    from shegong.contest.models import Entry

    story = Entry.objects.published().order_by("pk").first()
    pages += [
        "/stories/",
        "/stories/?category=photo",
        f"/stories/{story.slug}/",
        "/stories/submit/",
        "/stories/follow/",
        f"/stories/verify/{story.certificate_code}/",
    ]

    problems = {}
    for elder in ("0", "1"):
        for page in pages:
            joiner = "&" if "?" in page else "?"
            response = anonymous.get(f"{page}{joiner}lang=en&elder={elder}")
            assert response.status_code == (404 if "no-such" in page else 200), page
            found = unmarked_chinese(response.content.decode())
            if found:
                problems[f"{page} elder={elder}"] = found

    assert problems == {}


def test_asking_for_help_and_tracking_it_is_complete_in_english(anonymous, demo_data, db):
    from shegong.helpdesk.models import HelpRequest
    from shegong.orgs.models import Unit

    station = Unit.objects.filter(level=Unit.Level.STATION, is_demo=False).order_by("code")[0]
    anonymous.get("/?lang=en")  # the language is remembered in a cookie from here on
    sent = anonymous.post(
        "/help/",
        {
            "for_whom": "neighbour",
            "category": "elderly",
            "description": "My neighbour, 82, lives alone and needs a visit.",
            "area": station.code,
            "contact_name": "Wang",
            "phone": "13800138123",
            "preferred_time": "any",
            "consent": "on",
        },
        follow=True,
    )
    request = HelpRequest.objects.get(phone="13800138123")
    tracked = anonymous.post(
        "/help/track/", {"code": request.display_code, "last4": "8123"}, follow=True
    )

    assert request.display_code in tracked.content.decode()
    assert unmarked_chinese(sent.content.decode()) == []
    assert unmarked_chinese(tracked.content.decode()) == []
