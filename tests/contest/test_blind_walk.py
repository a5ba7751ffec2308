"""Blind review, walked: every console and account URL the resolver knows, asked by a judge on
the demo data (their own reviews, photos and the call filling the URLs' parameters, as pages
and as htmx fragments), shows no author, author's unit, phone, code, consent note or file name
of any entry. A URL added later is walked without anyone writing a test for it."""

import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.test import Client

from shegong.accounts.models import User
from shegong.contest.models import Entry, EntryMedia, Review
from tests.site_walk import all_routes

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # The file name is percent-encoded (filename*=UTF-8''…): decoded, it is read like the rest.
    parts = [response.get("Location", ""), unquote(response.get("Content-Disposition", ""))]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    elif content[:4] == b"%PDF":
        parts.append(content.decode("latin-1"))
    else:
        parts.append(content.decode("utf-8", "replace"))
    return "\n".join(parts)


def _secrets() -> set[str]:
    found = set()
    for entry in Entry.objects.select_related("unit", "entered_by"):
        found.update({entry.author_name, entry.phone, entry.code, entry.display_code})
        if entry.consent_note:
            found.add(entry.consent_note)
        if entry.unit is not None:
            found.add(entry.unit.name)
        if entry.entered_by is not None:
            found.add(entry.entered_by.display_name)
    found.update(n for n in EntryMedia.objects.values_list("original_name", flat=True) if n)
    return {s for s in found if len(s) >= 3}


@pytest.fixture(scope="module")
def demo_data(demo_loader):
    """The demo data (tests/demo_data.py), judge.1 able to sign in."""
    with demo_loader("judge.1"):
        yield


def test_a_judge_sees_no_author_anywhere_in_the_console(demo_data):
    judge = User.objects.get(username="judge.1")
    client = Client()
    client.force_login(judge)
    reviews = list(Review.objects.filter(judge=judge).select_related("entry__call"))
    assert reviews, "the demo gives judge.1 entries to review"
    own = {
        "pk": [r.entry_id for r in reviews],
        "slug": sorted({r.entry.call.slug for r in reviews}),
    }
    media_ids = list(
        EntryMedia.objects.filter(entry__reviews__judge=judge).values_list("pk", flat=True)
    )
    secrets = _secrets()
    assert any(r.entry.author_name in secrets for r in reviews)

    problems, asked = [], 0
    for route in all_routes():
        if route.area not in ("console", "accounts"):
            continue
        values_list = [{}]
        if route.parameters:
            if not route.name.startswith("contest:"):
                continue  # other apps' objects: not the judge's (tests/core/test_unit_leaks.py)
            if "media" in route.route:
                values_list = [{"pk": pk} for pk in media_ids[:3]]
            elif set(route.parameters) == {"pk"}:
                values_list = [{"pk": pk} for pk in own["pk"][:5]]
            elif set(route.parameters) == {"slug"}:
                values_list = [{"slug": slug} for slug in own["slug"]]
        for values in values_list:
            url = route.path(values)
            for htmx in (False, True):
                headers = {"HX-Request": "true"} if htmx else {}
                response = client.get(url, headers=headers)
                asked += 1
                if response.status_code >= 500:
                    problems.append(f"GET {url}: {response.status_code}")
                text = _text(response)
                shown = sorted(s for s in secrets if s in text)
                if shown:
                    problems.append(f"GET {url}{' (htmx)' if htmx else ''}: shows {shown[:5]}")
            if route.name == "contest:review_detail":
                page = client.get(url).content.decode()
                assert re.search(r"<h1>[^<]+</h1>", page)  # the story itself is there

    assert asked > 40
    assert not problems, "\n".join(problems)
