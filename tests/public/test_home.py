import re

from tests.factories import CampaignFactory


def test_home_shows_theme_and_what_social_workers_do(anonymous, city):
    CampaignFactory(issuer=city, starts_on="2023-03-21")

    content = anonymous.get("/").content.decode()

    assert "推进“五社联动” 关爱“一老一小”" in content
    assert "社工能为您做什么" in content
    assert 'href="/stations/"' in content
    assert 'href="/help/"' in content


def test_home_in_english_with_lang_parameter(anonymous, city):
    CampaignFactory(issuer=city, starts_on="2023-03-21")

    response = anonymous.get("/?lang=en")

    content = response.content.decode()
    assert '<html lang="en"' in content
    assert "What social workers can do for you" in content
    assert "Find a station near you" in content
    assert response.cookies["django_language"].value == "en"
    # The choice sticks for the next page without the parameter.
    assert "What social workers can do for you" in anonymous.get("/").content.decode()


def test_home_elder_mode_is_remembered(anonymous, db):
    response = anonymous.get("/?elder=1")

    assert 'class="elder"' in response.content.decode()
    assert response.cookies["elder"].value == "1"
    assert 'class="elder"' in anonymous.get("/").content.decode()
    assert 'class="elder"' not in anonymous.get("/?elder=0").content.decode()


def test_home_makes_no_request_to_another_host(anonymous, db):
    content = anonymous.get("/").content.decode()

    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", content)


def test_home_is_chinese_whatever_the_browser_language(anonymous, db):
    response = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "社工能为您做什么" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_lang_parameter_back_to_chinese(anonymous, db):
    anonymous.get("/?lang=en")

    assert "社工能为您做什么" in anonymous.get("/?lang=zh-hans").content.decode()
    assert "社工能为您做什么" in anonymous.get("/").content.decode()


def test_home_links_to_stations_by_district(anonymous, station):
    from shegong.directory.services import listing_ensure

    listing_ensure(unit=station)

    content = anonymous.get("/?lang=en").content.decode()

    assert "Find a station by district" in content
    assert 'href="/stations/?district=460105"' in content


def test_language_and_elder_switches_keep_the_page_query(anonymous, station):
    content = anonymous.get("/help/?station=460105001").content.decode()

    assert 'href="?station=460105001&amp;lang=en"' in content
    assert 'href="?station=460105001&amp;elder=1"' in content
    elder = anonymous.get("/help/?station=460105001&elder=1").content.decode()
    assert 'href="?station=460105001&amp;elder=0"' in elder


def test_home_in_english_marks_chinese_district_names_as_chinese(anonymous, station):
    from tests.directory.conftest import make_listing

    make_listing(station)

    english = anonymous.get("/?lang=en").content.decode()
    chinese = anonymous.get("/?lang=zh-hans").content.decode()

    assert 'href="/stations/?district=460105" lang="zh-Hans">秀英区</a>' in english
    assert 'href="/stations/?district=460105">秀英区</a>' in chinese


def test_english_pages_name_districts_and_towns_in_english(anonymous, station):
    from shegong.directory.services import listing_ensure

    station.parent.area_name_en = "Xiuying District"
    station.parent.save()
    station.area_name_en = "Xiuying Subdistrict"
    station.save()
    listing_ensure(unit=station)

    home = anonymous.get("/?lang=en").content.decode()
    index = anonymous.get("/stations/?district=460105").content.decode()
    help_form = anonymous.get("/help/").content.decode()

    assert 'lang="en">Xiuying District</a>' in home
    assert "Xiuying Subdistrict" in index
    assert 'label="Xiuying District"' in help_form
    assert "Xiuying Subdistrict" in help_form
    assert "Xiuying District" not in anonymous.get("/?lang=zh-hans").content.decode()


def test_elder_mode_has_a_second_text_size_remembered_in_a_cookie(anonymous, city):
    extra = anonymous.get("/?elder=1&size=xl").content.decode()
    kept = anonymous.get("/").content.decode()
    back = anonymous.get("/?size=l").content.decode()

    assert '<html lang="zh-Hans" class="elder xl">' in extra
    assert '<html lang="zh-Hans" class="elder xl">' in kept
    assert '<html lang="zh-Hans" class="elder">' in back
    # The switch offers the other size and the way back to the standard mode.
    assert "size=l" in extra
    assert "elder=0" in extra


def test_a_forged_text_size_is_ignored(anonymous, city):
    content = anonymous.get("/?elder=1&size=%3Cb%3E").content.decode()

    assert '<html lang="zh-Hans" class="elder">' in content
