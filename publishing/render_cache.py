"""The site's renderer: each version of an article's file rendered once, and kept in a cache
(Flask-Caching's backend, handed in by ``create_app``: per worker, or Redis shared by every
host) under a key that changes with the file. A worker renders each article version once at a
time; requests that want it meanwhile wait for that render.
"""

from collections.abc import Callable
from concurrent.futures import Future
from threading import Lock
from typing import Any, Protocol

from publishing.article import Article
from publishing.cache_health import CacheHealth
from publishing.image_variants import ImageVariants
from publishing.render_version import RENDER_VERSION
from publishing.rendering import Rendered, render_in_budget


class CacheStore(Protocol):
    """What the renderer needs of a cache backend (cachelib's, which Flask-Caching builds)."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> Any: ...


def cache_key(article: Article) -> str:
    """Changes whenever the file's bytes change, whatever its mtime says. The file's name, not
    its full path, so hosts with their content in different places share renderings."""
    return f"render:{RENDER_VERSION}:{article.path.name}:{article.version}"


class _SingleFlight:
    """Runs one call per key at a time; callers that come while it runs wait for its result."""

    def __init__(self) -> None:
        self._lock = Lock()
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


class Renderer:
    """Renders articles within ``budget`` seconds each, keeping renderings in ``store``; the
    variants of their large images go to ``images``."""

    def __init__(
        self, store: CacheStore, budget: float, images: ImageVariants | None = None
    ) -> None:
        self.store = store
        self.budget = budget
        self.images = images
        self._flights = _SingleFlight()
        # Reads and writes fail apart (a full Redis answers one, refuses the other): one
        # health for both would say "available again" after each read, and fail anew each write.
        self._reads = CacheHealth()
        self._writes = CacheHealth("cache writes")

    def render_uncached(self, article: Article) -> Rendered:
        """The article rendered afresh, or an error box naming the budget it ran past."""
        return render_in_budget(article, self.budget, self.images)

    def _render_and_store(self, key: str, article: Article) -> Rendered:
        rendered = self.render_uncached(article)
        if rendered.transient:  # a fault of this process's children, not of this version
            return rendered
        try:
            self.store.set(key, rendered)
        except Exception as exc:
            self._writes.failed(f"{article.path.name} not stored", exc)
        else:
            self._writes.worked()
        return rendered

    def render(self, article: Article) -> Rendered:
        """The article's rendering, from the cache when this version of its file was rendered
        before. A cache that fails (Redis gone, say) costs a local render, never an error page.
        """
        key = cache_key(article)
        try:
            found = self.store.get(key)
        except Exception as exc:  # any backend fault: the cache is an optimisation only
            self._reads.failed(f"rendering {article.path.name} locally", exc)
            return self._flights.run(key, lambda: self.render_uncached(article))
        self._reads.worked()
        if isinstance(found, Rendered):
            return found
        return self._flights.run(key, lambda: self._render_and_store(key, article))
