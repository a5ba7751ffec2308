"""Balanced reviewer assignment, as a pure function so its properties can be tested alone.

Each entry gets ``n`` judges, never one from a unit the entry conflicts with; judges' loads
(reviews assigned) differ by at most one wherever the conflicts allow it. Entries with the
fewest eligible judges are served first; afterwards single reviews are moved from the most to
the least loaded judges while that narrows the spread.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    entry: int
    conflicts: frozenset[int]  # unit ids whose judges may not review it


def assign(
    entries: Iterable[Candidate],
    judges: dict[int, int | None],
    n: int,
    existing: dict[int, set[int]] | None = None,
    fixed: dict[int, set[int]] | None = None,
) -> dict[int, set[int]]:
    """``judges``: judge id → unit id. ``existing``: entry → judges already assigned, kept
    unless moving one narrows the spread; ``fixed``: those that never move (scored already;
    ``existing`` by default). Returns entry → judges, existing assignments included."""
    entries = list(entries)
    plan: dict[int, set[int]] = {c.entry: set((existing or {}).get(c.entry, ())) for c in entries}
    if fixed is None:
        fixed = existing or {}
    fixed = {entry: set(judge_ids) for entry, judge_ids in fixed.items()}
    load = dict.fromkeys(judges, 0)
    for judge_ids in plan.values():
        for judge in judge_ids:
            if judge in load:
                load[judge] += 1
    eligible = {
        c.entry: [j for j, unit in judges.items() if unit not in c.conflicts] for c in entries
    }
    for c in sorted(entries, key=lambda c: (len(eligible[c.entry]), c.entry)):
        chosen = plan[c.entry]
        chosen &= set(judges)  # a judge no longer on the panel keeps nothing
        for judge in sorted(
            (j for j in eligible[c.entry] if j not in chosen), key=lambda j: (load[j], j)
        ):
            if len(chosen) >= n:
                break
            chosen.add(judge)
            load[judge] += 1
    _rebalance(plan, eligible, load, fixed)
    return plan


def _rebalance(plan, eligible, load, fixed) -> None:
    """Move one review at a time from a judge above the minimum + 1 to one below; never move
    a review given before (``fixed``)."""
    if not load:
        return
    for _round in range(10_000):
        moved = False
        low = min(load.values())
        for heavy in sorted(load, key=lambda j: -load[j]):
            if load[heavy] <= low + 1:
                break
            for entry, chosen in plan.items():
                if heavy not in chosen or heavy in fixed.get(entry, ()):
                    continue
                for light in sorted(eligible[entry], key=lambda j: (load[j], j)):
                    if light in chosen or load[light] >= load[heavy] - 1:
                        continue
                    chosen.discard(heavy)
                    chosen.add(light)
                    load[heavy] -= 1
                    load[light] += 1
                    moved = True
                    break
                if moved:
                    break
            if moved:
                break
        if not moved:
            return
