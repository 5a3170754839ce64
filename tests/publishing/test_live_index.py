"""Each process's search index: built on first use, level with the snapshot it is given, and
never the one a parent process built (an SQLite connection must not cross a fork)."""

import threading
import time
from datetime import UTC, datetime

import pytest

from publishing import live_index, search_index
from publishing.library import Library
from publishing.search_index import SearchIndex
from tests.support.site import ArticleWriter

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def hits(index, query: str) -> list[str]:
    return [hit.slug for hit in index.search(query, now=NOW).hits]


def finish(name: str) -> None:
    """Wait for this process's threads called ``name`` to end."""
    for thread in [t for t in threading.enumerate() if t.name == name]:
        thread.join(30)
        assert not thread.is_alive(), f"{name} never ended"


def hold_updates(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[list[str]]]:
    """Make every ``SearchIndex.update`` wait for the returned event; the list gets the slugs
    each was given, as it starts."""
    release, started, update = threading.Event(), [], SearchIndex.update

    def held_update(self, articles):
        articles = list(articles)
        started.append(sorted(article.slug for article in articles))
        assert release.wait(30), "the test never let the update finish"
        return update(self, articles)

    monkeypatch.setattr(SearchIndex, "update", held_update)
    return release, started


@pytest.fixture
def large_site(
    content_dir, monkeypatch: pytest.MonkeyPatch
) -> tuple[Library, live_index.LiveIndex]:
    """A library and its index, built, treated as a site too large to build in a request."""
    monkeypatch.setattr(live_index, "SYNC_BUILD_ARTICLES", 0)
    library = Library(content_dir, author="A", tz=UTC, rescan_interval=0, max_bytes=1 << 20)
    live = live_index.LiveIndex("en")
    live.current(library.snapshot())
    return library, live


def test_it_follows_the_snapshot_and_is_rebuilt_in_a_new_process(
    content_dir, write_article: ArticleWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library(content_dir, author="A", tz=UTC, rescan_interval=0, max_bytes=1 << 20)
    live = live_index.LiveIndex("en")
    first = live.current(library.snapshot())
    assert hits(first, "latency")[0] == "reading-the-latency-budget"
    assert live.current(library.snapshot()) is first  # same version: nothing to do

    write_article("otter", "title: Otter\ndate: 2026-05-01\n")
    assert hits(live.current(library.snapshot()), "otter") == ["otter"]

    monkeypatch.setattr(live_index.os, "getpid", lambda: -1)  # as in a forked worker
    child = live.current(library.snapshot())
    assert child is not first and hits(child, "otter") == ["otter"]


def test_if_ready_never_waits_for_a_first_build_and_starts_it_once(
    content_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_index, "SYNC_BUILD_ARTICLES", 0)  # as for a large site
    library = Library(content_dir, author="A", tz=UTC, rescan_interval=0, max_bytes=1 << 20)
    live = live_index.LiveIndex("en")
    snapshot = library.snapshot()
    release, builds = hold_updates(monkeypatch)
    answers = []
    pages = [threading.Thread(target=lambda: answers.append(live.if_ready(snapshot)))
             for _ in range(3)]  # fmt: skip
    for page in pages:  # one after the other, each while the build is held
        page.start()
        page.join(10)
        assert not page.is_alive(), "a page waited for the first build"
        for _ in range(1000):  # the first page's build under way before the next page
            if builds:
                break
            time.sleep(0.01)
    assert answers == [None, None, None] and len(builds) == 1
    assert sum(thread.name == "insights-index" for thread in threading.enumerate()) == 1
    release.set()
    finish("insights-index")
    ready = live.if_ready(snapshot)
    assert ready is not None and hits(ready, "latency")[0] == "reading-the-latency-budget"


def test_a_large_site_takes_in_changes_in_the_background_and_never_undoes_one(
    large_site, write_article: ArticleWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, live = large_site
    write_article("otter", "title: Otter\ndate: 2026-05-01\n")
    edited = library.snapshot()
    release, taken_in = hold_updates(monkeypatch)
    answers: list = []
    page = threading.Thread(target=lambda: answers.append(live.if_ready(edited)))
    page.start()
    page.join(10)
    assert not page.is_alive(), "a page waited for the index to take in a change"
    assert answers == [None]
    release.set()
    finish("insights-index")
    ready = live.if_ready(edited)
    assert ready is not None and hits(ready, "otter") == ["otter"]

    # A page that read the files a moment before a search took in a newer reading.
    release.clear()
    write_article("heron", "title: Heron\ndate: 2026-05-02\n")
    older = library.snapshot()
    write_article("wren", "title: Wren\ndate: 2026-05-03\n")
    newer = library.snapshot()
    search = threading.Thread(target=live.current, args=(newer,))
    search.start()
    for _ in range(1000):  # the search holds the index, taking in the newer reading
        if len(taken_in) == 2:
            break
        search.join(0.01)
    assert live.if_ready(older) is None
    release.set()
    search.join(30)
    finish("insights-index")
    assert len(taken_in) == 2  # the page's older reading was never taken in after it
    ready = live.if_ready(newer)
    assert ready is not None and hits(ready, "wren") == ["wren"]


def test_a_first_build_that_fails_is_tried_again_by_a_later_page(
    content_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_index, "SYNC_BUILD_ARTICLES", 0)
    library = Library(content_dir, author="A", tz=UTC, rescan_interval=0, max_bytes=1 << 20)
    live, snapshot = live_index.LiveIndex("en"), library.snapshot()
    update = SearchIndex.update
    monkeypatch.setattr(SearchIndex, "update", lambda self, articles: 1 / 0)
    assert live.if_ready(snapshot) is None
    finish("insights-index")
    monkeypatch.setattr(SearchIndex, "update", update)
    assert live.if_ready(snapshot) is None  # started again
    finish("insights-index")
    assert live.if_ready(snapshot) is not None


def test_a_small_site_gets_its_index_at_once(content_dir) -> None:
    library = Library(content_dir, author="A", tz=UTC, rescan_interval=0, max_bytes=1 << 20)
    ready = live_index.LiveIndex("en").if_ready(library.snapshot())
    assert ready is not None and hits(ready, "latency")[0] == "reading-the-latency-budget"


def test_the_word_pairs_of_a_large_site_are_written_after_it_answers(
    content_dir, write_article: ArticleWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "PAIRED_AT_ONCE", 0)  # as for a large site
    monkeypatch.setattr(search_index, "PAIR_BATCH", 1)
    monkeypatch.setattr(search_index, "RANKED_PAIR_AT", 5)  # "west wind" is in all five
    for n in range(5):
        write_article(f"wind-{n}", f"title: West wind {n}\ndate: 2026-05-0{n + 1}\n")
    library = Library(content_dir, author="A", tz=UTC, rescan_interval=0, max_bytes=1 << 20)
    release, paired = threading.Event(), []
    pair_up = SearchIndex.pair_up

    def held_pair_up(self, limit=1):
        assert release.wait(30), "the test never let the pairing go on"
        paired.append(1)
        return pair_up(self, limit)

    monkeypatch.setattr(SearchIndex, "pair_up", held_pair_up)
    live = live_index.LiveIndex("en")
    index = live.current(library.snapshot())
    waiting = index.unpaired
    assert waiting >= 5 and paired == []  # it answers before any pair is written
    assert hits(index, '"west wind"')[:5] == [f"wind-{n}" for n in range(4, -1, -1)]
    release.set()
    finish("insights-pairs")
    assert index.unpaired == 0 and len(paired) == waiting
    assert index.ranked_pairs > 0  # then the thread ranked the common pairs, before any search
    assert hits(index, '"west wind"')[:5] == [f"wind-{n}" for n in range(4, -1, -1)]
