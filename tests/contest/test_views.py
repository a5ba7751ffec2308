"""Views of the story contest: the citizen's entry (no JavaScript, English, elder mode,
honeypot), following it, the public stories, the judges' blind console, the city admin's
console, certificates read back, the WeChat export, and what other districts cannot see."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from shegong.campaigns.models import KpiTarget
from shegong.contest import services
from shegong.contest.models import Call, Entry, Review
from tests.public.test_english_complete import unmarked_chinese
from tests.system_tools import needs_commands

from .conftest import jpeg, score_all

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "放学后的四点半课堂",
        "category": "written",
        "text": "社工站每天下午四点半打开大门，孩子们在这里写作业、读绘本。" * 5,
        "author_name": "符小梅",
        "district": "",
        "phone": "13912345678",
        "originality": "on",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def _open_review_now(call):
    """Move the review window around the real clock (views have no clock argument)."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        submission_opens=now - timedelta(days=20),
        submission_closes=now - timedelta(days=10),
        review_opens=now - timedelta(days=1),
        review_closes=now + timedelta(days=5),
    )
    call.refresh_from_db()


# --- the citizen ------------------------------------------------------------------------------


def test_citizen_enters_a_story_with_a_photo_and_gets_a_code(anonymous, call):
    page = anonymous.get("/stories/submit/")
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = anonymous.post(
        "/stories/submit/", _form(category="photo", files=[jpeg(exif_gps=True)]), follow=True
    )

    entry = Entry.objects.get()
    assert entry.display_code in response.content.decode()
    assert entry.author_name == "符小梅"
    assert entry.status == Entry.Status.SUBMITTED
    with Image.open(entry.media.get().file.path) as image:
        assert not image.getexif()


def test_bad_input_keeps_what_was_typed_with_specific_messages(anonymous, call):
    response = anonymous.post("/stories/submit/", _form(consent="", phone="12"))
    text = response.content.decode()
    assert "请勾选同意发表" in text
    assert "放学后的四点半课堂" in text  # kept
    assert not Entry.objects.exists()


def test_a_bot_filling_the_honeypot_stores_nothing(anonymous, call):
    response = anonymous.post("/stories/submit/", _form(website="http://spam.example"))
    assert "投稿未能受理" in response.content.decode()
    assert "放学后的四点半课堂" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_refused_file_says_why(anonymous, call):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = anonymous.post("/stories/submit/", _form(category="photo", files=[fake]))
    assert "无法识别为照片" in response.content.decode()
    assert not Entry.objects.exists()


def test_submission_pages_are_complete_in_english_and_elder_mode(anonymous, call):
    for url in (
        "/stories/submit/?lang=en&elder=1",
        "/stories/follow/?lang=en",
        "/stories/?lang=en",
    ):
        response = anonymous.get(url)
        assert response.status_code == 200
        assert unmarked_chinese(response.content.decode()) == [], url
    assert 'class="elder"' in anonymous.get("/stories/submit/?elder=1").content.decode()
    sent = anonymous.post("/stories/submit/?lang=en", _form(), follow=True)
    assert "Story received" in sent.content.decode()
    assert Entry.objects.get().display_code in sent.content.decode()
    assert unmarked_chinese(sent.content.decode()) == []


def test_author_follows_and_withdraws_before_review(anonymous, call, enter):
    entry = enter(phone="13912348888")
    shown = anonymous.post("/stories/follow/", {"code": entry.display_code, "last4": "8888"})
    assert "已提交，等待评审" in shown.content.decode()

    anonymous.post("/stories/follow/", {"code": entry.code, "last4": "8888", "withdraw": "1"})

    entry.refresh_from_db()
    assert entry.status == Entry.Status.WITHDRAWN


def test_wrong_digits_show_nothing_of_the_entry(anonymous, call, enter):
    entry = enter(phone="13912348888")
    response = anonymous.post("/stories/follow/", {"code": entry.code, "last4": "1234"})
    assert "查询码或手机号后四位不正确" in response.content.decode()
    assert entry.title not in response.content.decode()


# --- public stories ---------------------------------------------------------------------------


@pytest.fixture
def published(call, city_admin, enter, under_review):
    """One published story with a photo of minors without consent and one without minors,
    and one awarded story not published yet."""
    story = enter(
        title="陪王奶奶走过的春天",
        category="photo",
        uploads=[jpeg("kids.jpg"), jpeg("garden.jpg")],
        shows_minors=False,
    )
    kids = story.media.order_by("pk").first()
    kids.shows_minors = True
    kids.save()
    waiting = enter(title="还没发布的获奖故事")
    under_review()
    score_all(call, lambda e: 90 if e.pk == story.pk else 80)
    after = call.review_closes
    services.call_shortlist(actor=city_admin, call=call, count=2, now=after)
    story.refresh_from_db()
    waiting.refresh_from_db()
    services.entry_set_tier(actor=city_admin, entry=story, tier=call.tiers.get(name="一等奖"))
    services.entry_set_tier(actor=city_admin, entry=waiting, tier=call.tiers.get(name="二等奖"))
    services.call_publish_decisions(actor=city_admin, call=call, now=after)
    story.refresh_from_db()
    services.entry_publish(actor=city_admin, entry=story, confirmed=True)
    story.refresh_from_db()
    waiting.refresh_from_db()
    return story, waiting


def test_story_pages_show_published_stories_only(anonymous, published):
    story, waiting = published
    listing = anonymous.get("/stories/").content.decode()
    assert story.title in listing
    assert waiting.title not in listing
    assert "一等奖" in listing

    page = anonymous.get(f"/stories/{story.slug}/").content.decode()
    assert story.text[:20] in page
    assert "data-read-aloud" in page
    assert "<svg" in page  # the share QR
    assert anonymous.get(f"/stories/{waiting.pk}/").status_code == 404


def test_photos_of_minors_stay_private_until_consent(anonymous, published, city_admin):
    story, _ = published
    kids, garden = story.media.order_by("pk")
    page = anonymous.get(f"/stories/{story.slug}/").content.decode()
    assert f"/stories/media/{garden.pk}/" in page
    assert f"/stories/media/{kids.pk}/" not in page
    assert anonymous.get(f"/stories/media/{kids.pk}/").status_code == 404
    assert anonymous.get(f"/stories/media/{garden.pk}/").status_code == 200
    services.media_record_consent(actor=city_admin, media=kids, note="监护人书面同意")
    assert anonymous.get(f"/stories/media/{kids.pk}/").status_code == 200


def test_story_page_is_complete_in_english(anonymous, published):
    story, _ = published
    for elder in ("0", "1"):
        response = anonymous.get(f"/stories/{story.slug}/?lang=en&elder={elder}")
        assert unmarked_chinese(response.content.decode()) == []
        assert 'lang="zh-Hans"' in response.content.decode()


@needs_commands("zbarimg", "pdftoppm", "pdftotext")
def test_certificate_qr_leads_to_the_verification_page(login, city_admin, published, tmp_path):
    story, _ = published
    response = login(city_admin).get(f"/console/contest/entries/{story.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = re.sub(r"\s+", "", text)
    for expected in (
        story.author_name,
        story.title,
        "一等奖",
        "荣誉证书",
        story.call.campaign.issuer.name,
    ):
        assert expected in compact
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", pdf, tmp_path / "page"], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded.endswith(f"/stories/verify/{story.certificate_code}/")
    path = "/" + decoded.split("/", 3)[3]
    from django.test import Client

    page = Client().get(path).content.decode()
    assert "真实有效" in page
    assert "一等奖" in page
    assert story.title in page


def test_unknown_certificate_is_not_confirmed(anonymous, published):
    response = anonymous.get("/stories/verify/ZZZZ9999/")
    assert response.status_code == 404
    assert "没有找到这个编号的证书" in response.content.decode()


def test_wechat_html_has_no_script_class_or_relative_link(login, city_admin, published, settings):
    story, _ = published
    response = login(city_admin).get(f"/console/contest/entries/{story.pk}/wechat/?download=1")
    html = response.content.decode()
    assert story.title in html
    assert "<script" not in html.lower()
    assert "class=" not in html
    links = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert links
    assert all(link.startswith(("http://", "https://")) for link in links)
    assert all('style="' in tag for tag in re.findall(r"<(?:p|h1|img|section)\b[^>]*>", html))


# --- the judge ----------------------------------------------------------------------------------


def test_judge_sees_only_assigned_entries_and_never_the_author(
    login, call, judges, enter, under_review, station_worker
):
    entries = [enter(author_name=f"隐名作者{n}", phone=f"1381111222{n}") for n in range(4)]
    under_review()
    _open_review_now(call)
    judge = judges[0]
    client = login(judge)
    mine = set(Review.objects.filter(judge=judge).values_list("entry_id", flat=True))
    assert 0 < len(mine) < len(entries)

    listing = client.get("/console/contest/review/").content.decode()
    pages = [listing]
    for review in Review.objects.filter(judge=judge):
        pages.append(client.get(f"/console/contest/review/{review.entry_id}/").content.decode())
    pages.append(client.get("/console/").content.decode())
    for entry in entries:
        for page in pages:
            assert entry.author_name not in page
            assert entry.phone not in page
            assert entry.display_code not in page
            assert entry.code not in page
        if entry.pk in mine:
            assert entry.title in listing
        else:
            assert entry.title not in listing
    others = Review.objects.exclude(judge=judge).exclude(entry_id__in=mine).first()
    assert client.get(f"/console/contest/review/{others.entry_id}/").status_code == 404
    assert client.get(f"/console/contest/entries/{entries[0].pk}/").status_code == 403


def test_judge_media_has_no_file_name(login, call, judges, enter, under_review):
    entry = enter(category="photo", uploads=[jpeg("王奶奶家门口.jpg")])
    under_review()
    review = Review.objects.filter(entry=entry).first()
    media = entry.media.get()
    response = login(review.judge).get(f"/console/contest/media/{media.pk}/")
    assert response.status_code == 200
    assert "王奶奶" not in response.get("Content-Disposition", "")
    stranger = next(j for j in judges if not Review.objects.filter(entry=entry, judge=j).exists())
    assert login(stranger).get(f"/console/contest/media/{media.pk}/").status_code == 404


def test_judge_scores_in_the_console_until_the_window_closes(
    login, call, judges, enter, under_review
):
    enter()
    under_review()
    _open_review_now(call)
    review = Review.objects.select_related("judge").first()
    client = login(review.judge)
    data = {f"c{c.pk}": 80 for c in call.criteria.all()} | {"comment": "细节真实动人"}

    client.post(f"/console/contest/review/{review.entry_id}/", data)

    review.refresh_from_db()
    assert str(review.total) == "80.00"
    assert review.comment == "细节真实动人"
    bad = client.post(
        f"/console/contest/review/{review.entry_id}/", data | {f"c{call.criteria.first().pk}": 120}
    )
    assert "不能大于 100" in bad.content.decode()

    Call.objects.filter(pk=call.pk).update(review_closes=timezone.now() - timedelta(minutes=1))
    locked = client.post(f"/console/contest/review/{review.entry_id}/", data | {"comment": "改"})
    assert "评分已锁定" in locked.content.decode()
    review.refresh_from_db()
    assert review.comment == "细节真实动人"


# --- the units and the city admin -----------------------------------------------------------------


def test_station_worker_enters_for_a_service_user(login, station_worker, call):
    client = login(station_worker)
    response = client.post(
        "/console/contest/entries/new/",
        {
            "author_name": "服务对象林某",
            "phone": "13912345678",
            "consent_note": "已取得本人书面同意",
            "title": "我和社工学做饭",
            "category": "written",
            "text": "故事" * 50,
        },
        follow=True,
    )
    entry = Entry.objects.get()
    assert entry.unit == station_worker.unit
    assert entry.display_code in response.content.decode()


def test_sibling_district_sees_nothing_of_a_stations_entry(
    login, call, station_worker, district_officer, sibling_officer, sibling_worker
):
    entry = services.entry_submit_for(
        actor=station_worker,
        call=call,
        author_name="秀英作者甲",
        phone="13912345678",
        consent_note="本人同意",
        title="秀英街道的故事标题",
        category="written",
        text="正文" * 40,
    )
    assert (
        "秀英街道的故事标题"
        in login(district_officer).get("/console/contest/entries/").content.decode()
    )
    for outsider in (sibling_officer, sibling_worker):
        client = login(outsider)
        assert "秀英街道的故事标题" not in client.get("/console/contest/entries/").content.decode()
        assert client.get(f"/console/contest/entries/{entry.pk}/").status_code == 404
    assert login(district_officer).get(f"/console/contest/entries/{entry.pk}/").status_code == 200


def test_only_the_city_admin_opens_the_call(login, call, district_officer, city_admin):
    assert login(district_officer).get(f"/console/contest/calls/{call.slug}/").status_code == 403
    page = login(city_admin).get(f"/console/contest/calls/{call.slug}/").content.decode()
    assert "真实感人 40%" in page


def test_call_form_refuses_weights_not_adding_to_100_and_keeps_input(
    login, call, city_admin, template_context
):
    client = login(city_admin)
    form = client.get(f"/console/contest/calls/{call.slug}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if k != "categories"}
    for key in ("submission_opens", "submission_closes", "review_opens", "review_closes"):
        data[key] = data[key].strftime("%Y-%m-%dT%H:%M")
    data["categories"] = ["written", "photo"]
    data["criteria"] = "真实感人 50\n专业体现 30"
    response = client.post(f"/console/contest/calls/{call.slug}/edit/", data)
    assert "评分项权重合计应为 100，现在是 80" in response.content.decode()
    assert "真实感人 50" in response.content.decode()

    data["criteria"] = "真实感人 50\n专业体现 50"
    client.post(f"/console/contest/calls/{call.slug}/edit/", data)
    assert [(c.name, c.weight) for c in call.criteria.all()] == [("真实感人", 50), ("专业体现", 50)]
    call.refresh_from_db()
    assert call.category_codes == ["written", "photo"]


def test_ranking_page_shows_the_tie_rule_and_progress(
    login, city_admin, call, judges, enter, under_review
):
    enter(title="甲故事")
    enter(title="乙故事")
    under_review()
    score_all(call, lambda e: 75)
    page = login(city_admin).get(f"/console/contest/calls/{call.slug}/ranking/").content.decode()
    assert "并列" in page
    assert "权重最高评分项" in page
    detail = login(city_admin).get(f"/console/contest/calls/{call.slug}/").content.decode()
    assert judges[0].display_name in detail


def test_campaign_page_measures_stories(login, city_admin, call, enter):
    KpiTarget.objects.create(campaign=call.campaign, kind="stories", target=50)
    enter()
    enter()
    page = login(city_admin).get(f"/console/campaigns/{call.campaign.slug}/").content.decode()
    row = re.search(r"社工故事作品（篇）.*?</tr>", page, re.S).group(0)
    assert "尚无数据来源" not in row
    assert re.search(r"<td>2</td>", row)


def test_city_admin_starts_a_call_for_a_campaign_without_one(login, city_admin, city):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(slug="haikou-2024", issuer=city)
    client = login(city_admin)
    page = client.get(f"/console/contest/new/?campaign={campaign.slug}").content.decode()
    assert f'value="{campaign.slug}" selected' in page

    client.post(
        "/console/contest/new/",
        {
            "campaign": campaign.slug,
            "title": "2024年社工故事征集",
            "rules_text": "真实、原创。",
            "categories": ["written", "video"],
            "submission_opens": "2024-03-01T09:00",
            "submission_closes": "2024-04-01T18:00",
            "review_opens": "2024-04-02T09:00",
            "review_closes": "2024-04-20T18:00",
            "reviews_per_entry": "3",
            "criteria": "真实感人 40\n专业体现 30\n文字表达 20\n传播价值 10",
            "tiers": "一等奖 1\n二等奖 2\n三等奖 3\n优秀奖 6",
        },
    )

    call = Call.objects.get(campaign=campaign)
    assert call.category_codes == ["written", "video"]
    assert [t.count for t in call.tiers.all()] == [1, 2, 3, 6]


def test_removing_a_judge_in_the_console_moves_their_open_reviews(
    login, city_admin, call, judges, enter, under_review
):
    for _ in range(3):
        enter()
    under_review()
    leaving = judges[0]
    assert Review.objects.filter(judge=leaving).exists()

    response = login(city_admin).post(
        f"/console/contest/calls/{call.slug}/judges/remove/", {"judge": leaving.pk}, follow=True
    )

    assert "件未评作品已重新分配" in response.content.decode()
    assert not Review.objects.filter(judge=leaving).exists()
    assert all(e.reviews.count() == 2 for e in Entry.objects.all())


def test_staff_who_see_an_entry_may_not_review_it(login, call, station_worker, sibling_worker):
    entry = services.entry_submit_for(
        actor=station_worker,
        call=call,
        author_name="同事",
        phone="13912345678",
        consent_note="本人同意",
        title="站里的故事",
        category="written",
        text="正文" * 30,
    )
    assert login(station_worker).get(f"/console/contest/review/{entry.pk}/").status_code == 403
    assert login(sibling_worker).get(f"/console/contest/review/{entry.pk}/").status_code == 404


def test_a_refused_consent_note_is_shown_again(login, call, station_worker):
    entry = services.entry_submit_for(
        actor=station_worker,
        call=call,
        author_name="同事",
        phone="13912345678",
        consent_note="本人同意",
        title="站里的故事",
        category="photo",
        text="正文" * 30,
        uploads=[jpeg()],
        shows_minors=True,
    )
    media = entry.media.get()
    client = login(station_worker)
    refused = client.post(f"/console/contest/media/{media.pk}/consent/", {"note": "长" * 201})
    assert "不能超过 200 个字" in refused.content.decode()
    client.post(f"/console/contest/media/{media.pk}/consent/", {"note": "已取得监护人书面同意"})
    media.refresh_from_db()
    assert media.consent_note == "已取得监护人书面同意"


def test_a_closed_call_says_so_to_the_citizen(anonymous, call):
    Call.objects.filter(pk=call.pk).update(submission_closes=timezone.now())
    page = anonymous.get("/stories/submit/?lang=en").content.decode()
    assert "No call for stories is open now" in page
    assert not Entry.objects.exists()


def test_console_home_tells_a_judge_how_many_reviews_wait(login, call, judges, enter, under_review):
    enter()
    enter()
    under_review()
    _open_review_now(call)
    judge = judges[0]
    waiting = Review.objects.filter(judge=judge).count()
    page = login(judge).get("/console/").content.decode()
    assert "待评审的故事作品" in page
    assert re.search(rf"待评审的故事作品\D*{waiting}\b", page, re.S)


def test_entry_page_offers_only_the_next_actions_of_its_state(
    login, city_admin, enter, under_review
):
    """Task-first (issue #16): the state first, its next actions as buttons, the award's tier
    behind its own button; nothing a later state would refuse."""
    import re

    from shegong.contest import services as contest_services

    entry = enter()
    client = login(city_admin)
    url = f"/console/contest/entries/{entry.pk}/"

    def buttons(content):
        section = content.split('id="next-heading"')[1].split("</section>")[0]
        return re.findall(r"<(?:button|summary)[^>]*>([^<]+)<", section)

    assert buttons(client.get(url).content.decode()) == []
    under_review()
    entry.refresh_from_db()
    # While the judges score, the service refuses a decision: none is offered.
    content = client.get(url).content.decode()
    assert buttons(content) == []
    assert "截止后可以确定入围" in content
    now = timezone.now()
    Call.objects.filter(pk=entry.call_id).update(
        submission_opens=now - timedelta(days=9),
        submission_closes=now - timedelta(days=7),
        review_opens=now - timedelta(days=7),
        review_closes=now - timedelta(minutes=1),
    )
    entry.refresh_from_db()
    assert buttons(client.get(url).content.decode()) == ["入围", "未入选"]
    contest_services.entry_decide(actor=city_admin, entry=entry, shortlisted=True)
    content = client.get(url).content.decode()
    assert buttons(content) == ["未入选", "评定奖项", "确认评定"]
    assert '<details class="action" data-action="tier">' in content
    assert "当前状态：<strong" in content


def test_entry_page_tells_its_history_in_sentences(login, city_admin, judge, enter, under_review):
    """Each decision on an entry, by whom and when, beside its state (issue #16); a judge, who
    reviews blind, is shown none of it."""
    from shegong.contest import services as contest_services

    entry = enter()
    under_review()
    now = timezone.now()
    Call.objects.filter(pk=entry.call_id).update(
        submission_opens=now - timedelta(days=9),
        submission_closes=now - timedelta(days=7),
        review_opens=now - timedelta(days=7),
        review_closes=now - timedelta(minutes=1),
    )
    entry.refresh_from_db()
    contest_services.entry_decide(actor=city_admin, entry=entry, shortlisted=True)
    url = f"/console/contest/entries/{entry.pk}/"

    content = login(city_admin).get(url).content.decode()

    history = content.split('id="history-heading"')[1].split("</section>")[0]
    assert str(city_admin) in history
    assert "入围" in history
    refused = login(judge).get(url)
    assert refused.status_code == 403
    assert "history-heading" not in refused.content.decode()
