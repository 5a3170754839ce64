"""The health of the render cache, told in the log without flooding it."""

import logging
import threading
import time

log = logging.getLogger(__name__)


class CacheHealth:
    """Logs a failing cache in one line when it fails, then at most once a minute while it
    stays down, and once when it works again: a dead Redis must not flood the log.

    One of these follows one kind of operation, named by ``name`` in its lines: a Redis that
    answers reads but refuses writes (full, under ``noeviction``) is then down for writes and up
    for reads, instead of flapping between the two on every render."""

    QUIET_SECONDS = 60.0

    def __init__(self, name: str = "cache") -> None:
        self.name = name
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
        log.warning("%s unavailable, %s: %s", self.name, what, exc)

    def worked(self) -> None:
        if self._down_since is None:  # the common case, read without the lock
            return
        with self._lock:
            if self._down_since is None:  # another thread said it first
                return
            down_for, self._down_since = time.monotonic() - self._down_since, None
        log.warning("%s available again after %.1f s", self.name, down_for)
