"""Articles per month (per year over a long range) as bars a page draws in inline SVG."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Article, Byline, Mention

PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2}))?")  # 2020 or 2020-02
MOST_MONTHS = 48  # a longer range is drawn a bar a year
HEIGHT = 60  # the drawing's height in viewBox units; a bar is 10 units wide with its gap


@dataclass(frozen=True)
class Bar:
    label: str  # 2020年2月, or 2020年
    n: int
    url: str
    x: int
    y: float
    height: float


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    by_year: bool
    total: int
    undated: int
    most: int

    @property
    def width(self) -> int:
        return 10 * len(self.bars)

    @property
    def view_width(self) -> int:
        """A few bars stay bars, not blocks as wide as the page."""
        return max(self.width, 240)

    @property
    def view_height(self) -> int:
        return HEIGHT

    @property
    def first(self) -> str:
        return self.bars[0].label

    @property
    def last(self) -> str:
        return self.bars[-1].label


def month_counts(articles) -> dict:
    """{"months": [(year, month, n)], "undated": n} for a queryset of articles, in one query:
    what is cached. Grouped by date in SQL and by month here: SQLite extracts a month by
    calling Python for every row, which at 50,000 articles takes ten times as long."""
    rows = articles.with_effective_date().values_list("effective").annotate(n=Count("id", distinct=True)).order_by()
    months: Counter[tuple[int, int]] = Counter()
    undated = 0
    for day, n in rows:
        if day is None:
            undated += n
        else:
            months[day.year, day.month] += n
    return {"months": sorted((year, month, n) for (year, month), n in months.items()), "undated": undated}


def articles_of_persons(people) -> Q:
    """Articles a person (any of `people`, one name) wrote, is portrayed in or is named in."""
    return (
        Q(pk__in=Byline.objects.filter(person__in=people).values("article"))
        | Q(subject__in=people)
        | Q(pk__in=Mention.objects.filter(person__in=people).values("article"))
    )


def articles_of_place(place) -> Q:
    return Q(pk__in=Mention.objects.filter(place=place).values("article"))


def timeline(counts: dict, link: Callable[[int, int | None], str]) -> Timeline | None:
    """Bars for every month (or year) from the first to the last, empty ones included, so that
    the distance between bars is the time between them; `link(year, month or None)` is a bar's
    page. None when nothing is dated."""
    months = counts["months"]
    if not months:
        return None
    (first_year, first_month, _n), (last_year, last_month, _m) = months[0], months[-1]
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    by_year = span > MOST_MONTHS
    totals: dict[tuple[int, int | None], int] = {}
    for year, month, n in months:
        key = (year, None) if by_year else (year, month)
        totals[key] = totals.get(key, 0) + n
    if by_year:
        keys = [(year, None) for year in range(first_year, last_year + 1)]
    else:
        keys = [((first_month - 1 + i) // 12 + first_year, (first_month - 1 + i) % 12 + 1) for i in range(span)]
    most = max(totals.values())
    bars = []
    for i, (year, month) in enumerate(keys):
        n = totals.get((year, month), 0)
        height = max(2.0, round(HEIGHT * n / most, 1)) if n else 0  # one article stays visible
        label = (
            _("%(year)d") % {"year": year}
            if month is None
            else _("%(year)d-%(month)d") % {"year": year, "month": month}
        )
        bars.append(Bar(label, n, link(year, month) if n else "", 10 * i, round(HEIGHT - height, 1), height))
    total = sum(totals.values())
    return Timeline(bars, by_year, total, counts["undated"], most)


def articles_in_period(period: str | None):
    """The ids of the articles of one month (2020-02) or year (2020), as a subquery, with the
    period as (year, month or None); (None, None) when `period` is absent or not a period."""
    found = PERIOD.fullmatch(period or "")
    if not found or (found["month"] and not 1 <= int(found["month"]) <= 12):
        return None, None
    year, month = int(found["year"]), int(found["month"]) if found["month"] else None
    return Article.objects.in_period(year, month).values("pk"), (year, month)


def period_of(year: int, month: int | None) -> str:
    return f"{year}" if month is None else f"{year}-{month:02d}"
