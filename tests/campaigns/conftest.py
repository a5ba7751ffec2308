"""Campaign fixtures on top of the standard users and units (tests/conftest.py)."""

import datetime

import pytest

from shegong.campaigns.demo import seed
from shegong.campaigns.models import Campaign, Task
from shegong.campaigns.services import task_create
from tests.factories import CampaignFactory


@pytest.fixture
def campaign(city):
    return CampaignFactory(
        slug="test-2023",
        name="测试市2023年社会工作主题宣传活动方案",
        starts_on=datetime.date(2023, 3, 21),
        ends_on=datetime.date(2023, 3, 31),
        summary_deadline=datetime.date(2023, 4, 10),
        issuer=city,
        issuer_mark="海口市民政局文件",
        document_number="海民发〔2023〕79号",
        signed_on=datetime.date(2023, 3, 6),
        recipients="各区民政局",
        basis_title="海南省2023年社会工作主题宣传活动方案",
        basis_number="琼办函〔2023〕6号",
        contact_person="任菲",
        contact_phone="68651227",
        goals="提升社会工作知晓度和美誉度。",
        requirements="（一）高度重视，精心组织。各区民政局要充分认识宣传活动的重要性。",
        closing="宣传活动结束后要及时做好总结。",
    )


@pytest.fixture
def district_task(campaign, station, second_station, sibling_station):
    """A district-level task (assigned to 秀英区 and 龙华区); stations exist first."""
    return task_create(
        actor=None,
        campaign=campaign,
        level=Task.Level.DISTRICT,
        title="因地制宜开展特色宣传活动",
        text="各区民政局要结合实际，因地制宜，创新开展各具特色的宣传活动。",
        due_on=datetime.date(2023, 3, 31),
    )


@pytest.fixture
def station_task(campaign, station, second_station, sibling_station):
    return task_create(
        actor=None,
        campaign=campaign,
        level=Task.Level.STATION,
        title="张贴服务清单、亮明社工身份",
        text="采取在服务站点张贴社工站服务清单等形式，进一步亮明社会工作者身份。",
        due_on=datetime.date(2023, 3, 31),
    )


@pytest.fixture
def haikou(city, district, sibling_district, station, second_station, sibling_station) -> Campaign:
    """The Haikou 2023 campaign as the demo seeds it, over the test unit tree."""
    return seed(city=city)
