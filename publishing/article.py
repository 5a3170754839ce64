"""The content objects: an article read from disk, and a file that could not be read."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from publishing.bundles import Bundle
from publishing.metadata import tag_slug


@dataclass(frozen=True)
class Article:
    path: Path
    version: str  # digest of the bytes this was read from
    slug: str
    title: str
    date: datetime
    author: str
    body: str
    updated: datetime | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    draft: bool = False
    toc: bool = False
    id: str | None = None  # the feed entry id, when the author fixes one
    series: str | None = None
    series_order: int | None = None  # place in the series; date order when absent
    bundle: Bundle | None = None  # the files beside it, for an article in its own folder
    image: str | None = None  # the cover, as the front matter names it
    image_alt: str | None = None

    @cached_property
    def tag_slugs(self) -> dict[str, str]:
        """Tag URL slug -> tag name as the author wrote it."""
        return {tag_slug(tag): tag for tag in self.tags}

    @property
    def modified(self) -> datetime:
        return self.updated if self.updated and self.updated > self.date else self.date

    def is_public(self, now: datetime) -> bool:
        """Not a draft, and its date has come."""
        return not self.draft and self.date <= now


@dataclass(frozen=True, order=True)
class Problem:
    """Why a content file is not on the site (or has a broken part), for logs and ``check``."""

    path: Path
    reason: str = field(compare=True)

    def __str__(self) -> str:
        return f"{shown(self.path)}: {self.reason}"


def shown(path: Path) -> str:
    """``path`` for a log line or a terminal: as it is, or quoted with escapes when it holds
    characters that could forge a line or break the output (a newline, bytes not UTF-8)."""
    text = str(path)
    if text.isprintable():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return text
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
