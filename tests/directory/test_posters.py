import subprocess

import pytest

from shegong.directory.models import Poster
from shegong.directory.services import listing_verify
from shegong.directory.tasks import poster_generate
from tests.system_tools import needs_commands


@needs_commands("pdfinfo", "pdftotext")
@pytest.mark.parametrize("size", ["a4", "a3"])
def test_poster_is_made_in_background_and_cached_until_listing_changes(
    login, station_worker, listing, tmp_path, today, size, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(station_worker)
    url = f"/console/directory/stations/460105001/poster-{size}.pdf"

    waiting = client.get(url)
    assert waiting.status_code == 202
    assert "正在生成" in waiting.content.decode()

    poster_generate.call(listing.pk, size)  # what the worker runs
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert f"pts ({size.upper()})" in info
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    assert "秀英街道社工站" in text
    assert "0898-68650001" in text
    assert "王海燕" in text

    listing_verify(actor=station_worker, listing=listing, today=today)
    assert client.get(url).status_code == 202  # stale: rebuilt after the change
    assert Poster.objects.get(listing=listing, size=size).listing_version < listing.version


def test_poster_of_sibling_station_is_not_found(login, station_worker, sibling_listing):
    response = login(station_worker).get("/console/directory/stations/460106001/poster-a4.pdf")

    assert response.status_code == 404


def test_poster_waiting_page_reloaded_queues_one_rendering(login, station_worker, listing):
    from django_tasks_db.models import DBTaskResult

    client = login(station_worker)
    url = "/console/directory/stations/460105001/poster-a4.pdf"

    for _ in range(3):
        assert client.get(url).status_code == 202

    assert DBTaskResult.objects.filter(task_path__endswith="poster_generate").count() == 1


def test_poster_queued_again_after_the_listing_changes(login, station_worker, listing, today):
    from django_tasks_db.models import DBTaskResult

    client = login(station_worker)
    url = "/console/directory/stations/460105001/poster-a4.pdf"
    client.get(url)
    listing_verify(actor=station_worker, listing=listing, today=today)
    client.get(url)

    assert DBTaskResult.objects.filter(task_path__endswith="poster_generate").count() == 2


def test_poster_whose_file_was_lost_is_made_again(
    login, station_worker, listing, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(station_worker)
    url = "/console/directory/stations/460105001/poster-a4.pdf"
    client.get(url)
    poster_generate.call(listing.pk, "a4")
    poster = Poster.objects.get(listing=listing, size="a4")
    poster.pdf.storage.delete(poster.pdf.name)  # e.g. media not carried over to a new server

    response = client.get(url)

    assert response.status_code == 202
    assert "正在生成" in response.content.decode()
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="poster_generate").count() == 2


@needs_commands("pdftoppm", "zbarimg")
def test_poster_made_for_another_site_address_is_made_again_for_this_one(
    login, station_worker, listing, tmp_path, settings
):
    # The demo restarted on another port: a poster printed for the old one must not be served.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "http://127.0.0.1:8000"
    client = login(station_worker)
    url = "/console/directory/stations/460105001/poster-a4.pdf"
    poster_generate.call(listing.pk, "a4")
    assert client.get(url).status_code == 200

    settings.SITE_URL = "http://127.0.0.1:8101"
    assert client.get(url).status_code == 202
    poster_generate.call(listing.pk, "a4")
    response = client.get(url)

    assert response.status_code == 200
    (tmp_path / "poster.pdf").write_bytes(b"".join(response.streaming_content))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", "poster.pdf", "poster"],
        cwd=tmp_path,
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", tmp_path / "poster.png"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded.startswith("http://127.0.0.1:8101/q/")
