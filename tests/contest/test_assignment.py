"""Reviewer assignment (``contest.assignment.assign``), property-based: no judge reviews an
entry of their own unit or district, every entry gets exactly N judges when enough eligible
judges exist, loads differ by at most one (whenever conflicts do not forbid it: then no single
move of a review could narrow the spread), and all of it still holds after a judge leaves."""

from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shegong.accounts.models import User
from shegong.contest import services
from shegong.contest.assignment import Candidate, assign
from shegong.contest.models import Review
from tests.factories import UserFactory

CITY = 0
DISTRICTS = [1, 2, 3]
STATIONS = {d: [d * 10 + s for s in range(1, 4)] for d in DISTRICTS}


def conflicts_of(station: int) -> frozenset[int]:
    return frozenset({station, station // 10})


@st.composite
def worlds(draw, *, judge_units=None):
    n = draw(st.integers(min_value=1, max_value=3))
    units = (
        judge_units
        if judge_units is not None
        else st.sampled_from([CITY, *DISTRICTS, *STATIONS[1], *STATIONS[2]])
    )
    judge_count = draw(st.integers(min_value=n, max_value=9))
    judges = {100 + j: draw(units) for j in range(judge_count)}
    stations = [s for group in STATIONS.values() for s in group]
    entry_units = draw(st.lists(st.sampled_from(stations), min_size=0, max_size=40))
    entries = [Candidate(entry=i, conflicts=conflicts_of(u)) for i, u in enumerate(entry_units)]
    return n, judges, entries


def eligible(judges, candidate):
    return [j for j, unit in judges.items() if unit not in candidate.conflicts]


def check(plan, judges, entries, n, fixed=None):
    fixed = fixed or {}
    load = Counter(dict.fromkeys(judges, 0))
    for candidate in entries:
        chosen = plan[candidate.entry]
        load.update(chosen)
        assert chosen <= set(judges), "a judge off the panel keeps a review"
        for judge in chosen:
            assert judges[judge] not in candidate.conflicts, "a judge of the author's unit"
        assert len(chosen) == min(n, len(eligible(judges, candidate)))
    # No single review could move from a judge to an eligible one carrying two fewer.
    for candidate in entries:
        for heavy in plan[candidate.entry] - fixed.get(candidate.entry, set()):
            for light in eligible(judges, candidate):
                if light not in plan[candidate.entry]:
                    assert load[light] >= load[heavy] - 1, (heavy, light, dict(load))
    return load


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_assignment_has_no_conflict_n_judges_and_a_spread_no_move_narrows(world):
    n, judges, entries = world
    check(assign(entries, judges, n), judges, entries, n)


@settings(max_examples=150, deadline=None)
@given(worlds(judge_units=st.just(CITY)))
def test_loads_differ_by_at_most_one_when_judges_sit_outside_the_authors_units(world):
    n, judges, entries = world
    load = check(assign(entries, judges, n), judges, entries, n)
    assert max(load.values()) - min(load.values()) <= 1


@settings(max_examples=150, deadline=None)
@given(worlds(), st.data())
def test_a_judge_leaving_keeps_every_property(world, data):
    n, judges, entries = world
    plan = assign(entries, judges, n)
    leaving = data.draw(st.sampled_from(sorted(judges)))
    staying = {j: u for j, u in judges.items() if j != leaving}
    # Reviews already given by the others stay where they are.
    kept = {entry: chosen - {leaving} for entry, chosen in plan.items()}
    # The worst case: every review of the others was scored already and cannot move.
    again = assign(entries, staying, n, existing=kept, fixed=kept)
    check(again, staying, entries, n, fixed=kept)
    for entry, chosen in kept.items():
        assert chosen <= again[entry]


@settings(max_examples=100, deadline=None)
@given(worlds(judge_units=st.just(CITY)), st.data())
def test_after_a_judge_leaves_city_judges_stay_within_one(world, data):
    n, judges, entries = world
    if len(judges) <= n:
        return
    plan = assign(entries, judges, n)
    leaving = data.draw(st.sampled_from(sorted(judges)))
    staying = {j: u for j, u in judges.items() if j != leaving}
    kept = {e: c - {leaving} for e, c in plan.items()}
    # None of the others' reviews was scored yet: they may move too.
    again = assign(entries, staying, n, existing=kept, fixed={})
    load = check(again, staying, entries, n)
    assert max(load.values()) - min(load.values()) <= 1


# --- the same through the database ------------------------------------------------------------


def test_review_start_assigns_n_judges_never_of_the_authors_district(
    call, city, district, station, station_worker, city_admin, judges, enter, media_root
):
    district_judge = UserFactory(username="judge.d", role=User.Role.JUDGE, unit=district)
    services.judge_add(actor=city_admin, call=call, user=district_judge)
    inside = [
        services.entry_submit_for(
            actor=station_worker,
            call=call,
            author_name=f"同事{n}",
            phone=f"1390000000{n}",
            consent_note="本人书面同意",
            title=f"站里的故事{n}",
            category="written",
            text="故事正文" * 20,
        )
        for n in range(4)
    ]
    outside = [enter() for _ in range(4)]

    services.review_start(actor=city_admin, call=call, now=call.review_opens)

    for entry in inside + outside:
        reviewers = set(Review.objects.filter(entry=entry).values_list("judge_id", flat=True))
        assert len(reviewers) == call.reviews_per_entry
        if entry in inside:
            assert district_judge.pk not in reviewers
    loads = Counter(Review.objects.values_list("judge_id", flat=True))
    assert max(loads.values()) - min(loads.values()) <= 1


def test_removing_a_judge_moves_only_unscored_reviews(
    call, city_admin, judges, enter, under_review
):
    entries = [enter() for _ in range(6)]
    under_review()
    leaving = judges[0]
    done = Review.objects.filter(judge=leaving).first()
    criteria = {c.pk: 80 for c in call.criteria.all()}
    services.review_score(
        actor=leaving, review=done, scores=criteria, comment="", now=call.review_opens
    )
    open_before = Review.objects.filter(judge=leaving, submitted_at=None).count()
    assert open_before > 0

    moved = services.judge_remove(actor=city_admin, call=call, user=leaving)

    assert moved == open_before
    assert list(Review.objects.filter(judge=leaving)) == [done]  # the scored one stays
    for entry in entries:
        assert Review.objects.filter(entry=entry).count() >= call.reviews_per_entry
    staying = Counter(Review.objects.exclude(judge=leaving).values_list("judge_id", flat=True))
    assert max(staying.values()) - min(staying.values()) <= 1


def test_review_start_needs_enough_judges(call, city_admin, enter):
    enter()
    with pytest.raises(Exception, match="评审组只有 0 位评委"):
        services.review_start(actor=city_admin, call=call, now=call.review_opens)


def test_review_start_waits_for_the_submission_deadline(call, city_admin, judges, enter):
    enter()
    with pytest.raises(Exception, match="征集尚未截止"):
        services.review_start(
            actor=city_admin, call=call, now=call.submission_closes - timedelta(minutes=1)
        )
