"""No dead link on the public site: every link a citizen can follow from ``/``, in both
languages and both modes, answers; the footer's emergency numbers can be tapped to call."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.heavy  # scheduled first (tests/conftest.py)

# Not followed: staff pages (a login), QR short links (following one counts a scan), the
# documents and media a link downloads (checked for an answer, not read).
STAFF = ("/console/", "/admin/", "/accounts/", "/api/")
PREFERENCES = {"lang", "elder", "size"}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.described: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        href = attributes.get("href")
        if tag == "a" and href:
            self.hrefs.append(href)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        self.described.update((attributes.get("aria-describedby") or "").split())


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def normalised(url: str) -> str:
    """The page without the display preferences, which the client's cookies hold."""
    parts = urlsplit(url)
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and pair.split("=")[0] not in PREFERENCES
    )
    return parts.path + (f"?{query}" if query else "")


def walk(client: Client, limit: int = 1500) -> tuple[dict[str, int], dict[str, str], dict]:
    """Status of every internal URL reachable from ``/``, where each was first seen, and the
    ``aria-describedby`` ids of each page that name no element of it."""
    statuses: dict[str, int] = {}
    undescribed: dict[str, set[str]] = {}
    found_on: dict[str, str] = {"/": "(start)"}
    queue = ["/"]
    while queue and len(statuses) < limit:
        url = queue.pop(0)
        if url in statuses:
            continue
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code in (301, 302):
            target = normalised(urljoin(url, response["Location"]))
            found_on.setdefault(target, url)
            queue.append(target)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parsed = links_of(response.content.decode())
        if parsed.described - parsed.ids:
            undescribed[url] = parsed.described - parsed.ids
        for href in parsed.hrefs:
            if href.startswith(("tel:", "mailto:", "#")):
                continue
            absolute = urljoin(url, href)
            parts = urlsplit(absolute)
            if parts.scheme in ("http", "https") and parts.netloc not in ("", "testserver"):
                continue  # nothing public links off the site today; not ours to check
            target = normalised(absolute)
            if target.startswith(STAFF) or target.startswith("/q/"):
                continue
            found_on.setdefault(target, url)
            if target not in statuses:
                queue.append(target)
    return statuses, found_on, undescribed


def test_every_public_link_answers(demo_data, db):
    # One demo for the four walks, loaded from the process's seeded copy (tests/demo_data.py).
    for lang in ("zh-hans", "en"):
        for elder in ("0", "1"):
            client = Client()
            client.get(f"/?lang={lang}&elder={elder}")  # kept in cookies from here on

            statuses, found_on, undescribed = walk(client)

            dead = {
                url: f"{status} (linked from {found_on.get(url)})"
                for url, status in statuses.items()
                if status == 404 or status >= 500
            }
            assert dead == {}, (lang, elder)
            assert undescribed == {}, (lang, elder)
            # The walk saw the whole site: stations, stories, documents, the forms.
            for page in ("/stations/", "/help/", "/help/track/", "/stories/", "/docs/"):
                assert statuses.get(page) == 200, (page, lang, elder)
            reached = set(statuses)
            assert any(re.fullmatch(r"/stations/\d+/", url) for url in reached)
            assert any(re.fullmatch(r"/stories/\d{4}-\d+/", url) for url in reached)
            assert any(re.fullmatch(r"/docs/[\w-]+/", url) for url in reached)
            assert any(url.startswith("/survey/") for url in reached)


def test_footer_emergency_numbers_are_tel_links(anonymous, db):
    content = anonymous.get("/").content.decode()
    footer = content[content.index("<footer") :]

    for number in ("110", "120", "12345"):
        assert f'href="tel:{number}"' in footer


def test_menu_links_only_to_pages_that_answer(anonymous, db):
    content = anonymous.get("/").content.decode()
    menu = content[
        content.index('class="main-nav"') : content.index(
            "</nav>", content.index('class="main-nav"')
        )
    ]

    for href in re.findall(r'href="([^"]+)"', menu):
        assert anonymous.get(href).status_code == 200, href
