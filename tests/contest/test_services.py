"""Services of the story contest: the call, entries, every state transition, scores that
lock, ranking with ties, tier counts, publication with the privacy check, media pushes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from shegong.accounts.models import Notification
from shegong.activities.models import MediaCoverage
from shegong.campaigns.models import KpiTarget
from shegong.campaigns.selectors import campaign_kpis
from shegong.contest import services
from shegong.contest.models import Entry, Review
from shegong.contest.selectors import call_ranking, kpi_stories, kpi_stories_awarded
from shegong.core.models import AuditEntry
from shegong.helpdesk.services import LimitReached

from .conftest import CRITERIA, TIERS, jpeg, score_all

pytestmark = pytest.mark.django_db
S = Entry.Status


# --- the call ---------------------------------------------------------------------------------


def test_call_weights_must_add_up_to_100(call, city_admin):
    with pytest.raises(ValidationError, match="合计应为 100%，现在是 90%"):
        services.call_save(
            actor=city_admin,
            campaign=call.campaign,
            call=call,
            title=call.title,
            rules_text="",
            categories=["written"],
            submission_opens=call.submission_opens,
            submission_closes=call.submission_closes,
            review_opens=call.review_opens,
            review_closes=call.review_closes,
            reviews_per_entry=3,
            criteria=[("真实感人", 40), ("专业体现", 50)],
            tiers=TIERS,
        )


def test_only_the_city_admin_sets_the_call(call, district_officer):
    with pytest.raises(ValidationError, match="只有市局管理员"):
        services.call_save(
            actor=district_officer,
            campaign=call.campaign,
            call=call,
            title="改名",
            rules_text="",
            categories=["written"],
            submission_opens=call.submission_opens,
            submission_closes=call.submission_closes,
            review_opens=call.review_opens,
            review_closes=call.review_closes,
            reviews_per_entry=3,
            criteria=CRITERIA,
            tiers=TIERS,
        )


def test_call_keeps_criteria_tiers_and_an_audit_entry(call):
    assert [(c.name, c.weight) for c in call.criteria.all()] == CRITERIA
    assert [(t.name, t.count) for t in call.tiers.all()] == TIERS
    assert AuditEntry.objects.filter(action="contest.call_create").count() == 1


# --- entries ----------------------------------------------------------------------------------


def test_citizen_entry_gets_a_code_and_stripped_photos(call, enter):
    entry = enter(category="photo", uploads=[jpeg(exif_gps=True)], shows_minors=True)

    assert entry.status == S.SUBMITTED
    assert len(entry.code) == 8
    [media] = entry.media.all()
    with Image.open(media.file.path) as image:
        assert not image.getexif()  # no Make, no GPS
    assert media.shows_minors
    assert not media.public_ok


def test_photo_story_needs_a_photo_and_files_are_sniffed(call, enter):
    with pytest.raises(ValidationError, match="至少上传一张照片"):
        enter(category="photo")
    fake = jpeg()
    fake.file.write(b"")
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="无法识别为照片"):
        enter(uploads=[SimpleUploadedFile("x.jpg", b"<html>not a photo</html>")])
    assert Entry.objects.count() == 0  # nothing stored when a file is refused


def test_entries_are_limited_per_phone_and_device(call, enter):
    for _ in range(3):
        enter(phone="13912340000", ip="10.0.0.1")
    with pytest.raises(LimitReached, match="这个电话号码今天已投稿 3 件"):
        enter(phone="13912340000", ip="10.0.0.2")
    for n in range(2):
        enter(ip="10.0.0.1", phone=f"1381234000{n}")
    with pytest.raises(LimitReached, match="今天从这台设备投稿已达上限"):
        enter(ip="10.0.0.1")


def test_closed_call_refuses_entries(call, enter):
    with pytest.raises(ValidationError, match="现在不接收投稿"):
        enter(now=call.submission_closes)


def test_unit_entry_records_consent_and_belongs_to_the_unit(call, station_worker):
    entry = services.entry_submit_for(
        actor=station_worker,
        call=call,
        author_name="服务对象林某",
        phone="13912345678",
        consent_note="已取得本人书面同意",
        title="我和社工学做饭",
        category="written",
        text="故事" * 50,
    )
    assert entry.unit == station_worker.unit
    assert entry.entered_by == station_worker
    assert entry.source == Entry.Source.UNIT
    assert entry.consent_note == "已取得本人书面同意"


def test_unit_entry_without_consent_is_refused(call, station_worker):
    with pytest.raises(ValidationError, match="请写明作者本人同意"):
        services.entry_submit_for(
            actor=station_worker,
            call=call,
            author_name="同事",
            phone="13912345678",
            consent_note=" ",
            title="标题",
            category="written",
            text="正文",
        )


def test_follow_needs_the_right_digits_and_counts_failures(call, enter):
    entry = enter(phone="13912348888")
    assert (
        services.entry_follow(code=entry.display_code.lower(), last4="8888", ip="1.1.1.1") == entry
    )
    for _ in range(5):
        with pytest.raises(ValidationError, match="不正确"):
            services.entry_follow(code=entry.code, last4="0000", ip="2.2.2.2")
    with pytest.raises(LimitReached, match="查询失败次数过多"):
        services.entry_follow(code=entry.code, last4="8888", ip="3.3.3.3")


# --- every transition, allowed and refused ----------------------------------------------------


def test_author_withdraws_before_the_review_only(call, enter, under_review):
    withdrawn = enter()
    services.entry_withdraw(entry=withdrawn)
    withdrawn.refresh_from_db()
    assert withdrawn.status == S.WITHDRAWN
    with pytest.raises(ValidationError):
        services.entry_withdraw(entry=withdrawn)

    reviewed = enter()
    under_review()
    with pytest.raises(ValidationError, match="评审已经开始"):
        services.entry_withdraw(entry=reviewed)
    reviewed.refresh_from_db()
    assert reviewed.status == S.UNDER_REVIEW
    assert not Review.objects.filter(entry=withdrawn).exists()  # withdrawn: never assigned


def test_every_state_transition_allowed_and_refused(call, city_admin, enter, under_review):
    """Walk the whole table: each allowed move succeeds, each other one is refused."""
    after = call.review_closes + timedelta(minutes=1)
    a, b, c = enter(), enter(), enter()
    under_review()
    score_all(call, lambda e: {a.pk: 90, b.pk: 70, c.pk: 50}[e.pk])
    for entry in (a, b, c):
        entry.refresh_from_db()
    # under review → published, awarded: refused
    with pytest.raises(ValidationError):
        services.entry_publish(actor=city_admin, entry=a, confirmed=True)
    with pytest.raises(ValidationError, match="只能为入围作品评定奖项"):
        services.entry_set_tier(actor=city_admin, entry=a, tier=call.tiers.first())
    # under review → shortlisted before the window ends: refused
    with pytest.raises(ValidationError, match="评审期结束后"):
        services.entry_decide(actor=city_admin, entry=a, shortlisted=True, now=call.review_opens)
    services.entry_decide(actor=city_admin, entry=a, shortlisted=True, now=after)
    services.entry_decide(actor=city_admin, entry=b, shortlisted=False, now=after)
    services.entry_decide(actor=city_admin, entry=b, shortlisted=True, now=after)  # back
    services.entry_decide(actor=city_admin, entry=c, shortlisted=False, now=after)
    assert (a.status, b.status, c.status) == (S.SHORTLISTED, S.SHORTLISTED, S.NOT_SELECTED)
    # not selected → awarded: refused
    with pytest.raises(ValidationError):
        services.entry_set_tier(actor=city_admin, entry=c, tier=call.tiers.first())
    first = call.tiers.get(name="一等奖")
    services.entry_set_tier(actor=city_admin, entry=a, tier=first)
    assert services.call_publish_decisions(actor=city_admin, call=call, now=after) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == S.AWARDED
    assert a.certificate_code
    assert b.status == S.SHORTLISTED  # no tier: stays shortlisted
    # awarded → withdrawn / not selected: refused
    with pytest.raises(ValidationError):
        services.entry_withdraw(entry=a)
    with pytest.raises(ValidationError):
        services.entry_decide(actor=city_admin, entry=a, shortlisted=False, now=after)
    services.entry_publish(actor=city_admin, entry=a, confirmed=True)
    a.refresh_from_db()
    assert a.status == S.PUBLISHED
    assert a.slug.startswith(str(call.campaign.starts_on.year))
    # published is final
    for move in (
        lambda: services.entry_publish(actor=city_admin, entry=a, confirmed=True),
        lambda: services.entry_withdraw(entry=a),
        lambda: services.entry_decide(actor=city_admin, entry=a, shortlisted=False, now=after),
    ):
        with pytest.raises(ValidationError):
            move()


def test_decisions_need_the_city_admin(call, district_officer, enter, under_review):
    entry = enter()
    under_review()
    with pytest.raises(ValidationError, match="只有市局管理员"):
        services.entry_decide(
            actor=district_officer, entry=entry, shortlisted=True, now=call.review_closes
        )


# --- scores -----------------------------------------------------------------------------------


def test_scores_are_weighted_and_lock_when_the_window_ends(call, enter, under_review):
    enter()
    under_review()
    review = Review.objects.select_related("judge").first()
    weights = {c.name: c.pk for c in call.criteria.all()}
    scores = {weights["真实感人"]: 100, weights["专业体现"]: 50, weights["文字表达"]: 0,
              weights["传播价值"]: 100}  # fmt: skip
    services.review_score(
        actor=review.judge, review=review, scores=scores, comment="动人", now=call.review_opens
    )
    review.refresh_from_db()
    assert str(review.total) == "65.00"  # 40 + 15 + 0 + 10

    with pytest.raises(ValidationError, match="评分已锁定"):
        services.review_score(
            actor=review.judge,
            review=review,
            scores=dict.fromkeys(scores, 10),
            comment="",
            now=call.review_closes,
        )
    review.refresh_from_db()
    assert str(review.total) == "65.00"


def test_a_judge_scores_only_their_own_review(call, enter, under_review, judges):
    enter()
    under_review()
    review = Review.objects.first()
    other = next(j for j in judges if j.pk != review.judge_id)
    with pytest.raises(ValidationError, match="只能为分配给自己的作品打分"):
        services.review_score(
            actor=other, review=review, scores={}, comment="", now=call.review_opens
        )


def test_every_criterion_needs_a_score_between_0_and_100(call, enter, under_review):
    enter()
    under_review()
    review = Review.objects.select_related("judge").first()
    ids = [c.pk for c in call.criteria.all()]
    with pytest.raises(ValidationError, match="请为每个评分项打分：传播价值"):
        services.review_score(
            actor=review.judge,
            review=review,
            scores=dict.fromkeys(ids[:3], 50),
            comment="",
            now=call.review_opens,
        )
    with pytest.raises(ValidationError, match="应在 0 到 100 之间"):
        services.review_score(
            actor=review.judge,
            review=review,
            scores=dict.fromkeys(ids, 101),
            comment="",
            now=call.review_opens,
        )


# --- ranking and awards -------------------------------------------------------------------------


def test_ranking_breaks_ties_on_the_heaviest_criterion_then_shares_the_rank(
    call, enter, under_review
):
    a, b, c, d = enter(), enter(), enter(), enter()
    under_review()
    ids = {c.name: c.pk for c in call.criteria.all()}
    # a and b: the same weighted total (70), b better on 真实感人 (40%): b ranks above a.
    # c and d: identical in everything: they share a rank.
    plans = {
        a.pk: {"真实感人": 60, "专业体现": 80, "文字表达": 75, "传播价值": 70},
        b.pk: {"真实感人": 70, "专业体现": 70, "文字表达": 70, "传播价值": 70},
        c.pk: {"真实感人": 50, "专业体现": 50, "文字表达": 50, "传播价值": 50},
        d.pk: {"真实感人": 50, "专业体现": 50, "文字表达": 50, "传播价值": 50},
    }
    for review in Review.objects.select_related("judge"):
        services.review_score(
            actor=review.judge,
            review=review,
            scores={ids[name]: value for name, value in plans[review.entry_id].items()},
            comment="",
            now=call.review_opens,
        )

    rows = call_ranking(call)

    assert [(r.entry.pk, r.rank, r.tied) for r in rows] == [
        (b.pk, 1, False),
        (a.pk, 2, False),
        (min(c.pk, d.pk), 3, True),
        (max(c.pk, d.pk), 3, True),
    ]
    assert str(rows[0].mean) == str(rows[1].mean) == "70.00"


def test_shortlist_takes_ties_at_the_cut_along(call, city_admin, enter, under_review):
    a, _b, _c = enter(), enter(), enter()
    under_review()
    score_all(call, lambda e: 90 if e.pk == a.pk else 60)

    shortlisted = services.call_shortlist(
        actor=city_admin, call=call, count=2, now=call.review_closes
    )

    assert shortlisted == 3  # b and c tie for second place
    assert set(Entry.objects.values_list("status", flat=True)) == {S.SHORTLISTED}


def test_tier_counts_are_enforced(call, city_admin, enter, under_review):
    a, b = enter(), enter()
    under_review()
    score_all(call, lambda e: 80)
    services.call_shortlist(actor=city_admin, call=call, count=2, now=call.review_closes)
    first = call.tiers.get(name="一等奖")  # one place
    a.refresh_from_db()
    b.refresh_from_db()
    services.entry_set_tier(actor=city_admin, entry=a, tier=first)
    with pytest.raises(ValidationError, match="“一等奖”名额为 1 个，已经评满"):
        services.entry_set_tier(actor=city_admin, entry=b, tier=first)
    services.entry_set_tier(actor=city_admin, entry=b, tier=call.tiers.get(name="二等奖"))


def test_publishing_decisions_notifies_the_entering_unit(
    call, city_admin, station_worker, under_review
):
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
    under_review()
    score_all(call, lambda e: 88)
    services.call_shortlist(actor=city_admin, call=call, count=1, now=call.review_closes)
    entry.refresh_from_db()
    services.entry_set_tier(actor=city_admin, entry=entry, tier=call.tiers.first())

    services.call_publish_decisions(actor=city_admin, call=call, now=call.review_closes)

    note = Notification.objects.get(recipient=station_worker)
    assert "站里的故事" in note.message
    assert "一等奖" in note.message


def _awarded(call, city_admin, enter, under_review, **fields):
    entry = enter(**fields)
    under_review()
    score_all(call, lambda e: 90)
    services.call_shortlist(actor=city_admin, call=call, count=1, now=call.review_closes)
    entry.refresh_from_db()
    services.entry_set_tier(actor=city_admin, entry=entry, tier=call.tiers.first())
    services.call_publish_decisions(actor=city_admin, call=call, now=call.review_closes)
    entry.refresh_from_db()
    return entry


def test_publication_runs_the_privacy_check(call, city_admin, enter, under_review):
    entry = _awarded(
        call, city_admin, enter, under_review, text="服务对象王建国老人的电话是 13812345678。" * 3
    )
    with pytest.raises(ValidationError, match="疑似电话号码：13812345678"):
        services.entry_publish(actor=city_admin, entry=entry)
    entry.refresh_from_db()
    assert entry.status == S.AWARDED

    services.entry_publish(actor=city_admin, entry=entry, confirmed=True)
    entry.refresh_from_db()
    assert entry.status == S.PUBLISHED


def test_minor_photos_stay_private_until_consent(call, city_admin, enter, under_review):
    from shegong.contest.selectors import public_media

    entry = _awarded(
        call, city_admin, enter, under_review, category="photo", uploads=[jpeg()],
        shows_minors=True,
    )  # fmt: skip
    services.entry_publish(actor=city_admin, entry=entry, confirmed=True)
    entry.refresh_from_db()
    assert public_media(entry) == []
    media = entry.media.get()
    services.media_record_consent(actor=city_admin, media=media, note="已取得监护人书面同意")
    assert public_media(entry) == [media]


def test_schedule_and_push_count_as_media_coverage(call, city_admin, enter, under_review):
    entry = _awarded(call, city_admin, enter, under_review)
    services.entry_publish(actor=city_admin, entry=entry, confirmed=True)
    start = call.review_closes.date()

    assert services.call_schedule(actor=city_admin, call=call, start=start) == 1
    services.push_record(
        actor=city_admin,
        entry=entry,
        outlet="椰城社工公众号",
        pushed_on=start,
        url="https://example.org/story",
    )

    entry.refresh_from_db()
    assert entry.serial_on == start
    coverage = MediaCoverage.objects.get()
    assert coverage.unit == city_admin.unit
    assert coverage.type == "wechat"
    assert entry.title in coverage.title


def test_kpis_count_entries_and_awards(call, city_admin, enter, under_review):
    KpiTarget.objects.create(campaign=call.campaign, kind="stories", target=10)
    withdrawn = enter()
    services.entry_withdraw(entry=withdrawn)
    _awarded(call, city_admin, enter, under_review)

    assert kpi_stories(call.campaign) == 1
    assert kpi_stories_awarded(call.campaign) == 1
    [figure] = campaign_kpis(call.campaign)
    assert figure.recorded
    assert figure.actual == 1
