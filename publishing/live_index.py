"""The search index of this process, kept level with the library's snapshot.

Each process builds its own ``SearchIndex`` on first use: gunicorn preloads the app in the master
and forks the workers, and an SQLite connection must never be used on both sides of a fork. An
index found in another process's memory (inherited through a fork) is abandoned, never touched.
Each use compares the snapshot's ``version`` with the one indexed (a string comparison) and takes
in what changed first, so search shows an edit in a worker as soon as that worker's pages do.
"""

import logging
import os
import threading
import time

from publishing.library import Snapshot
from publishing.search_index import SearchIndex

SYNC_BUILD_ARTICLES = 1000  # built in about 0.3 s, as a first page may wait

log = logging.getLogger(__name__)


class LiveIndex:
    def __init__(self, language: str) -> None:
        self.language = language
        self._lock = threading.Lock()  # held through every update, the first build's too
        self._starting = threading.Lock()  # around ``_building`` alone: never waits on a build
        self._pid: int | None = None
        self._index: SearchIndex | None = None
        self._version: str | None = None
        self._building: int | None = None  # the process whose ``_level`` thread runs
        self._pairing: int | None = None  # the process whose ``pair_up`` thread runs

    def if_ready(self, snapshot: Snapshot) -> SearchIndex | None:
        """The index level with ``snapshot``, or None while it is being brought level (which is
        started here, in the background, if it was not yet).

        Pages that only garnish themselves with the index (related articles) use this, so no
        visitor waits for a large site's index: its first build takes about 3.5 s at 10,000
        articles (0.3 s at 1,000), longer than a cold start may take, and a change of many
        articles at once (a new checkout) about as long; one edited article takes some 30 ms.
        A site of at most ``SYNC_BUILD_ARTICLES`` is brought level at once, so its pages are
        the same from the first.
        """
        if self._held() == snapshot.version or len(snapshot.articles) <= SYNC_BUILD_ARTICLES:
            return self.current(snapshot)
        with self._starting:
            if self._building != os.getpid():
                self._building = os.getpid()
                threading.Thread(
                    target=self._level,
                    args=(snapshot, self._held()),
                    name="insights-index",
                    daemon=True,
                ).start()
        return None

    def _level(self, snapshot: Snapshot, seen: str | None) -> None:
        try:
            with self._lock:
                # A search may have brought it level meanwhile, with a newer reading than
                # ``snapshot``: going back to this one would cost a new checkout twice more.
                if self._held() == seen:
                    self._take_in(snapshot)
        except Exception:  # pages go on without related articles; the next one tries again
            log.exception("the search index could not be brought level with the articles")
        finally:
            with self._starting:
                self._building = None

    def _held(self) -> str | None:
        """The version of the snapshot this process's index holds, None before its first."""
        return self._version if self._pid == os.getpid() else None

    def current(self, snapshot: Snapshot) -> SearchIndex:
        """This process's index, holding exactly ``snapshot``'s articles."""
        if self._held() == snapshot.version and self._index:
            return self._index
        # Threads wanting it meanwhile wait: a search must not answer from an older reading
        # than the page beside it. Taking in one edited article costs about 23 ms at 10,000.
        with self._lock:
            return self._take_in(snapshot)

    def _take_in(self, snapshot: Snapshot) -> SearchIndex:
        """The index brought level with ``snapshot``; called with ``_lock`` held."""
        if self._pid != os.getpid() or self._index is None:
            self._index, self._version, self._pid = SearchIndex(self.language), None, os.getpid()
        if self._version != snapshot.version:
            self._index.update(snapshot.articles)
            self._version = snapshot.version
            self._pair_later(self._index)
        return self._index

    def _pair_later(self, index: SearchIndex) -> None:
        """Have a thread write the word pairs an update of many articles left to ``pair_up``:
        the index answers meanwhile, finding phrases by positions."""
        with self._starting:
            if index.unpaired and self._pairing != os.getpid():
                self._pairing = os.getpid()
                threading.Thread(
                    target=self._pair_up, args=(index,), name="insights-pairs", daemon=True
                ).start()

    def _pair_up(self, index: SearchIndex) -> None:
        started, count = time.monotonic(), index.unpaired
        try:
            while True:
                with self._starting:  # seen empty and the thread let go of together
                    if not index.unpaired:
                        self._pairing = None
                        log.info(
                            "search: word pairs of %d articles written in %.1f s,"
                            " %d common ones ranked",
                            count,
                            time.monotonic() - started,
                            index.ranked_pairs,
                        )
                        return
                if not index.pair_up():
                    index.rank_common_pairs()
        except Exception:  # phrases go on being found by positions; the next update tries again
            log.exception("the search index's word pairs could not be written")
            with self._starting:
                self._pairing = None
