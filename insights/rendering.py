"""Rendered articles, cached through flask-caching under a key that changes with the file."""

import hashlib
import logging
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from flask_caching import Cache

from insights import charts, diagrams, markup, text
from insights.article import Article
from insights.markup import convert
from insights.text import text_facts

log = logging.getLogger(__name__)
cache = Cache()


def _renderer_version() -> str:
    """A digest of the code that turns Markdown into HTML, and of the libraries it uses.

    Part of every cache key, so a shared cache never serves HTML made by other code: a deploy
    that changes the renderer renders afresh, and hosts running different code never mix.
    """
    digest = hashlib.blake2b(digest_size=6)
    for module in (charts, diagrams, markup, text, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    for package in ("markdown", "pymdown-extensions", "pygments", "pyyaml"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


RENDER_VERSION = _renderer_version()


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
