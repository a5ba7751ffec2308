"""Every poster size is exactly one page, however much the station lists."""

import subprocess

import pytest

from shegong.directory.demo import SERVICES, STEPS
from shegong.directory.models import Service, StaffMember
from shegong.directory.posters import poster_pdf
from tests.system_tools import needs_commands

from .conftest import make_listing


def _pages(pdf: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in info.splitlines() if ":" in line)


def _full_listing(station, *, copies: int):
    """The demo's listing (four services, five steps), its services repeated ``copies``
    times, with a staff of six: more than a station usually lists."""
    listing = make_listing(station, services=0)
    listing.process_steps = STEPS
    listing.save()
    for n in range(copies * len(SERVICES)):
        name, category, target, description, eligibility, fee, apply = SERVICES[n % len(SERVICES)]
        Service.objects.create(
            listing=listing,
            name=f"{name}{n // len(SERVICES) or ''}",
            category=category,
            target_group=target,
            description=description,
            eligibility=eligibility,
            fee=fee,
            how_to_apply=apply,
            position=n,
        )
    for n in range(5):
        StaffMember.objects.create(
            listing=listing, name=f"社工{n}", role="社工", qualification="assistant"
        )
    return listing


@needs_commands("pdfinfo")
@pytest.mark.parametrize("size", ["a4", "a3"])
@pytest.mark.parametrize("copies", [1, 3])
def test_poster_is_one_page_of_its_size(station, size, copies, tmp_path):
    listing = _full_listing(station, copies=copies)

    info = _pages(poster_pdf(listing, size=size), tmp_path)

    assert info["Pages"].strip() == "1"
    assert f"({size.upper()})" in info["Page size"]
    assert info["Author"].strip() == station.name  # the station issues its own poster
