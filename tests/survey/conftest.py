import datetime

import pytest

from shegong.campaigns.models import KpiTarget
from shegong.survey.services import survey_create
from tests.factories import CampaignFactory

START = datetime.date(2023, 3, 21)


@pytest.fixture
def campaign(city):
    return CampaignFactory(
        slug="haikou-2023",
        starts_on=START,
        ends_on=datetime.date(2023, 3, 31),
        summary_deadline=datetime.date(2023, 4, 10),
        issuer=city,
    )


@pytest.fixture
def survey(campaign):
    KpiTarget.objects.create(campaign=campaign, kind="awareness_rate", target=60)
    return survey_create(
        actor=None,
        campaign=campaign,
        slug="haikou-2023",
        opens_on=START - datetime.timedelta(days=30),
        closes_on=datetime.date(2099, 12, 31),
    )


@pytest.fixture
def answer_data(station):
    return {
        "knows_social_work": "yes",
        "knows_station": "no",
        "used_service": "no",
        "heard_from": ["heard_bus", "heard_video"],
        "area": station.code,
        "age_group": "60_plus",
    }
