"""Rendered articles, cached through flask-caching under a key that changes with the file."""

import logging
from dataclasses import dataclass

from flask_caching import Cache

from insights.article import Article
from insights.markup import convert
from insights.text import text_facts

log = logging.getLogger(__name__)
cache = Cache()

# Bump when the renderer's output changes, so no cache serves HTML made by older code.
RENDER_VERSION = 2


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str
    words: int
    first_paragraph: str
    charts: int
    diagrams: int
    problems: tuple[str, ...]


def render_uncached(article: Article) -> Rendered:
    html, toc, notes = convert(article.body)
    words, first_paragraph = text_facts(html)
    return Rendered(
        html, toc, words, first_paragraph, notes.charts, notes.diagrams, tuple(notes.problems)
    )


def cache_key(article: Article) -> str:
    """Changes whenever the file's bytes change, whatever its mtime says."""
    return f"render:{RENDER_VERSION}:{article.path}:{article.version}"


def render(article: Article) -> Rendered:
    """The article's rendering, from the cache when this version of its file was rendered before.

    A cache that fails (Redis gone, say) costs a local render, never an error page.
    """
    key = cache_key(article)
    try:
        found = cache.get(key)
    except Exception as exc:  # any backend fault: the cache is an optimisation only
        log.warning("cache unavailable, rendering %s locally: %s", article.path.name, exc)
        return render_uncached(article)
    if isinstance(found, Rendered):
        return found
    rendered = render_uncached(article)
    try:
        cache.set(key, rendered)
    except Exception as exc:
        log.warning("cache unavailable, %s not stored: %s", article.path.name, exc)
    return rendered
