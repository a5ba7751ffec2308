"""A station worker on a phone records an on-site event with a photo and submits it; the district
officer returns it with a comment; the worker fixes it and resubmits; the officer approves."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from shegong.activities.models import Activity, ActivityMedia
from tests.activities.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, url, username, password):
    page.goto(f"{url}/console/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def _log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录工作台")).to_be_visible()


def test_station_event_recorded_returned_fixed_and_approved(
    live_server, phone_page, settings, tmp_path, station_worker, district_officer, station, password
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    url = live_server.url

    # The worker records an on-site event, with its risk assessment.
    _log_in(page, url, "worker", password)
    page.locator("nav.menu summary").click()  # a phone: the menu is folded
    page.get_by_role("link", name="活动台账").click()
    page.get_by_role("link", name="登记活动").click()
    page.get_by_label("活动形式").select_option(label="现场活动")
    page.get_by_label("活动名称").fill("社工宣传周走进秀英社区")
    page.get_by_label("活动时间").fill("2023-03-22T09:30")
    page.get_by_label("活动地点").fill("秀英社区广场")
    page.get_by_label("参与人数").fill("60")
    page.get_by_label("预计人数（风险评估）").fill("80")
    page.get_by_label("场地类型").select_option(label="室外场地")
    page.get_by_label("天气").select_option(label="天气良好")
    page.get_by_label("应急预案").fill("设置疏散通道，配备急救箱")
    page.get_by_label("安全责任人").fill("李站长")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="社工宣传周走进秀英社区")).to_be_visible()
    expect(page.get_by_test_id("risk")).to_contain_text("风险等级中")

    # A photo straight from the phone, with GPS in its EXIF.
    page.get_by_label("照片或视频").set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    page.get_by_label("说明").fill("活动现场")
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_text("拍摄时间和地点只保存在内部记录中，文件已去除")).to_be_visible()
    thumbnail = page.get_by_role("img", name="活动现场")
    expect(thumbnail).to_be_visible()
    served = page.request.get(url + thumbnail.get_attribute("src")).body()
    assert len(Image.open(io.BytesIO(served)).getexif()) == 0
    assert ActivityMedia.objects.get().latitude is not None

    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_test_id("activity-status")).to_have_text("待审核")
    _log_out(page)

    # The district officer returns it with a comment.
    _log_in(page, url, "officer", password)
    page.get_by_role("link", name="待审核的活动").click()
    page.get_by_role("link", name="社工宣传周走进秀英社区").click()
    page.get_by_text("退回修改").click()  # opens only the 退回意见 field
    page.get_by_label("退回意见").fill("请补充志愿者人数")
    page.get_by_role("button", name="确认退回").click()
    expect(page.get_by_test_id("activity-status")).to_have_text("已退回")
    _log_out(page)

    # The worker sees the comment, fixes the activity and resubmits.
    _log_in(page, url, "worker", password)
    page.get_by_role("link", name="被退回待修改的活动").click()
    page.get_by_role("link", name="社工宣传周走进秀英社区").click()
    expect(page.get_by_test_id("review-comment")).to_contain_text("请补充志愿者人数")
    page.get_by_role("link", name="修改", exact=True).click()
    page.get_by_label("志愿者人数").fill("12")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_test_id("activity-status")).to_have_text("待审核")
    _log_out(page)

    # The officer approves.
    _log_in(page, url, "officer", password)
    page.get_by_role("link", name="待审核的活动").click()
    page.get_by_role("link", name="社工宣传周走进秀英社区").click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("activity-status")).to_have_text("已通过")

    activity = Activity.objects.get()
    assert activity.status == Activity.Status.APPROVED
    assert activity.volunteers == 12
    assert [e.to_status for e in activity.events.all()] == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
