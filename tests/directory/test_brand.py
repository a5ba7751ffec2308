import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shegong.directory.models import BrandKit, Poster
from shegong.directory.posters import poster_html
from shegong.directory.services import poster_build
from tests.factories import CampaignFactory


@pytest.fixture
def campaign(city):
    return CampaignFactory(issuer=city, starts_on="2023-03-21")


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "#0b6e4f").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_brand_edit_saves_and_drops_cached_posters(
    login, city_admin, campaign, listing, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pdf_path = poster_build(listing_id=listing.pk, size="a4").pdf.path

    response = login(city_admin).post(
        "/console/directory/brand/",
        {
            "name": "椰城社工",
            "slogan": "社工在身边",
            "primary_color": "#0b6e4f",
            "accent_color": "#f2b705",
            "logo": _png(),
        },
    )

    assert response.status_code == 302
    brand = BrandKit.objects.get(campaign=campaign)
    assert brand.name == "椰城社工"
    assert brand.logo.name.startswith("brand/")
    assert not Poster.objects.exists()
    assert not (tmp_path / pdf_path).exists()  # no orphan files left in media
    html = poster_html(listing, size="a4")
    assert "椰城社工" in html
    assert "#0b6e4f" in html
    assert "data:image/png;base64," in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"primary_color": "red"}, "颜色须写成 #rrggbb"),
        ({"name": ""}, "请填写品牌名称。"),
        # A light colour prints QR codes that phones cannot read on a white ground.
        ({"primary_color": "#f2b705"}, "主色太浅"),
        ({"primary_color": "#FFFFFF"}, "主色太浅"),
    ],
)
def test_brand_edit_bad_input_keeps_what_was_typed(login, city_admin, campaign, data, message):
    form = {"name": "椰城社工", "primary_color": "#0b6e4f", "accent_color": "#f2b705", **data}

    response = login(city_admin).post("/console/directory/brand/", form)

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="#f2b705"' in content
    assert not BrandKit.objects.exists()


def test_brand_edit_rejects_a_file_that_is_not_an_image(login, city_admin, campaign):
    bad = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = login(city_admin).post(
        "/console/directory/brand/",
        {"name": "椰城社工", "primary_color": "#0b6e4f", "accent_color": "#f2b705", "logo": bad},
    )

    assert "请上传 PNG 或 JPEG 图片。" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["district_officer", "station_worker"])
def test_brand_edit_is_for_the_city_only(request, login, campaign, user_fixture):
    user = request.getfixturevalue(user_fixture)

    assert login(user).get("/console/directory/brand/").status_code == 403
