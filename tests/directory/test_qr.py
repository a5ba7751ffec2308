import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.directory.models import QrLink, QrScanDay
from shegong.directory.services import qr_scan_record
from tests.system_tools import needs_commands


def _today_count(link) -> int:
    row = QrScanDay.objects.filter(link=link, day=timezone.localdate()).first()
    return row.count if row else 0


@needs_commands("zbarimg", "pdftoppm")
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_qr_image_decodes_to_the_short_link_which_redirects_and_counts(
    login, anonymous, station_worker, qr_link, tmp_path, settings, fmt
):
    settings.SITE_URL = "https://shegong.example.org"
    response = login(station_worker).get(f"/console/directory/qr/bus12x/image.{fmt}")
    assert response.status_code == 200
    image = tmp_path / f"qr.{fmt}"
    image.write_bytes(response.content)
    if fmt == "svg":
        assert b"#a3211b" in response.content  # the default brand colour
        # zbar reads raster images: render the SVG the way a print shop would.
        from weasyprint import HTML

        pdf = tmp_path / "qr.pdf"
        HTML(string=f'<img src="{image.as_uri()}" style="width:60mm">').write_pdf(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", "-singlefile", pdf, tmp_path / "qr"], check=True
        )
        image = tmp_path / "qr.png"

    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()

    assert decoded == "https://shegong.example.org/q/bus12x"
    before = _today_count(qr_link)
    redirect = anonymous.get(decoded.removeprefix("https://shegong.example.org"))
    assert redirect.status_code == 302
    assert redirect["Location"] == "/stations/460105001/"
    assert _today_count(qr_link) == before + 1


def test_qr_redirect_counts_each_scan_by_channel_and_day(anonymous, qr_link, sibling_qr_link):
    for _ in range(3):
        anonymous.get("/q/bus12x")
    anonymous.get("/q/lh9999")

    assert _today_count(qr_link) == 3
    assert _today_count(sibling_qr_link) == 1


def test_qr_redirect_once_cached_costs_one_update(anonymous, qr_link):
    anonymous.get("/q/bus12x")

    with CaptureQueriesContext(connection) as queries:
        anonymous.get("/q/bus12x")

    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]


def test_qr_unknown_code_is_404(anonymous, db):
    assert anonymous.get("/q/nothere").status_code == 404


def test_qr_scan_is_answered_with_the_security_headers_and_no_cookie(anonymous, qr_link):
    # Scans are answered before most of the middleware (directory.middleware): the redirect
    # still carries every answer's security headers and sets nothing in the scanner's phone.
    response = anonymous.get("/q/bus12x?lang=en&elder=1", secure=True)

    assert response.status_code == 302
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies
    assert _today_count(qr_link) == 1


def test_qr_unknown_code_gets_the_sites_own_404_page_in_chinese(anonymous, db):
    response = anonymous.get("/q/nothere")

    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in response.content.decode()


def test_qr_scan_record_first_scan_of_day_inserts(qr_link, today):
    qr_scan_record(link_id=qr_link.pk, day=today)
    qr_scan_record(link_id=qr_link.pk, day=today)

    assert QrScanDay.objects.get(link=qr_link, day=today).count == 2


def test_qr_retarget_keeps_code_and_redirects_to_new_target(
    login, anonymous, station_worker, qr_link
):
    anonymous.get("/q/bus12x")  # cache the old target

    response = login(station_worker).post(
        "/console/directory/qr/bus12x/", {"channel": "公交12路（新）", "target": "/help/"}
    )

    assert response.status_code == 302
    qr_link.refresh_from_db()
    assert qr_link.code == "bus12x"
    assert anonymous.get("/q/bus12x")["Location"] == "/help/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "help"])
def test_qr_target_must_be_a_page_of_this_site(login, station_worker, qr_link, target):
    response = login(station_worker).post(
        "/console/directory/qr/bus12x/", {"channel": "公交12路", "target": target}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "跳转地址须是本站页面" in content
    assert f'value="{target}"' in content
    qr_link.refresh_from_db()
    assert qr_link.target == "/stations/460105001/"


def test_qr_create_in_own_unit(login, station_worker, station):
    response = login(station_worker).post(
        "/console/directory/qr/",
        {"unit": station.code, "channel": "站点门口", "target": "/stations/460105001/"},
    )

    link = QrLink.objects.get(channel="站点门口")
    assert response["Location"] == f"/console/directory/qr/{link.code}/"
    assert len(link.code) == 6


def test_qr_create_in_sibling_unit_is_refused(login, station_worker, sibling_station):
    response = login(station_worker).post(
        "/console/directory/qr/",
        {"unit": sibling_station.code, "channel": "站点门口", "target": "/help/"},
    )

    assert "请选择所属单位。" in response.content.decode()
    assert not QrLink.objects.exists()


def test_qr_list_shows_scans_per_channel_and_day_without_leaks(
    login, anonymous, district_officer, qr_link, sibling_qr_link
):
    anonymous.get("/q/bus12x")
    anonymous.get("/q/bus12x")

    content = login(district_officer).get("/console/directory/qr/").content.decode()

    assert "公交12路车身广告" in content
    assert "<td>2</td>" in content
    assert "龙华医院海报" not in content


def test_qr_detail_of_sibling_is_not_found(login, station_worker, sibling_qr_link):
    client = login(station_worker)

    assert client.get("/console/directory/qr/lh9999/").status_code == 404
    assert client.get("/console/directory/qr/lh9999/image.png").status_code == 404


@pytest.mark.parametrize("links", [1, 3])
def test_qr_list_query_count_is_constant(login, district_officer, station, links):
    for n in range(links):
        QrLink.objects.create(code=f"code{n}", channel=f"渠道{n}", target="/", unit=station)
    client = login(district_officer)
    client.get("/console/directory/qr/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/directory/qr/")

    assert response.content.decode().count("渠道") >= links
    assert len(queries) == 6


def test_qr_scans_are_counted_in_the_cache_and_none_is_lost(anonymous, qr_link, settings, today):
    from django.apps import apps
    from django.utils import timezone

    settings.DIRECTORY_QR_FLUSH_SECONDS = 3600

    for _ in range(4):
        assert anonymous.get("/q/bus12x").status_code == 302

    assert _today_count(qr_link) == 1  # after a quiet spell the first scan is written at once
    report = apps.get_app_config("directory").periodic(timezone.now())
    assert report.endswith("QR scans written: 3")
    assert _today_count(qr_link) == 4
    apps.get_app_config("directory").periodic(timezone.now())
    assert _today_count(qr_link) == 4  # written once only


def test_qr_redirect_head_request_is_not_counted_as_a_scan(anonymous, qr_link):
    response = anonymous.head("/q/bus12x")

    assert response.status_code == 302
    assert response["Location"] == "/stations/460105001/"
    assert _today_count(qr_link) == 0


@pytest.mark.parametrize("code", ["a" * 300, "a b", "a%0Ab", "%00"])
def test_qr_redirect_malformed_code_is_404_without_a_lookup(anonymous, db, code):
    anonymous.get("/")  # the public header (brand, city) is cached for every page after this
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(f"/q/{code}")

    assert response.status_code == 404
    assert len(queries) == 0


def test_qr_create_twice_for_the_same_channel_is_refused(login, station_worker, station):
    """A double tap on 生成二维码 must not leave two codes splitting one channel's scans."""
    client = login(station_worker)
    data = {"unit": station.code, "channel": "站点门口", "target": "/stations/460105001/"}
    client.post("/console/directory/qr/", data)

    response = client.post("/console/directory/qr/", {**data, "channel": " 站点门口 "})

    content = response.content.decode()
    assert response.status_code == 200
    assert "本单位已有“站点门口”渠道的二维码" in content
    assert 'value="/stations/460105001/"' in content
    assert QrLink.objects.filter(channel="站点门口").count() == 1


def test_qr_rename_to_another_links_channel_is_refused(login, station_worker, station, qr_link):
    other = QrLink.objects.create(code="door01", channel="站点门口", target="/help/", unit=station)

    response = login(station_worker).post(
        f"/console/directory/qr/{other.code}/",
        {"channel": "公交12路车身广告", "target": "/help/"},
    )

    assert "本单位已有“公交12路车身广告”渠道的二维码" in response.content.decode()
    other.refresh_from_db()
    assert other.channel == "站点门口"
