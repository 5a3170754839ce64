"""Rendered articles, cached through flask-caching under a key that changes with the file."""

import hashlib
import logging
import sys
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from flask_caching import Cache

from insights import accessible_markup, charts, diagrams, markup, text
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
    for module in (accessible_markup, charts, diagrams, markup, text, sys.modules[__name__]):
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
    """Changes whenever the file's bytes change, whatever its mtime says. The file's name, not
    its full path, so hosts with their content in different places share renderings."""
    return f"render:{RENDER_VERSION}:{article.path.name}:{article.version}"


class _CacheHealth:
    """Logs a failing cache in one line when it fails, then at most once a minute while it
    stays down, and once when it works again: a dead Redis must not flood the log."""

    QUIET_SECONDS = 60.0

    def __init__(self) -> None:
        self._down_since: float | None = None
        self._last_said = 0.0
        self._lock = threading.Lock()

    def failed(self, what: str, exc: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            first = self._down_since is None
            if first:
                self._down_since = now
            if not first and now - self._last_said < self.QUIET_SECONDS:
                return
            self._last_said = now
        log.warning("cache unavailable, %s: %s", what, exc)

    def worked(self) -> None:
        if self._down_since is None:  # the common case, read without the lock
            return
        with self._lock:
            if self._down_since is None:  # another thread said it first
                return
            down_for, self._down_since = time.monotonic() - self._down_since, None
        log.warning("cache available again after %.1f s", down_for)


_health = _CacheHealth()


def render(article: Article) -> Rendered:
    """The article's rendering, from the cache when this version of its file was rendered before.

    A cache that fails (Redis gone, say) costs a local render, never an error page.
    """
    key = cache_key(article)
    try:
        found = cache.get(key)
    except Exception as exc:  # any backend fault: the cache is an optimisation only
        _health.failed(f"rendering {article.path.name} locally", exc)
        return render_uncached(article)
    _health.worked()
    if isinstance(found, Rendered):
        return found
    rendered = render_uncached(article)
    try:
        cache.set(key, rendered)
    except Exception as exc:
        _health.failed(f"{article.path.name} not stored", exc)
    return rendered
