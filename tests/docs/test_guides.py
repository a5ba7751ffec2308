"""The role guides under docs/guide/ cover every console page each role's menu offers, and
every picture they show exists (`make screenshots` takes them)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

GUIDES = Path(__file__).resolve().parents[2] / "docs" / "guide"


def _menu_urls(user) -> set[str]:
    """What the console menu offers this user: the apps' console_menu entries it may use."""
    return {
        reverse(url_name)
        for config in apps.get_app_configs()
        for *_, url_name, allowed in getattr(config, "console_menu", ())
        if allowed(user)
    }


@pytest.mark.parametrize(
    ("role", "guide"),
    [
        ("city_admin", "city-admin.md"),
        ("district_officer", "district-officer.md"),
        ("station_worker", "station-worker.md"),
        ("judge", "judge.md"),
    ],
)
def test_each_role_guide_names_every_page_of_its_menu(db, request, role, guide):
    user = request.getfixturevalue(role)
    text = (GUIDES / guide).read_text(encoding="utf-8")

    urls = _menu_urls(user)

    assert urls, f"{role} has no console page at all"
    missing = sorted(url for url in urls if f"`{url}`" not in text)
    assert missing == [], f"docs/guide/{guide} names none of {missing}"


def test_guides_show_pictures_that_exist():
    for guide in GUIDES.glob("*.md"):
        for picture in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", guide.read_text(encoding="utf-8")):
            assert (GUIDES / picture).is_file(), f"{guide.name}: {picture} (make screenshots)"


def test_the_citizen_guide_names_the_public_pages():
    text = (GUIDES / "citizen.md").read_text(encoding="utf-8")

    for url in ("`/`", "`/stations/`", "`/help/`", "`/help/track/`", "`?elder=1`"):
        assert url in text
