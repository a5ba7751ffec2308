"""Fixtures of the activity ledger: a campaign, activities in each unit, phone photos."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shegong.activities.models import Activity, RiskAssessment
from tests.factories import CampaignFactory

NOW = timezone.make_aware(datetime.datetime(2023, 3, 25, 12, 0))  # noqa: DTZ001


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def campaign(city):
    return CampaignFactory(
        slug="haikou-2023",
        name="海口市2023年社会工作主题宣传活动方案",
        starts_on=datetime.date(2023, 3, 21),
        ends_on=datetime.date(2023, 3, 31),
        issuer=city,
    )


def make_activity(unit, *, campaign=None, status=Activity.Status.DRAFT, **extra) -> Activity:
    data = {
        "kind": Activity.Kind.POSTER,
        "title": f"{unit.area_name}张贴社工站服务海报",
        "starts_at": NOW - datetime.timedelta(days=2),
        "place": f"{unit.area_name}卫生院",
    }
    data.update(extra)
    return Activity.objects.create(unit=unit, campaign=campaign, status=status, **data)


def assess(activity, *, level=RiskAssessment.Level.LOW, approved=False):
    return RiskAssessment.objects.create(
        activity=activity,
        expected_crowd=30,
        venue=RiskAssessment.Venue.INDOOR,
        weather=RiskAssessment.Weather.FINE,
        emergency_plan="疏散路线已张贴",
        person_responsible="李站长",
        level=level,
        approved_at=NOW if approved else None,
    )


def jpeg_bytes(size=(640, 480), *, gps=True, color="teal") -> bytes:
    """A phone photo: EXIF with capture time and GPS (海口, 20.04 N 110.32 E)."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "TestPhone"
    exif[0x0132] = "2023:03:21 09:30:00"
    exif[0x8769] = {36867: "2023:03:21 09:30:00"}
    if gps:
        exif[0x8825] = {1: "N", 2: (20.0, 2.0, 30.0), 3: "E", 4: (110.0, 19.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
