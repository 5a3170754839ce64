"""How lists are cut into pages, and which page a URL asks for."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
_PAGE_RE = re.compile(r"[1-9][0-9]{0,5}")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    count: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


def page_number(raw: str | None) -> int | None:
    """The list page asked for in the URL: 1 when absent, None when it is not a page number."""
    if raw is None:
        return 1
    return int(raw) if _PAGE_RE.fullmatch(raw) else None


def page_count(items: int, per_page: int) -> int:
    """How many pages a list of ``items`` takes: at least one, even for an empty list."""
    return max(1, -(-items // per_page))


def paginate(items: Sequence[T], number: int, per_page: int) -> Page[T] | None:
    """Page ``number`` of ``items``; None past the last page (page 1 of nothing exists)."""
    count = page_count(len(items), per_page)
    if number > count:
        return None
    start = (number - 1) * per_page
    return Page(list(items[start : start + per_page]), number, count)
