"""Rendered articles, cached through flask-caching under a key that changes with the file.

Markdown is rendered in a child process under a time budget (``INSIGHTS_RENDER_TIMEOUT``):
Python-Markdown is quadratic on some inputs, and an article past its budget is shown as an
error box instead of holding a worker. A worker renders each article version once at a time;
requests that want it meanwhile wait for that render.
"""

import hashlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from flask import current_app, has_app_context
from flask_caching import Cache

from publishing import accessible_markup, charts, diagrams, markup, text, time_budget
from publishing.article import Article
from publishing.charts import error_box
from publishing.markup import convert
from publishing.text import text_facts
from settings import DEFAULTS

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
    warnings: tuple[str, ...] = ()  # faults in blocks that are drawn all the same


def rendered_markdown(body: str) -> Rendered:
    """The rendering of an article's Markdown ``body``, here and with no time limit."""
    html, toc, notes = convert(body)
    words, first_paragraph = text_facts(html)
    return Rendered(
        html,
        toc,
        words,
        first_paragraph,
        notes.charts,
        notes.diagrams,
        tuple(notes.problems),
        tuple(notes.warnings),
    )


_children = time_budget.ChildPool(preload=[__name__])
_said_no_children = threading.Event()


def _budget() -> float:
    config = current_app.config if has_app_context() else DEFAULTS
    return float(config["RENDER_TIMEOUT"])


def _not_rendered(article: Article, reason: str) -> Rendered:
    html = error_box("Article not shown", reason, article.body)
    return Rendered(html, "", 0, "", 0, 0, (reason,))


def render_uncached(article: Article) -> Rendered:
    """The article rendered afresh in a child process, or an error box when it could not be:
    past the budget, the child is killed and the box names the limit."""
    seconds = _budget()
    try:
        return _children.run(seconds, rendered_markdown, article.body)
    except time_budget.NoChildren as exc:
        if not _said_no_children.is_set():
            _said_no_children.set()
            log.warning("%s: rendering in this process, with no time budget", exc)
        return rendered_markdown(article.body)
    except time_budget.OverBudget:
        reason = f"rendering took longer than the {seconds:g} s limit (INSIGHTS_RENDER_TIMEOUT)"
    except time_budget.ChildDied as exc:
        reason = f"rendering stopped: {exc}"
    log.warning("%s: %s", article.path.name, reason)
    return _not_rendered(article, reason)


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


class _SingleFlight:
    """Runs one call per key at a time; callers that come while it runs wait for its result."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, Future[Rendered]] = {}

    def run(self, key: str, work: Callable[[], Rendered]) -> Rendered:
        with self._lock:
            running = self._running.get(key)
            if running is None:
                mine = self._running[key] = Future()
        if running is not None:
            return running.result()
        try:
            result = work()
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        else:
            mine.set_result(result)
            return result
        finally:
            with self._lock:
                del self._running[key]


_flights = _SingleFlight()


def _render_and_store(key: str, article: Article) -> Rendered:
    rendered = render_uncached(article)
    try:
        cache.set(key, rendered)
    except Exception as exc:
        _health.failed(f"{article.path.name} not stored", exc)
    return rendered


def render(article: Article) -> Rendered:
    """The article's rendering, from the cache when this version of its file was rendered before.

    A cache that fails (Redis gone, say) costs a local render, never an error page.
    """
    key = cache_key(article)
    try:
        found = cache.get(key)
    except Exception as exc:  # any backend fault: the cache is an optimisation only
        _health.failed(f"rendering {article.path.name} locally", exc)
        return _flights.run(key, lambda: render_uncached(article))
    _health.worked()
    if isinstance(found, Rendered):
        return found
    return _flights.run(key, lambda: _render_and_store(key, article))
