"""Contest data for the site-wide sweeps in tests/core (leaks, hostile forms, query counts),
kept here so those shared files only call in. Everything goes through the services, with an
explicit clock where the demo call's windows are long past."""

import io
from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shegong.accounts.models import User
from shegong.campaigns.models import Campaign
from shegong.campaigns.services import campaign_clone
from shegong.contest import services
from shegong.contest.models import Call, Entry, Review

CRITERIA = [("真实感人", 40), ("专业体现", 30), ("文字表达", 20), ("传播价值", 10)]


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def demo_call() -> Call:
    return Call.objects.get(slug="haikou-2023")


def mark_entry(worker: User, tag: str) -> tuple[Entry, int]:
    """An entry of ``worker``'s unit entered in the demo call (inside its 2023 window), with
    a photo showing minors: every text marked with ``tag``. Returns the entry and the photo's
    id."""
    call = demo_call()
    entry = services.entry_submit_for(
        actor=worker,
        call=call,
        author_name=f"{tag}故事作者",
        phone=worker.phone or "13900001111",
        consent_note=f"{tag}本人同意说明",
        title=f"{tag}故事标题",
        category="photo",
        text=f"{tag}故事正文，写社工陪伴老人的经过。",
        uploads=[jpeg()],
        shows_minors=True,
        now=call.submission_opens + timedelta(hours=1),
    )
    return entry, entry.media.get().pk


def _clone(admin: User, years: int) -> Campaign:
    campaign = Campaign.objects.get(slug="haikou-2023")
    return campaign_clone(
        actor=admin,
        source=campaign,
        year=campaign.year + years,
        slug=f"contest-sweep-{years}",
    )


def open_for_the_sweep(admin: User) -> SimpleNamespace:
    """Beside the finished 2023 call (ranking, awards, stories): a 2024 call whose review runs
    now, every judge with entries to score; a 2025 call open for entries now (the public and
    the units' entry forms); a 2026 campaign without a call (the form that starts one); a judge
    not on any panel; a station entry whose photo of children still lacks consent."""
    now = timezone.now()
    judges = list(User.objects.filter(role=User.Role.JUDGE))
    reviewing = services.call_save(
        actor=admin,
        campaign=_clone(admin, 1),
        title="评审中的故事征集",
        rules_text="真实、原创。",
        categories=["written", "photo"],
        submission_opens=now - timedelta(days=40),
        submission_closes=now - timedelta(days=2),
        review_opens=now - timedelta(days=1),
        review_closes=now + timedelta(days=10),
        reviews_per_entry=len(judges),
        criteria=CRITERIA,
        tiers=[("一等奖", 1)],
    )
    for judge in judges:
        services.judge_add(actor=admin, call=reviewing, user=judge)
    worker = User.objects.filter(role=User.Role.STATION_WORKER, unit__code="460105001").first()
    for n in range(2):
        services.entry_submit_for(
            actor=worker,
            call=reviewing,
            author_name=f"扫描作者{n}",
            phone="13900002222",
            consent_note="本人书面同意",
            title=f"扫描用故事{n}",
            category="photo",
            text="社工站的故事正文。" * 10,
            uploads=[jpeg()],
            shows_minors=True,
            now=reviewing.submission_opens + timedelta(hours=1),
        )
    services.review_start(actor=admin, call=reviewing, now=now)
    open_call = services.call_save(
        actor=admin,
        campaign=_clone(admin, 2),
        title="下一年的故事征集",
        rules_text="真实、原创。",
        categories=["written", "photo", "video"],
        submission_opens=now - timedelta(days=1),
        submission_closes=now + timedelta(days=30),
        review_opens=now + timedelta(days=31),
        review_closes=now + timedelta(days=45),
        reviews_per_entry=3,
        criteria=CRITERIA,
        tiers=[("一等奖", 1)],
    )
    _clone(admin, 3)
    User.objects.create(
        username="judge.sweep", role=User.Role.JUDGE, unit=admin.unit, display_name="候补评委"
    )
    finished = demo_call()
    awarded = finished.entries.filter(status=Entry.Status.AWARDED).order_by("pk").first()
    return SimpleNamespace(
        reviewing=reviewing,
        open_call=open_call,
        finished=finished,
        published=finished.entries.filter(status=Entry.Status.PUBLISHED).order_by("pk").first(),
        awarded=awarded,
        minors=Entry.objects.filter(call=reviewing, unit=worker.unit).order_by("pk").first(),
    )


def open_review_of(judge: User) -> Review | None:
    return (
        Review.objects.filter(judge=judge, entry__status=Entry.Status.UNDER_REVIEW)
        .order_by("pk")
        .first()
    )


class ContestGrower:
    """Batches of published stories, entered by a station and reviewed by the demo judges,
    in a call of its own whose windows are set around now (for the query-count sweep)."""

    def __init__(self, admin: User, worker: User, judge: User):
        self.admin, self.worker, self.judge = admin, worker, judge
        self.call: Call | None = None
        self.entry: Entry | None = None  # the measured one: the first published
        self.review: Review | None = None  # the judge's, of an entry still under review

    def _call(self) -> Call:
        """Every judge reviews every entry, so the measured judge's list grows too."""
        now = timezone.now()
        judges = list(User.objects.filter(role=User.Role.JUDGE))
        campaign = Campaign.objects.get(slug="haikou-2023")
        following = campaign_clone(
            actor=self.admin,
            source=campaign,
            year=campaign.year + 5,
            slug="contest-grow",
        )
        call = services.call_save(
            actor=self.admin,
            campaign=following,
            title="测量用故事征集",
            rules_text="真实、原创。",
            categories=["written", "photo"],
            submission_opens=now - timedelta(days=1),
            submission_closes=now + timedelta(days=10),
            review_opens=now + timedelta(days=10),
            review_closes=now + timedelta(days=20),
            reviews_per_entry=len(judges),
            criteria=CRITERIA,
            tiers=[("一等奖", 100)],
        )
        for judge in judges:
            services.judge_add(actor=self.admin, call=call, user=judge)
        return call

    def batch(self, mark: str, n: int) -> None:
        self.call = self.call or self._call()
        call = self.call
        entries = [
            services.entry_submit_for(
                actor=self.worker,
                call=call,
                author_name=f"{mark}作者{i}",
                phone="13900003333",
                consent_note="本人书面同意",
                title=f"{mark}故事{i}",
                category="photo",
                text=f"{mark}故事{i}的正文。" * 5,
                uploads=[jpeg()],
                now=call.submission_opens + timedelta(hours=1),
            )
            for i in range(n)
        ]
        # One more that stays under review.
        waiting = services.entry_submit_for(
            actor=self.worker,
            call=call,
            author_name=f"{mark}作者",
            phone="13900003333",
            consent_note="本人书面同意",
            title=f"{mark}评审中的故事",
            category="written",
            text=f"{mark}正文。" * 5,
            now=call.submission_opens + timedelta(hours=1),
        )
        services.review_start(actor=self.admin, call=call, now=call.review_opens)
        scores = {c.pk: 85 for c in call.criteria.all()}
        for entry in entries:
            for review in entry.reviews.select_related("judge"):
                services.review_score(
                    actor=review.judge,
                    review=review,
                    scores=scores,
                    comment=f"{mark}评语",
                    now=call.review_opens,
                )
            entry.refresh_from_db()
            services.entry_decide(
                actor=self.admin, entry=entry, shortlisted=True, now=call.review_closes
            )
            services.entry_set_tier(actor=self.admin, entry=entry, tier=call.tiers.get())
        services.call_publish_decisions(actor=self.admin, call=call, now=call.review_closes)
        for entry in entries:
            entry.refresh_from_db()
            services.entry_publish(actor=self.admin, entry=entry, confirmed=True)
        self.entry = self.entry or Entry.objects.get(pk=entries[0].pk)
        self.review = self.review or waiting.reviews.get(judge=self.judge)
