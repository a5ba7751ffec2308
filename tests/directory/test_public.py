import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import station_unit

from .conftest import make_listing


def test_station_index_lists_districts_with_stations(anonymous, listing, sibling_listing):
    content = anonymous.get("/stations/").content.decode()

    assert 'href="?district=460105"' in content
    assert 'href="?district=460106"' in content
    assert "第一步：选择您所在的区" in content


def test_station_index_district_shows_its_towns_and_not_others(
    anonymous, listing, second_station, sibling_listing
):
    make_listing(second_station)

    content = anonymous.get("/stations/?district=460105").content.decode()

    assert 'href="/stations/460105001/"' in content
    assert 'href="/stations/460105002/"' in content
    assert 'href="/stations/460106001/"' not in content
    assert "秀英区的镇和街道" in content


def test_station_index_unknown_district_says_so(anonymous, listing):
    content = anonymous.get("/stations/?district=999999").content.decode()

    assert "没有找到这个区" in content


@pytest.mark.parametrize("code", ["999\x00", "4" * 60_000])
def test_station_index_forged_district_says_so(anonymous, listing, code):
    # A NUL byte (PostgreSQL) or a huge code must not be a server error.
    response = anonymous.get("/stations/", {"district": code})

    assert response.status_code == 200
    assert "没有找到这个区" in response.content.decode()


def test_station_index_near_me_sorts_by_server_computed_distance(
    anonymous, listing, sibling_listing
):
    from shegong.directory.models import StationListing

    StationListing.objects.filter(pk=sibling_listing.pk).update(latitude=20.045, longitude=110.342)

    content = anonymous.get("/stations/?lat=20.046&lng=110.342").content.decode()

    nearby = content.split("离您最近的社工站", 1)[1]
    assert nearby.index("中山街道社工站") < nearby.index("秀英街道社工站")
    assert "约 0.1 公里" in nearby


@pytest.mark.parametrize("query", ["lat=abc&lng=110", "lat=200&lng=110", "lat=20"])
def test_station_index_bad_location_falls_back_to_districts(anonymous, listing, query):
    response = anonymous.get(f"/stations/?{query}")

    content = response.content.decode()
    assert response.status_code == 200
    assert "位置信息不正确" in content
    assert 'href="?district=460105"' in content


def test_station_detail_shows_the_six_items(anonymous, listing):
    content = anonymous.get("/stations/460105001/").content.decode()

    assert "<h1>秀英街道社工站</h1>" in content
    assert "为老人、儿童和困难家庭提供服务" in content  # service content
    assert "秀英街道服务0" in content
    assert "秀英街道服务1" in content
    assert "70 岁以上" in content
    assert "电话预约" in content
    assert "免费" in content
    assert "王海燕" in content
    assert "社会工作师" in content
    assert "<li>社工登记需求</li>" in content  # process, in order
    assert content.index("来站或来电") < content.index("上门评估")
    assert "海口市秀英街道人民路1号" in content  # contacts
    assert 'href="tel:0898-68650001"' in content
    assert 'href="/help/?station=460105001"' in content
    assert "信息核实于 2026-03-21" in content
    assert "data-read-aloud" in content


def test_station_detail_in_english(anonymous, listing):
    content = anonymous.get("/stations/460105001/?lang=en").content.decode()

    assert '<html lang="en"' in content
    assert "How to apply" in content
    assert "Social worker (certified)" in content
    assert "Ask for help online" in content


def test_station_detail_elder_mode(anonymous, listing):
    assert 'class="elder"' in anonymous.get("/stations/460105001/?elder=1").content.decode()
    assert 'class="elder"' not in anonymous.get("/stations/460105001/?elder=0").content.decode()


def test_station_detail_flags_old_details(anonymous, station):
    import datetime

    make_listing(station, verified=datetime.date(2020, 1, 1))

    content = anonymous.get("/stations/460105001/").content.decode()

    assert "信息可能已有变化，请先电话确认。" in content


def test_station_detail_without_details_yet_still_shows_a_way_to_get_help(anonymous, station):
    # A station just set up: nothing filled in yet, but its QR code may already be on a wall.
    from shegong.directory.models import StationListing

    StationListing.objects.create(unit=station, slug=station.code, name=station.name)

    content = anonymous.get(f"/stations/{station.code}/").content.decode()
    english = anonymous.get(f"/stations/{station.code}/?lang=en").content.decode()

    assert f'href="/help/?station={station.code}"' in content
    assert "尚未公布。请点“在线求助”，或拨打 12345 热线。" in content
    assert "服务清单正在整理中，请在线求助。" in content
    assert "请电话咨询" not in content
    assert "Not published yet" in english


def test_station_detail_unknown_slug_is_404(anonymous, db):
    assert anonymous.get("/stations/nope/").status_code == 404


def test_station_detail_is_served_from_cache_without_queries(anonymous, listing):
    anonymous.get("/stations/460105001/")

    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get("/stations/460105001/")

    assert response.status_code == 200
    assert "秀英街道社工站" in response.content.decode()
    assert len(queries) == 0


@pytest.mark.parametrize(
    "url", ["/", "/stations/", "/stations/?district=460105", "/stations/460105001/"]
)
@pytest.mark.parametrize("elder", ["0", "1"])
def test_public_pages_are_light_and_local(anonymous, listing, url, elder):
    sep = "&" if "?" in url else "?"
    response = anonymous.get(f"{url}{sep}elder={elder}")

    content = response.content
    # The page and everything it loads (stylesheet, scripts, icon), compressed, under 60 KB.
    assets = re.findall(rb'(?:src|href)="/static/([^"]+)"', content)
    weight = len(gzip.compress(content)) + sum(
        len(gzip.compress(Path(finders.find(asset.decode())).read_bytes())) for asset in assets
    )
    assert assets
    assert weight < 60 * 1024
    assert not re.search(rb"""(?:src|href)=["'](?:https?:)?//""", content)
    assert b"<script>" not in content
    assert b"style=" not in content


@pytest.mark.parametrize("stations", [1, 3])
def test_station_index_query_count_is_constant(anonymous, district, stations):
    for n in range(stations):
        make_listing(station_unit(district, f"46010510{n}", f"测试镇{n}"))
    anonymous.get("/stations/?district=460105")

    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get("/stations/?district=460105&lat=20&lng=110")

    assert response.content.decode().count('class="name"') == 2 * stations
    assert len(queries) == 4


def test_station_detail_in_english_uses_english_fields_and_keeps_chinese_address(
    anonymous, listing
):
    from shegong.directory.models import StationListing

    StationListing.objects.filter(pk=listing.pk).update(
        name_en="Xiuying Street Social Work Station",
        address_en="No. 1 Renmin Road, Xiuying Street, Haikou",
        hours_en="Mon-Fri 8:30-17:30",
    )

    english = anonymous.get("/stations/460105001/?lang=en").content.decode()
    chinese = anonymous.get("/stations/460105001/?lang=zh-hans").content.decode()

    assert "<h1>Xiuying Street Social Work Station</h1>" in english
    assert "No. 1 Renmin Road" in english
    assert "海口市秀英街道人民路1号" in english  # for the taxi driver
    assert "Mon-Fri 8:30-17:30" in english
    assert (
        '<meta name="description" content="Xiuying Street Social Work Station: '
        'No. 1 Renmin Road, Xiuying Street, Haikou 0898-68650001">'
    ) in english
    assert "<h1>秀英街道社工站</h1>" in chinese
    assert "No. 1 Renmin Road" not in chinese


def test_station_detail_cache_does_not_hand_one_visitors_query_to_the_next(listing):
    from django.test import Client

    Client().get("/stations/460105001/?from=wechat-group-xyz")
    content = Client().get("/stations/460105001/").content.decode()

    assert "wechat-group-xyz" not in content
    assert 'href="?lang=en"' in content
    assert 'href="?elder=1"' in content


def test_station_detail_switches_keep_language_and_mode_from_the_query(anonymous, listing):
    content = anonymous.get("/stations/460105001/?lang=en&elder=1&x=1").content.decode()

    assert 'href="?lang=zh-hans&amp;elder=1"' in content
    assert 'href="?lang=en&amp;elder=0"' in content
    assert "x=1" not in content


def test_station_detail_in_english_marks_chinese_fallbacks_as_chinese(anonymous, listing):
    """Screen readers (and WCAG 3.1.2) need the language of text that is not in English."""
    english = anonymous.get("/stations/460105001/?lang=en").content.decode()
    chinese = anonymous.get("/stations/460105001/?lang=zh-hans").content.decode()

    assert '<h1 lang="zh-Hans">秀英街道社工站</h1>' in english
    assert '<dd lang="zh-Hans">周一至周五 8:30-17:30</dd>' in english
    assert '<dd><span lang="zh-Hans">独居老人</span></dd>' in english
    assert '<ol class="steps" lang="zh-Hans">' in english
    assert '<strong lang="zh-Hans">王海燕</strong>' in english
    assert "Social worker (certified)" in english
    assert 'lang="zh-Hans">秀英街道' not in chinese.split("<main", 1)[1]


def test_station_index_in_english_marks_chinese_names_as_chinese(anonymous, listing):
    english = anonymous.get("/stations/?lang=en&district=460105").content.decode()

    assert '<span class="name" lang="zh-Hans">秀英街道</span>' in english


def test_station_detail_in_english_shows_the_english_a_station_wrote(anonymous, listing):
    service = listing.services.first()
    service.name_en = "Home visits"
    service.target_group_en = "Older people living alone"
    service.description_en = "A social worker visits you at home."
    service.save()
    listing.process_steps_en = "Call or come\nWe note what you need\nA home visit"
    listing.save()

    content = anonymous.get("/stations/460105001/?lang=en").content.decode()

    assert "<h3>Home visits</h3>" in content
    assert "Older people living alone" in content
    assert "<li>We note what you need</li>" in content
    assert "Station head" in content  # the role 站长, a fixed vocabulary
    assert "<dd>Older people</dd>" in content  # the category 养老服务, a fixed vocabulary
    # What the station wrote only in Chinese stays, marked as Chinese.
    assert '<span lang="zh-Hans">70 岁以上</span>' in content
    assert '<h3><span lang="zh-Hans">秀英街道服务1</span></h3>' in content


def test_station_detail_shows_its_service_qr_counted_as_the_web_channel(anonymous, listing):
    from shegong.directory.models import QrLink
    from shegong.directory.services import WEB_QR_CHANNEL

    content = anonymous.get("/stations/460105001/").content.decode()
    anonymous.get("/stations/460105001/?lang=en")  # one code whatever the language

    link = QrLink.objects.get(unit=listing.unit, channel=WEB_QR_CHANNEL)
    assert link.target == "/stations/460105001/"
    assert 'class="service-qr"' in content
    assert "<svg" in content
    assert "viewBox" in content
    assert anonymous.get(f"/q/{link.code}")["Location"] == "/stations/460105001/"


def test_station_detail_cache_keeps_the_elder_text_sizes_apart(anonymous, listing):
    large = anonymous.get("/stations/460105001/?elder=1&size=l").content.decode()
    extra = anonymous.get("/stations/460105001/?elder=1&size=xl").content.decode()

    assert 'class="elder"' in large
    assert 'class="elder xl"' in extra
