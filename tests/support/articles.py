"""``Article`` objects made in memory, for tests of what is built from articles (search,
related articles, series, archive) without files."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from publishing.article import Article

DAY_ONE = datetime(2025, 1, 1, tzinfo=UTC)


def article(slug: str, title: str = "", body: str = "Some text.", **fields: Any) -> Article:
    """An article named ``slug``; its version follows everything it holds, as a file's digest
    follows the file."""
    fields.setdefault("date", DAY_ONE)
    fields.setdefault("author", "Tester")
    title = title or slug.replace("-", " ").title()
    digest = hashlib.blake2b(repr((slug, title, body, sorted(fields.items()))).encode())
    return Article(
        path=Path(f"{slug}.md"),
        version=digest.hexdigest()[:32],
        slug=slug,
        title=title,
        body=body,
        **fields,
    )
