"""Series: articles whose front matter names the same ``series``, read in order.

Parts are ordered by ``series_order`` (those that have one first), then by date, then by slug.
A series' URL slug is made as a tag's (``tag_slug``), so names differing only in case or
punctuation are one series; its name is the spelling of its first part. Both functions take the
articles a visitor may see (a ``View``'s), so a draft is a part only where drafts are shown.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from publishing.article import Article
from publishing.metadata import tag_slug


@dataclass(frozen=True)
class Series:
    name: str
    slug: str  # the page is /series/<slug>/
    parts: tuple[Article, ...]  # in reading order


@dataclass(frozen=True)
class Place:
    """Where one article stands in its series."""

    series: Series
    number: int  # 1 for the first part

    @property
    def label(self) -> str:
        """ "Part 2 of 4"."""
        return f"Part {self.number} of {len(self.series.parts)}"


def all_series(articles: Iterable[Article]) -> dict[str, Series]:
    """Every series among ``articles``, by slug, sorted by name (for series pages, sitemaps)."""
    grouped: dict[str, list[Article]] = {}
    for article in articles:
        if article.series is not None:
            grouped.setdefault(tag_slug(article.series), []).append(article)
    series = []
    for slug, parts in grouped.items():
        parts.sort(key=_reading_order)
        series.append(Series(parts[0].series or "", slug, tuple(parts)))
    return {found.slug: found for found in sorted(series, key=lambda s: s.name.casefold())}


def place(article: Article, series: dict[str, Series]) -> Place | None:
    """``article``'s place in its series (``series`` from ``all_series``), or None when it is in
    none, or its series is not among them (the article is not visible)."""
    if article.series is None:
        return None
    found = series.get(tag_slug(article.series))
    if found is None:
        return None
    for number, part in enumerate(found.parts, 1):
        if part.slug == article.slug:
            return Place(found, number)
    return None


def _reading_order(article: Article) -> tuple[bool, int, float, str]:
    order = article.series_order
    return order is None, order or 0, article.date.timestamp(), article.slug
