"""The collection of articles in the content directory, kept in memory and refreshed cheaply.

A scan lists the directory and compares each file's (mtime, size) with what was read before; only
new or changed files are read again. Scans run at most once per ``RESCAN_INTERVAL`` seconds, so
every worker sees an edit, addition or deletion within that time without a restart.

Files are often rewritten in place (truncate, then write in parts), so a scan can meet a file
half written. A changed file is read only once it has been quiet for ``quiet_seconds`` (its
mtime that far in the past); until then its previous version stays on the site, and a new file
stays off it. A file modified in the last ``SETTLE_SECONDS`` is read again on every scan, because
a second write within the file system's timestamp granularity can leave mtime and size unchanged;
while such a file does not parse, its last good version also stays rather than flickering to a
404.
"""

import bisect
import contextlib
import dataclasses
import gc
import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from publishing.article import Article, Problem
from publishing.bounded_yaml import clip
from publishing.bundles import Bundle
from publishing.content_files import Listed, list_articles
from publishing.listed_files import NotAFile, read_listed
from publishing.reader import ArticleError, read_article
from publishing.series import Series, all_series

log = logging.getLogger(__name__)


SETTLE_SECONDS = 2.0


class Clock(Protocol):
    """Where the library reads the time: the ``time`` module itself, or a clock a test moves."""

    def time(self) -> float:
        """POSIX time: compared with files' mtimes and articles' dates."""
        ...

    def monotonic(self) -> float:
        """Seconds from any start, never going back: when the next scan is due."""
        ...


@dataclass(frozen=True)
class _Entry:
    listed: tuple  # (mtime_ns, size, and for a folder article its files' fingerprint) when read
    settled: bool  # read long enough after its mtime that an unseen rewrite is impossible
    article: Article | None = None
    problem: Problem | None = None

    @property
    def fingerprint(self) -> str:
        return self.article.version if self.article else repr(self.listed)


@dataclass(frozen=True)
class Snapshot:
    """One consistent reading of the content directory."""

    articles: tuple[Article, ...]  # every readable article, newest first
    problems: tuple[Problem, ...]
    last_modified: datetime  # newest change seen: a file's mtime, or a folder's (a file removed
    # or renamed there, which leaves the other files' mtimes as they were)
    version: str  # digest of every file's name and content (size and mtime for a file not
    # read): the same in every worker

    # show_drafts -> (due count, view): rebuilt only when a scheduled article comes out
    _views: dict[bool, tuple[int, "View"]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _building: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def view(self, now: datetime, show_drafts: bool = False) -> "View":
        """What a visitor may see at ``now`` (every article with ``show_drafts``), indexed.

        Built once per content state and shared by every request in it: a page costs lookups,
        not a walk over the articles.
        """
        due = 0 if show_drafts else self.state(now.timestamp())[1]
        built = self._views.get(show_drafts)
        if built is None or built[0] != due:
            with self._building:  # the requests that arrive together after an edit build it once
                built = self._views.get(show_drafts)
                if built is None or built[0] != due:
                    shown = self.articles if show_drafts else self._public(now)
                    built = self._views[show_drafts] = (due, View(shown))
        return built[1]

    def _public(self, now: datetime) -> tuple[Article, ...]:
        return tuple(article for article in self.articles if article.is_public(now))

    @cached_property
    def _due_times(self) -> tuple[float, ...]:  # POSIX times: compared faster than datetimes
        return tuple(sorted(article.date.timestamp() for article in self.articles))

    def state(self, now: float) -> tuple[str, int]:
        """What a page depends on: the files' version, and how many articles have come due by
        ``now`` (a POSIX time; a scheduled article's date passing changes it). O(log n)."""
        return self.version, bisect.bisect_right(self._due_times, now)

    def changed(self, now: datetime) -> datetime:
        """When what visitors see last changed, for ``Last-Modified``: a file written or deleted,
        or a scheduled article coming out, which changes no file."""
        public = self.view(now).articles
        due = public[0].date if public else self.last_modified
        return max(self.last_modified, due).astimezone(UTC).replace(microsecond=0)

    def get(self, slug: str, now: datetime, show_drafts: bool = False) -> Article | None:
        return self.view(now, show_drafts).get(slug)


@dataclass(frozen=True)
class Tag:
    """A tag as visitors see it."""

    name: str  # the spelling most of its articles use; on a tie, the one the oldest used
    articles: tuple[Article, ...]  # newest first
    modified: datetime  # the newest change among its articles: when its pages last changed

    @property
    def count(self) -> int:
        return len(self.articles)


class View:
    """The visible articles of one content state, newest first, with the indexes pages need."""

    def __init__(self, articles: tuple[Article, ...]) -> None:
        self.articles = articles
        self.modified: datetime | None = max((a.modified for a in articles), default=None)
        self._position = {article.slug: n for n, article in enumerate(articles)}
        self.tags = _tag_index(articles)  # slug -> Tag, sorted by name

    def get(self, slug: str) -> Article | None:
        position = self._position.get(slug)
        return None if position is None else self.articles[position]

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(older, newer) than ``article``, which must be visible."""
        position = self._position[article.slug]
        older = self.articles[position + 1] if position + 1 < len(self.articles) else None
        newer = self.articles[position - 1] if position else None
        return older, newer

    @cached_property
    def series(self) -> dict[str, Series]:
        """Every series among the visible articles, by slug: built once per content state."""
        return all_series(self.articles)


def _tag_index(articles: tuple[Article, ...]) -> dict[str, Tag]:
    spellings: dict[str, dict[str, int]] = {}
    tagged: dict[str, list[Article]] = {}
    for article in reversed(articles):  # oldest first: max() keeps the first spelling on a tie
        for tag_slug, name in article.tag_slugs.items():
            if tag_slug not in tagged:
                tagged[tag_slug], spellings[tag_slug] = [], {}
            tagged[tag_slug].append(article)
            names = spellings[tag_slug]
            names[name] = names.get(name, 0) + 1
    tags = {
        tag_slug: Tag(
            max(spellings[tag_slug].items(), key=lambda spelling: spelling[1])[0],
            tuple(reversed(found)),
            max(article.modified for article in found),
        )
        for tag_slug, found in tagged.items()
    }
    return dict(sorted(tags.items(), key=lambda item: item[1].name.casefold()))


def _differs(scanned: Snapshot, current: Snapshot) -> bool:
    """Whether a scan found anything new. The same version means the same articles."""
    return (scanned.version, scanned.last_modified, scanned.problems) != (
        current.version,
        current.last_modified,
        current.problems,
    )


def _listed(mtime_ns: int, size: int, bundle: Bundle | None) -> tuple:
    """What a scan compares to know whether an article changed: its file and, for an article
    in its own folder, every file beside it."""
    return (mtime_ns, size) if bundle is None else (mtime_ns, size, bundle.fingerprint)


def _newest_mtime(file: Listed) -> float:
    """When the article's files were last written, in POSIX seconds: its file or one beside it."""
    beside = max((f.mtime_ns for f in file.bundle or ()), default=0) / 1e9
    return max(file.stat.st_mtime, beside)


def _changed_at(file: Listed) -> float:
    """When the article last changed on disk, in POSIX seconds: a file written, or one removed
    or renamed in its folders (a file moved in keeps its own, perhaps older, mtime). Not what
    the quiet period waits on: a removal or a rename leaves nothing half-written to wait for."""
    return max(_newest_mtime(file), file.folders_mtime_ns / 1e9)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading thousands of articles allocates millions of objects and almost no garbage: the
    cyclic collector walked the growing heap again and again (0.15 to 0.25 s of a 1.5 s first
    scan of 10,000 articles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Library:
    """The articles of one content directory; thread-safe, one per app."""

    def __init__(
        self,
        content_dir: Path,
        *,
        author: str,
        tz: ZoneInfo,
        rescan_interval: float,
        max_bytes: int,
        quiet_seconds: float = 0.0,
        clock: Clock = time,
    ) -> None:
        self.content_dir = content_dir
        self.clock = clock
        self.quiet_seconds = quiet_seconds
        self.max_bytes = max_bytes
        self.author = author
        self.tz = tz
        self.rescan_interval = rescan_interval
        self._entries: dict[str, _Entry] = {}
        self._logged: set[Problem] = set()
        self._lock = threading.Lock()
        self._next_scan = 0.0
        self._snapshot = Snapshot((), (), datetime.fromtimestamp(0, UTC), "")

    def state(self) -> tuple[str, int]:
        """The content's state now (see ``Snapshot.state``); as cheap as ``snapshot()``."""
        return self.snapshot().state(self.clock.time())

    def now(self) -> datetime:
        """The time by the library's clock: what decides which articles have come due."""
        return datetime.fromtimestamp(self.clock.time(), UTC)

    def fault(self) -> Problem | None:
        """Why the content directory cannot be read, as of the last scan; None when it can."""
        return next((p for p in self.snapshot().problems if p.path == self.content_dir), None)

    def snapshot(self, force: bool = False) -> Snapshot:
        """The current reading of the directory, rescanned when older than the interval.

        Under steady traffic a due rescan runs in a background thread while requests keep the
        current reading, so no visitor waits on a scan of thousands of files. When no scan has
        run for two intervals (a quiet site, an author saving and reloading), the request that
        finds the reading stale scans first, so the edit shows at once. An interval of 0 scans
        on every call. ``force`` scans now and reads every changed file, quiet or not: what the
        author's commands (``check``, ``export``) want, right after a save.
        """
        now = self.clock.monotonic()
        if not force and now < self._next_scan:
            return self._snapshot
        never = self._next_scan == 0.0
        stale = now >= self._next_scan + self.rescan_interval
        if not (force or never or stale or self.rescan_interval == 0):
            current = self._snapshot  # read first: the scan may land before this returns
            self._rescan_in_background()
            return current
        with self._lock:
            if force or self.clock.monotonic() >= self._next_scan:
                self._rescan(force)
        return self._snapshot

    def _rescan_in_background(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # a scan is running: its result will do

        def rescan() -> None:
            try:
                self._rescan(False)
            finally:
                self._lock.release()

        try:
            threading.Thread(target=rescan, name="insights-rescan", daemon=True).start()
        except BaseException:
            self._lock.release()
            raise

    def _rescan(self, force: bool) -> None:
        """Reads the directory again; the caller holds the lock."""
        with _collector_paused():
            scanned = self._scan(0.0 if force else self.quiet_seconds)
        if _differs(scanned, self._snapshot):  # else keep the views built for it
            self._snapshot = scanned
        self._next_scan = self.clock.monotonic() + self.rescan_interval

    def _scan(self, quiet_seconds: float) -> Snapshot:
        try:
            # Before the listing: a file removed after the stat then changes the version no later
            # than the time (a time moved before its version would not move with it).
            dir_mtime = self.content_dir.stat().st_mtime
            files, odd_entries = list_articles(self.content_dir)
        except OSError as exc:
            problem = Problem(
                self.content_dir, f"content directory cannot be read: {exc.strerror or exc}"
            )
            self._log_new([problem])
            return Snapshot((), (problem,), datetime.fromtimestamp(0, UTC), "")

        entries = {listed.name: self._entry(listed, quiet_seconds) for listed in files}
        self._entries = {name: entry for name, entry in entries.items() if entry is not None}

        articles: dict[str, Article] = {}
        problems: list[Problem] = list(odd_entries)
        for entry in self._entries.values():
            if entry.problem:
                problems.append(entry.problem)
            elif entry.article and entry.article.slug in articles:
                owner = articles[entry.article.slug].path.relative_to(self.content_dir)
                problems.append(
                    Problem(
                        entry.article.path,
                        f"slug '{entry.article.slug}' is already used by {owner}",
                    )
                )
            elif entry.article:
                articles[entry.article.slug] = entry.article
        problems += self._free_ids(articles)
        self._log_new(problems)

        newest = max([dir_mtime, *(_changed_at(listed) for listed in files)])
        digest = hashlib.blake2b(
            repr([(name, e.fingerprint) for name, e in self._entries.items()]).encode(),
            digest_size=12,
        ).hexdigest()
        ordered = sorted(articles.values(), key=lambda a: (a.date, a.slug), reverse=True)
        return Snapshot(
            tuple(ordered), tuple(problems), datetime.fromtimestamp(int(newest), UTC), digest
        )

    def _free_ids(self, articles: dict[str, Article]) -> list[Problem]:
        """Drops an author's feed ``id`` that an earlier article (by file name) already holds,
        in place, and says so: readers take two entries of one id for one (RFC 4287 4.1.1),
        and an article copied from another as a template brings its id along. The article
        goes on with the id the site makes for it."""
        problems, owners = [], {}
        for slug, article in articles.items():
            if article.id is None:
                continue
            if owner := owners.get(article.id):
                articles[slug] = dataclasses.replace(article, id=None)
                problems.append(
                    Problem(
                        article.path,
                        f"id '{article.id}' is already the id of {owner}: feed readers would "
                        "show one of the two; give this article an id of its own, or none",
                    )
                )
            else:
                owners[article.id] = article.path.relative_to(self.content_dir)
        return problems

    def _entry(self, file: Listed, quiet_seconds: float) -> _Entry | None:
        """What the file holds now; None while it is caught mid-write and has no good past."""
        stat = file.stat
        folder = (self.content_dir / file.name).parent
        bundle = None if file.bundle is None else Bundle(folder, file.bundle)
        listed = _listed(stat.st_mtime_ns, stat.st_size, bundle)
        known = self._entries.get(file.name)
        newest = _newest_mtime(file)
        if known and known.listed == listed and known.settled:
            return known
        if 0 <= self.clock.time() - newest < quiet_seconds:
            return known  # perhaps still being written: look again on the next scan
        path = self.content_dir / file.name
        if stat.st_size > self.max_bytes:
            reason = f"{stat.st_size} bytes, larger than the limit of {self.max_bytes} bytes"
            return _Entry(listed, True, problem=Problem(path, reason))
        try:
            before, data, after = read_listed(file.source, self.max_bytes)
        except FileNotFoundError:
            return None  # deleted since the listing
        except NotAFile as exc:
            return _Entry(listed, True, problem=Problem(path, str(exc)))
        except OSError as exc:
            reason = f"cannot be read: {exc.strerror or exc}"
            return _Entry(listed, True, problem=Problem(path, reason))
        now = _listed(after.st_mtime_ns, after.st_size, bundle)
        settled = self.clock.time() - max(after.st_mtime, newest) > SETTLE_SECONDS
        if now[:2] != (before.st_mtime_ns, before.st_size) or len(data) != after.st_size:
            return known  # written to while being read: look again on the next scan
        try:
            article = read_article(path, data, author=self.author, tz=self.tz, bundle=bundle)
        except Exception as exc:  # whatever one file holds costs that file, never the site
            if not isinstance(exc, ArticleError):
                log.debug("reading %s failed", path, exc_info=True)
                exc = ArticleError(f"cannot be read ({type(exc).__name__}: {clip(str(exc), 200)})")
            if not settled and known and known.article:
                # Most likely caught between a truncate and a write: keep the last good version.
                return _Entry(known.listed, False, article=known.article)
            return _Entry(now, settled, problem=Problem(path, str(exc)))
        return _Entry(now, settled, article=article)

    def _log_new(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem not in self._logged:
                log.warning("skipped %s", problem)
        self._logged = set(problems)
