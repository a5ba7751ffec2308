import subprocess

import pytest

from shegong.directory.models import Poster
from shegong.directory.services import listing_verify
from shegong.directory.tasks import poster_generate
from tests.system_tools import needs_commands


def _queued() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith="poster_generate").count()


@needs_commands("pdfinfo", "pdftotext")
@pytest.mark.parametrize("size", ["a4", "a3"])
def test_poster_is_made_in_background_and_cached_until_listing_changes(
    login, station_worker, listing, tmp_path, today, size, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(station_worker)
    url = f"/console/directory/stations/460105001/poster-{size}.pdf"

    offer = client.get(url)
    assert offer.status_code == 202
    assert f"生成 {size.upper()} 海报" in offer.content.decode()
    assert _queued() == 0  # a GET writes nothing, queues nothing
    asked = client.post(url)
    assert asked["Location"] == url
    assert "正在生成" in client.get(url).content.decode()

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
    stale = client.get(url)
    assert stale.status_code == 202  # stale: offered again after the change
    assert f"生成 {size.upper()} 海报" in stale.content.decode()
    assert Poster.objects.get(listing=listing, size=size).listing_version < listing.version


def test_poster_of_sibling_station_is_not_found(login, station_worker, sibling_listing):
    client = login(station_worker)
    url = "/console/directory/stations/460106001/poster-a4.pdf"

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert _queued() == 0


def test_poster_asked_for_twice_queues_one_rendering(login, station_worker, listing):
    client = login(station_worker)
    url = "/console/directory/stations/460105001/poster-a4.pdf"

    for _ in range(3):
        client.post(url)
        assert client.get(url).status_code == 202

    assert _queued() == 1


def test_poster_queued_again_after_the_listing_changes(login, station_worker, listing, today):
    client = login(station_worker)
    url = "/console/directory/stations/460105001/poster-a4.pdf"
    client.post(url)
    listing_verify(actor=station_worker, listing=listing, today=today)
    client.post(url)

    assert _queued() == 2


def test_poster_whose_file_was_lost_is_offered_and_made_again(
    login, station_worker, listing, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(station_worker)
    url = "/console/directory/stations/460105001/poster-a4.pdf"
    client.post(url)
    poster_generate.call(listing.pk, "a4")
    poster = Poster.objects.get(listing=listing, size="a4")
    poster.pdf.storage.delete(poster.pdf.name)  # e.g. media not carried over to a new server

    response = client.get(url)

    assert response.status_code == 202
    assert "生成 A4 海报" in response.content.decode()
    assert Poster.objects.filter(pk=poster.pk).exists()  # the GET deleted nothing
    client.post(url)
    assert _queued() == 2


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
