"""Keyset pagination for long lists ordered newest first by a time and the primary key.

OFFSET pagination reads and discards every row before the page: page 1,000 of the 台账 read
50,000 rows (about a second at a million activities). Here a page starts after (or before) the
last row shown, named in the link as ``<microseconds since the epoch>.<pk>``, so every page
reads one page of the index. The total is counted up to ``count_limit`` only: counting a
million rows costs as much as the page itself.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def cursor_of(moment: datetime.datetime, pk: int) -> str:
    delta = moment - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{pk}"


def _parse(value: str | None) -> tuple[datetime.datetime, int] | None:
    try:
        micros, pk = (value or "").split(".")
        moment = EPOCH + datetime.timedelta(microseconds=int(micros))
        return moment, int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass
class KeysetPage:
    rows: list
    has_next: bool
    has_previous: bool
    next_cursor: str
    previous_cursor: str
    count: int
    count_capped: bool  # there are more than ``count`` rows

    def __iter__(self):
        return iter(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def keyset_page(
    queryset, query, *, field: str, per_page: int = 50, count_limit: int = 10_000
) -> KeysetPage:
    """The page of ``queryset`` (newest ``field`` first, then highest pk) that ``query``'s
    ``after`` or ``before`` cursor names; the first page without either."""
    after = _parse(query.get("after"))
    before = None if after else _parse(query.get("before"))
    ordered = queryset.order_by(f"-{field}", "-pk")
    if after:
        moment, pk = after
        rows = list(
            # The bound on ``field`` alone lets the database walk its index from the cursor; the
            # OR, alone, would make it scan from the start.
            ordered.filter(
                Q(**{f"{field}__lte": moment}),
                Q(**{f"{field}__lt": moment}) | Q(pk__lt=pk),
            )[: per_page + 1]
        )
        has_next, has_previous = len(rows) > per_page, True
        rows = rows[:per_page]
    elif before:
        moment, pk = before
        rows = list(
            queryset.order_by(field, "pk").filter(
                Q(**{f"{field}__gte": moment}),
                Q(**{f"{field}__gt": moment}) | Q(pk__gt=pk),
            )[: per_page + 1]
        )
        has_next, has_previous = True, len(rows) > per_page
        rows = rows[:per_page][::-1]
    else:
        rows = list(ordered[: per_page + 1])
        has_next, has_previous = len(rows) > per_page, False
        rows = rows[:per_page]
    count = queryset.order_by()[: count_limit + 1].count()
    return KeysetPage(
        rows=rows,
        has_next=has_next,
        has_previous=has_previous,
        next_cursor=cursor_of(getattr(rows[-1], field), rows[-1].pk) if rows else "",
        previous_cursor=cursor_of(getattr(rows[0], field), rows[0].pk) if rows else "",
        count=min(count, count_limit),
        count_capped=count > count_limit,
    )
