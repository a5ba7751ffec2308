"""A call open for entries now (views use the real clock), judges, and helpers that move an
entry along its states through the services with an explicit clock."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shegong.accounts.models import User
from shegong.contest import services
from tests.factories import CampaignFactory, UserFactory

CRITERIA = [("真实感人", 40), ("专业体现", 30), ("文字表达", 20), ("传播价值", 10)]
TIERS = [("一等奖", 1), ("二等奖", 1), ("三等奖", 2)]
STORY = "第一次走进那间老屋时，屋里很暗，奶奶坐在门边。社工蹲下来和她拉起家常。" * 4


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def call(city, city_admin, media_root):
    now = timezone.now()
    campaign = CampaignFactory(slug="haikou-2023", issuer=city, starts_on=now.date())
    return services.call_save(
        actor=city_admin,
        campaign=campaign,
        title="“椰城社工”故事征集活动",
        rules_text="真实、原创；服务对象使用化名。",
        categories=["written", "photo", "video"],
        submission_opens=now - timedelta(days=10),
        submission_closes=now + timedelta(days=10),
        review_opens=now + timedelta(days=10),
        review_closes=now + timedelta(days=20),
        reviews_per_entry=2,
        criteria=CRITERIA,
        tiers=TIERS,
    )


@pytest.fixture
def judges(city, call, city_admin):
    """Three judges on the panel: seated in the city bureau."""
    made = []
    for n in range(3):
        user = UserFactory(username=f"judge.t{n}", role=User.Role.JUDGE, unit=city)
        services.judge_add(actor=city_admin, call=call, user=user)
        made.append(user)
    return made


def jpeg(name="photo.jpg", exif_gps=False) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", (64, 48), "teal")
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = "N", (20.0, 1.0, 2.0)
        gps[3], gps[4] = "E", (110.0, 17.0, 3.0)
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def enter(call):
    """``enter(**overrides)``: a citizen's entry through the service."""
    counter = iter(range(1000, 10000))

    def make(**overrides):
        n = next(counter)
        data = {
            "call": call,
            "author_name": f"作者{n}",
            "phone": f"1391234{n:04d}",
            "title": f"陪奶奶走过的春天{n}",
            "category": "written",
            "text": STORY,
            "ip": f"10.1.{n // 250}.{n % 250}",
        }
        data.update(overrides)
        return services.entry_submit(**data)

    return make


@pytest.fixture
def under_review(call, city_admin, judges):
    """``under_review()``: start the review (at the review window's opening)."""

    def start():
        services.review_start(actor=city_admin, call=call, now=call.review_opens)

    return start


def score_all(call, value_of, now=None):
    """Every review of the call scored: ``value_of(entry) -> int`` for every criterion."""
    now = now or call.review_opens + timedelta(hours=1)
    for entry in call.entries.filter(status="under_review"):
        for review in entry.reviews.select_related("judge"):
            scores = {c.pk: value_of(entry) for c in call.criteria.all()}
            services.review_score(
                actor=review.judge, review=review, scores=scores, comment="好故事", now=now
            )
