"""The archive: articles grouped by year and month, newest first, with counts.

Light on purpose: each entry holds a slug, a title and a date, and nothing is rendered, so the
archive of 10,000 articles is one pass over them and one page of links.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from publishing.article import Article


@dataclass(frozen=True)
class Entry:
    slug: str
    title: str
    date: datetime


@dataclass(frozen=True)
class Month:
    year: int
    month: int  # 1 to 12
    entries: tuple[Entry, ...]  # newest first

    @property
    def count(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class Year:
    year: int
    months: tuple[Month, ...]  # newest first

    @property
    def count(self) -> int:
        return sum(month.count for month in self.months)


def archive(articles: Iterable[Article]) -> tuple[Year, ...]:
    """``articles`` (those a visitor may see: a ``View``'s) by year and month, newest first.

    Each is filed under the year and month of its date as written (in its own offset), as its
    page shows it.
    """
    entries = sorted(
        (Entry(a.slug, a.title, a.date) for a in articles),
        key=lambda e: (e.date.year, e.date.month, e.date.timestamp()),  # months stay whole
        reverse=True,
    )
    months = [
        Month(year, month, tuple(found))
        for (year, month), found in groupby(entries, key=lambda e: (e.date.year, e.date.month))
    ]
    return tuple(Year(year, tuple(found)) for year, found in groupby(months, key=lambda m: m.year))
