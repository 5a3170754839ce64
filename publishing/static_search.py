"""The search index of a static export: what ``static/js/search.js`` searches where no server runs.

One JSON list, one entry per public article: its slug, title, date (ISO 8601 and as pages show
it), tags as (URL slug, name) pairs, and its text as the server's index holds it (the summary,
then the body made plain), so the export finds what the site finds, less stemming and ranking.
"""

import json
from collections.abc import Callable, Iterable
from datetime import datetime

from publishing.article import Article
from publishing.search_index import searchable_text


def static_index(articles: Iterable[Article], shown: Callable[[datetime], str]) -> bytes:
    """``articles`` (the public ones) as the export's ``search/index.json``; ``shown`` writes a
    date as pages do."""
    entries = [
        {
            "slug": article.slug,
            "title": article.title,
            "date": article.date.isoformat(),
            "shown": shown(article.date),
            "tags": list(article.tag_slugs.items()),
            "text": searchable_text(article),
        }
        for article in articles
    ]
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()
