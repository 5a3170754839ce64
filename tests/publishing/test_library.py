import logging
import os
import shutil
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publishing import library as library_module
from publishing.article import Article, Problem
from publishing.content_files import Listed
from publishing.library import Clock, Library, View
from tests.support.bundles import write_bundle
from tests.support.clock import FakeClock

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def library(
    folder: Path,
    interval: float = 0,
    max_bytes: int = 10_000,
    quiet: float = 0,
    clock: Clock = time,
) -> Library:
    return Library(
        folder,
        author="A",
        tz=ZoneInfo("UTC"),
        rescan_interval=interval,
        max_bytes=max_bytes,
        quiet_seconds=quiet,
        clock=clock,
    )


def write(folder: Path, name: str, title: str, date: str = "2026-01-01", extra: str = "") -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\ntitle: {title}\ndate: {date}\n{extra}---\nBody of {title}.\n")
    return path


def bump(path: Path) -> None:
    """Give an edited file a new mtime even on file systems with coarse timestamps."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_articles_are_listed_newest_first(folder):
    write(folder, "old", "Old", "2025-01-01")
    write(folder, "new", "New", "2026-02-01")
    write(folder, "mid", "Mid", "2025-06-01")
    assert [a.slug for a in library(folder).snapshot().view(NOW).articles] == ["new", "mid", "old"]


def test_an_edit_an_addition_and_a_deletion_show_on_the_next_snapshot(folder):
    lib = library(folder)
    path = write(folder, "a", "First")
    assert lib.snapshot().get("a", NOW).title == "First"
    write(folder, "a", "Second")
    bump(path)
    write(folder, "b", "Added")
    snapshot = lib.snapshot()
    assert snapshot.get("a", NOW).title == "Second"
    assert snapshot.get("b", NOW).title == "Added"
    path.unlink()
    assert lib.snapshot().get("a", NOW) is None


def age(path: Path, seconds: float = 60) -> None:
    """Make the file look last written ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_settled_unchanged_files_are_not_read_again(folder):
    age(write(folder, "a", "A"))
    lib = library(folder)
    first = lib.snapshot().articles[0]
    assert lib.snapshot(force=True).articles[0] is first


def test_a_fresh_file_is_read_again_even_when_mtime_and_size_stay_the_same(folder):
    path = write(folder, "a", "Aaa")
    stamp = path.stat().st_mtime_ns
    lib = library(folder)
    assert lib.snapshot().get("a", NOW).title == "Aaa"
    write(folder, "a", "Bbb")  # same size, and the same mtime as a coarse clock would give
    os.utime(path, ns=(stamp, stamp))
    assert lib.snapshot().get("a", NOW).title == "Bbb"


def test_a_file_caught_mid_write_keeps_its_last_good_version_until_it_settles(folder, caplog):
    path = write(folder, "a", "Good")
    lib = library(folder)
    assert lib.snapshot().get("a", NOW).title == "Good"
    path.write_text("---\ntitle: Go")  # truncated, the rest not written yet
    with caplog.at_level(logging.WARNING, logger="publishing.library"):
        snapshot = lib.snapshot()
        assert snapshot.get("a", NOW).title == "Good"
        assert snapshot.problems == ()
        age(path)  # nobody finished the write: now it is a real problem
        snapshot = lib.snapshot()
    assert snapshot.get("a", NOW) is None
    assert "front matter is not closed" in snapshot.problems[0].reason
    assert len(caplog.records) == 1


def test_scans_wait_for_the_rescan_interval_unless_forced(folder):
    lib = library(folder, interval=3600)
    assert lib.snapshot().articles == ()
    write(folder, "a", "A")
    assert lib.snapshot().articles == ()
    assert len(lib.snapshot(force=True).articles) == 1


def test_drafts_and_scheduled_articles_are_hidden_until_shown_or_due(folder):
    write(folder, "draft", "Draft", extra="draft: true\n")
    write(folder, "later", "Later", "2026-07-01")
    snapshot = library(folder).snapshot()
    assert snapshot.view(NOW).articles == ()
    assert snapshot.get("later", NOW) is None
    assert snapshot.get("later", NOW + timedelta(days=31)).title == "Later"
    assert {a.slug for a in snapshot.view(NOW, show_drafts=True).articles} == {"draft", "later"}


def test_bad_files_are_skipped_and_logged_once_each_with_their_name(folder, caplog):
    write(folder, "good", "Good")
    (folder / "broken.md").write_text("---\ntitle: [\n---\nx")
    (folder / "binary.md").write_bytes(b"---\ntitle: \xff\n---\n")
    lib = library(folder)
    with caplog.at_level(logging.WARNING, logger="publishing.library"):
        snapshot = lib.snapshot()
        lib.snapshot()
    assert [a.slug for a in snapshot.articles] == ["good"]
    assert sorted(p.path.name for p in snapshot.problems) == ["binary.md", "broken.md"]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert any("broken.md: broken YAML front matter" in m for m in messages)
    assert any("binary.md: not valid UTF-8" in m for m in messages)


def test_a_repeated_slug_keeps_the_first_file_by_name_and_reports_the_other(folder):
    write(folder, "a-first", "First", extra="slug: same\n")
    write(folder, "b-second", "Second", extra="slug: same\n")
    snapshot = library(folder).snapshot()
    assert snapshot.get("same", NOW).title == "First"
    (problem,) = snapshot.problems
    assert problem.path.name == "b-second.md"
    assert problem.reason == "slug 'same' is already used by a-first.md"


def test_a_repeated_feed_id_stays_with_the_first_file_and_the_other_gets_the_sites(folder):
    fixed = 'id: "tag:old.example.org,2020-01-01:post"\n'
    write(folder, "a-first", "First", extra=fixed)
    write(folder, "b-copy", "Copy", extra=fixed)
    write(folder, "c-own", "Own", extra='id: "tag:old.example.org,2020-01-01:own"\n')
    snapshot = library(folder).snapshot()
    ids = {article.slug: article.id for article in snapshot.articles}
    assert ids == {
        "a-first": "tag:old.example.org,2020-01-01:post",
        "b-copy": None,
        "c-own": "tag:old.example.org,2020-01-01:own",
    }
    (problem,) = snapshot.problems
    assert problem.path.name == "b-copy.md"
    assert problem.reason.startswith(
        "id 'tag:old.example.org,2020-01-01:post' is already the id of a-first.md"
    )


def test_hidden_and_non_markdown_files_are_ignored(folder):
    write(folder, "a", "A")
    (folder / ".a.md.swp").write_text("junk")
    (folder / ".#a.md").write_text("junk")
    (folder / "notes.txt").write_text("junk")
    snapshot = library(folder).snapshot()
    assert len(snapshot.articles) == 1 and snapshot.problems == ()


def test_a_missing_content_directory_is_a_problem_not_a_crash(tmp_path):
    snapshot = library(tmp_path / "nowhere").snapshot()
    assert snapshot.articles == ()
    assert "content directory cannot be read" in snapshot.problems[0].reason


def test_neighbours_and_tags(folder):
    write(folder, "one", "One", "2026-01-01", "tags: [AI, Data]\n")
    write(folder, "two", "Two", "2026-02-01", "tags: [ai]\n")
    write(folder, "three", "Three", "2026-03-01")
    view = library(folder).snapshot().view(NOW)
    older, newer = view.neighbours(view.get("two"))
    assert (older.slug, newer.slug) == ("one", "three")
    assert {slug: (tag.name, tag.count) for slug, tag in view.tags.items()} == {
        "ai": ("AI", 2),
        "data": ("Data", 1),
    }
    assert [a.slug for a in view.tags["ai"].articles] == ["two", "one"]


def test_the_version_follows_file_names_and_contents_not_timestamps(folder):
    path = write(folder, "a", "A")
    first = library(folder).snapshot().version
    assert library(folder).snapshot().version == first
    bump(path)
    assert library(folder).snapshot().version == first
    write(folder, "a", "B")
    assert library(folder).snapshot().version != first
    path.rename(folder / "b.md")
    assert library(folder).snapshot().version not in (first, "")


def test_last_modified_moves_forward_when_a_file_is_deleted(folder):
    write(folder, "a", "A")
    path = write(folder, "b", "B")
    lib = library(folder)
    before = lib.snapshot().last_modified
    old = before.timestamp() - 100
    for item in folder.iterdir():
        os.utime(item, (old, old))
    os.utime(folder, (old, old))
    assert lib.snapshot().last_modified < before
    path.unlink()  # the directory's mtime becomes now
    assert lib.snapshot().last_modified >= before


def age_tree(top: Path, seconds: float) -> None:
    """Make ``top``, its folders and files look last changed ``seconds`` ago, so a change made
    now is newer by far more than any file system's timestamp granularity."""
    then = time.time() - seconds
    for parent, folders, files in os.walk(top):
        for name in (*folders, *files):
            os.utime(Path(parent) / name, (then, then))
    os.utime(top, (then, then))


def replace_with_older(path: Path, data: bytes, elsewhere: Path) -> None:
    """``touch -d yesterday new; mv new path``, ``new`` written ``elsewhere`` (on the same file
    system): other bytes arrive with a mtime older still, and only the rename touches the
    folder."""
    new = elsewhere / "new"
    new.write_bytes(data)
    yesterday = time.time() - 2 * 86400
    os.utime(new, (yesterday, yesterday))
    new.replace(path)


BUNDLE_CHANGES = {  # (the article's folder, a folder outside the content) -> None
    "a file removed from a subfolder": lambda b, _: (b / "img" / "cover.png").unlink(),
    "a file removed beside index.md": lambda b, _: (b / "photo.png").unlink(),
    "a subfolder removed": lambda b, _: shutil.rmtree(b / "data"),
    "a data file replaced by an older one": lambda b, elsewhere: replace_with_older(
        b / "data" / "spend.csv", b"month,k\nMay,2\n", elsewhere
    ),
    "index.md replaced by an older one": lambda b, elsewhere: replace_with_older(
        b / "index.md", b"---\ntitle: Other\ndate: 2026-01-01\n---\nOther text.\n", elsewhere
    ),
}


@pytest.mark.parametrize("change", BUNDLE_CHANGES.values(), ids=BUNDLE_CHANGES.keys())
def test_every_change_of_an_articles_folder_moves_last_modified(folder, change, tmp_path_factory):
    """The newest mtime of the files left does not move when one is removed or one older comes
    in: a reader asking If-Modified-Since would be told nothing changed."""
    files = {"photo.png": b"png", "img/cover.png": b"png", "data/spend.csv": b"month,k\nMay,1\n"}
    bundle = write_bundle(folder, "gpu-spend", "Text.\n", files)
    age_tree(folder, 86400)
    lib = library(folder)
    before = lib.snapshot()
    change(bundle, tmp_path_factory.mktemp("elsewhere"))
    after = lib.snapshot()
    assert after.version != before.version
    assert after.last_modified > before.last_modified
    assert after.changed(NOW) > before.changed(NOW)
    shutil.rmtree(bundle)  # what held the time is gone: the content folder's mtime holds it
    gone = lib.snapshot()
    assert gone.articles == () and gone.last_modified >= after.last_modified


def test_last_modified_never_moves_before_the_version(folder, monkeypatch):
    """A file deleted while the scan lists the folder: that scan still holds it, so its time
    must not hold the deletion either, or the next scan changes the version and not the time."""
    write(folder, "stays", "Stays")
    gone = write(folder, "gone", "Gone")
    age_tree(folder, 100)
    lib = library(folder)
    first = lib.snapshot()
    real_list = library_module.list_articles

    def listing_then_deletion(directory: Path) -> tuple[list[Listed], list[Problem]]:
        listed = real_list(directory)
        gone.unlink()
        return listed

    monkeypatch.setattr(library_module, "list_articles", listing_then_deletion)
    during = lib.snapshot()
    monkeypatch.undo()
    after = lib.snapshot()
    assert during.version == first.version  # gone.md was settled: not read again
    assert after.version != during.version
    assert after.last_modified > during.last_modified


def test_a_file_over_the_size_limit_is_skipped_without_being_read(folder):
    write(folder, "small", "Small")
    big = write(folder, "big", "Big", extra=f"summary: {'x' * 20_000}\n")
    snapshot = library(folder).snapshot()
    assert [a.slug for a in snapshot.articles] == ["small"]
    (problem,) = snapshot.problems
    assert problem.path == big
    size = big.stat().st_size
    assert problem.reason == f"{size} bytes, larger than the limit of 10000 bytes"


def test_a_scheduled_article_coming_out_counts_as_a_change(folder):
    a_year_ago = 86400 * 365
    age(write(folder, "old", "Old", "2026-01-01"), a_year_ago)
    age(write(folder, "later", "Later", "2026-07-01T09:30:15.5+00:00"), a_year_ago)
    age(folder, a_year_ago)
    snapshot = library(folder).snapshot()
    assert snapshot.last_modified < datetime(2026, 1, 1, tzinfo=UTC)  # the files are older
    assert snapshot.changed(NOW) == datetime(2026, 1, 1, tzinfo=UTC)
    after = datetime(2026, 7, 2, tzinfo=UTC)
    assert snapshot.changed(after) == datetime(2026, 7, 1, 9, 30, 15, tzinfo=UTC)


def test_a_file_is_read_only_once_it_has_been_quiet(folder):
    lib = library(folder, quiet=30)
    age(write(folder, "a", "Saved"))
    assert lib.snapshot().get("a", NOW).title == "Saved"
    write(folder, "a", "Half-sav")  # being written right now
    write(folder, "b", "New, half")
    snapshot = lib.snapshot()
    assert snapshot.get("a", NOW).title == "Saved"  # the previous version stays up
    assert snapshot.get("b", NOW) is None  # a new file waits
    age(folder / "a.md", 31)
    age(folder / "b.md", 31)
    snapshot = lib.snapshot()
    assert snapshot.get("a", NOW).title == "Half-sav"
    assert snapshot.get("b", NOW).title == "New, half"


def test_a_forced_scan_reads_files_however_fresh(folder):
    lib = library(folder, quiet=30)
    write(folder, "a", "Just saved")
    assert lib.snapshot().get("a", NOW) is None
    assert lib.snapshot(force=True).get("a", NOW).title == "Just saved"


def test_a_file_deleted_between_listing_and_stat_costs_only_that_file(folder, monkeypatch):
    write(folder, "stays", "Stays")
    gone = write(folder, "gone", "Gone")
    real_scandir = os.scandir

    class Vanishing:  # os.scandir as it is when another process deletes gone.md mid-scan
        def __init__(self, path):
            self.listing = real_scandir(path)

        def __enter__(self):
            entries = list(self.listing)
            gone.unlink()
            return entries

        def __exit__(self, *exc):
            self.listing.close()

    monkeypatch.setattr(os, "scandir", Vanishing)
    snapshot = library(folder).snapshot()
    assert [a.slug for a in snapshot.articles] == ["stays"]
    assert snapshot.problems == ()


def test_odd_entries_cost_themselves_and_never_empty_the_site(folder, tmp_path_factory, caplog):
    write(folder, "stays", "Stays")
    (folder / "loop.md").symlink_to("loop.md")
    (folder / "dir.md").mkdir()
    os.mkfifo(folder / "pipe.md")
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    outside.write_text("---\ntitle: Secret\ndate: 2026-01-01\n---\nSecret.\n")
    (folder / "secret.md").symlink_to(outside)
    (folder / "forged\n[ERROR] fake line.md").write_text("x")
    with caplog.at_level(logging.WARNING, logger="publishing.library"):
        lib = library(folder)
        snapshot = lib.snapshot()
    assert [a.slug for a in snapshot.articles] == ["stays"]
    assert lib.fault() is None, "an odd entry is not the content directory failing"
    assert sorted(p.path.name.split("\n")[0] for p in snapshot.problems) == [
        "dir.md",
        "forged",
        "loop.md",
        "pipe.md",
        "secret.md",
    ]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "\n[ERROR] fake line" not in logged, "a newline in a file name forges no log line"


def test_a_file_the_server_cannot_read_costs_only_that_file(folder, monkeypatch):
    # Tests run as root, which reads any file: make the operating system refuse one.
    write(folder, "stays", "Stays")
    locked = write(folder, "locked", "Locked")
    real_open = os.open

    def refusing_open(path, flags, *args):
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    snapshot = library(folder).snapshot()
    assert [a.slug for a in snapshot.articles] == ["stays"]
    assert [str(p) for p in snapshot.problems] == [f"{locked}: cannot be read: Permission denied"]


def test_any_fault_while_reading_one_file_becomes_that_files_problem(folder, monkeypatch):
    write(folder, "stays", "Stays")
    write(folder, "odd", "Odd")
    from publishing import library as library_module

    real_read = library_module.read_article

    def read(path, data, **kwargs):
        if path.name == "odd.md":
            raise RecursionError("maximum recursion depth exceeded")
        return real_read(path, data, **kwargs)

    monkeypatch.setattr(library_module, "read_article", read)
    snapshot = library(folder).snapshot()
    assert [a.slug for a in snapshot.articles] == ["stays"]
    assert [p.reason for p in snapshot.problems] == [
        "cannot be read (RecursionError: maximum recursion depth exceeded)"
    ]


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [
        ("date: 2026-02-30\n", "'date': 2026-02-30 is not a real date"),
        ("date: 2026-13-01\n", "'date': 2026-13-01 is not a real date"),
        ("date: 2026-01-01 25:00:00\n", "'date': 2026-01-01 25:00:00 is not a real date"),
        ("date: 9999-12-31T23:00:00-05:00\n", "is out of range"),
        ("date: 2026-01-01\nsize: " + "9" * 5000 + "\n", "a value cannot be read (ValueError"),
    ],
)
def test_impossible_values_cost_their_file_with_a_message(folder, front_matter, reason):
    write(folder, "stays", "Stays")
    (folder / "bad.md").write_text(f"---\ntitle: Bad\n{front_matter}---\nText.\n")
    snapshot = library(folder).snapshot()
    assert [a.slug for a in snapshot.articles] == ["stays"]
    assert len(snapshot.problems) == 1 and reason in snapshot.problems[0].reason


@pytest.fixture
def builds(monkeypatch) -> list[View]:
    """Every View the library builds, in order."""
    built: list[View] = []

    class Counted(View):
        def __init__(self, articles) -> None:
            super().__init__(articles)
            built.append(self)

    monkeypatch.setattr(library_module, "View", Counted)
    return built


def test_a_view_is_built_once_per_content_state(folder, builds):
    write(folder, "old", "Old", "2026-01-01")
    write(folder, "later", "Later", "2026-07-01")
    lib = library(folder)
    first = lib.snapshot().view(NOW)
    assert lib.snapshot().view(NOW + timedelta(days=1)) is first  # nothing came due
    assert [a.slug for a in first.articles] == ["old"]
    assert len(builds) == 1
    preview = lib.snapshot().view(NOW, show_drafts=True)
    assert [a.slug for a in preview.articles] == ["later", "old"]
    assert lib.snapshot().view(NOW, show_drafts=True) is preview
    due = lib.snapshot().view(NOW + timedelta(days=31))  # "later" came out: a new state
    assert [a.slug for a in due.articles] == ["later", "old"]
    assert len(builds) == 3
    write(folder, "old", "Old, edited", "2026-01-01")
    assert lib.snapshot().view(NOW).get("old").title == "Old, edited"
    assert len(builds) == 4


def test_a_rescan_that_finds_nothing_new_keeps_the_snapshot_and_its_views(folder, builds):
    age(write(folder, "a", "A"))
    lib = library(folder)
    snapshot = lib.snapshot()
    snapshot.view(NOW)
    assert lib.snapshot(force=True) is snapshot
    lib.snapshot().view(NOW)
    assert len(builds) == 1
    write(folder, "b", "B")
    assert lib.snapshot() is not snapshot


def test_lookups_in_a_built_view_walk_no_article(folder, monkeypatch):
    for n in range(5):
        write(folder, f"a{n}", f"A{n}", f"2026-01-0{n + 1}", "tags: [AI]\n")
    snapshot = library(folder).snapshot()
    view = snapshot.view(NOW)
    calls = []
    real = Article.is_public
    monkeypatch.setattr(Article, "is_public", lambda self, now: calls.append(1) or real(self, now))
    assert snapshot.view(NOW) is view
    assert snapshot.get("nope", NOW) is None and view.tags.get("nope") is None
    assert snapshot.get("a2", NOW).title == "A2"
    assert snapshot.changed(NOW) >= datetime(2026, 1, 5, tzinfo=UTC)
    assert calls == []


def test_each_tag_knows_its_articles_its_name_and_its_last_change(folder):
    write(folder, "one", "One", "2026-01-01", "tags: [data, AI]\n")
    write(folder, "two", "Two", "2026-02-01", "tags: [Data]\nupdated: 2026-05-01\n")
    write(folder, "three", "Three", "2026-03-01", "tags: [ai]\n")
    write(folder, "draft", "Draft", "2026-04-01", "tags: [AI, Zen]\ndraft: true\n")
    tags = library(folder).snapshot().view(NOW).tags
    assert list(tags) == ["ai", "data"]  # sorted by name; the draft's own tag is not there
    assert tags["data"].name == "data"  # a tie: the oldest article's spelling
    assert [a.slug for a in tags["ai"].articles] == ["three", "one"]
    assert tags["ai"].modified == datetime(2026, 3, 1, tzinfo=UTC)
    assert tags["data"].modified == datetime(2026, 5, 1, tzinfo=UTC)  # its update, not its date


def background_rescans() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "insights-rescan"]


def test_under_steady_traffic_a_due_rescan_runs_in_the_background(folder):
    clock = FakeClock()
    write(folder, "one", "One")
    lib = library(folder, interval=1.0, clock=clock)
    first = lib.snapshot()
    write(folder, "two", "Two")
    clock.advance(0.9)
    assert lib.snapshot() is first and background_rescans() == [], "not due yet"
    clock.advance(0.2)  # due (after 1 s), not stale (after 2 s)
    assert lib.snapshot() is first, "the request is answered with the reading it had"
    for thread in background_rescans():
        thread.join(10)
    assert [a.slug for a in lib.snapshot().articles] == ["two", "one"]


def test_after_a_quiet_spell_the_request_that_finds_the_reading_stale_scans_first(folder):
    clock = FakeClock()
    write(folder, "one", "One")
    lib = library(folder, interval=0.2, clock=clock)
    lib.snapshot()
    write(folder, "two", "Two")
    clock.advance(0.5)  # two intervals without a scan: stale
    assert len(lib.snapshot().articles) == 2
    assert background_rescans() == []


def test_a_quiet_file_is_read_once_the_clock_has_moved_past_the_quiet_period(folder):
    clock = FakeClock()
    lib = library(folder, quiet=5, clock=clock)
    path = write(folder, "a", "Saved")
    os.utime(path, (clock.now, clock.now))
    assert lib.snapshot().get("a", NOW) is None
    clock.advance(4.9)
    assert lib.snapshot().get("a", NOW) is None
    clock.advance(0.2)
    assert lib.snapshot().get("a", NOW).title == "Saved"


def test_a_file_is_read_again_on_every_scan_until_it_settles(folder, monkeypatch):
    clock = FakeClock()
    path = write(folder, "a", "A")
    os.utime(path, (clock.now, clock.now))
    lib = library(folder, clock=clock)
    reads = []
    real_read = library_module.read_article
    monkeypatch.setattr(
        library_module, "read_article", lambda *a, **k: reads.append(1) or real_read(*a, **k)
    )
    lib.snapshot()
    lib.snapshot()
    assert len(reads) == 2, "a write within the timestamp granularity could hide"
    clock.advance(library_module.SETTLE_SECONDS + 0.1)
    lib.snapshot()  # read once more, now settled
    lib.snapshot()
    lib.snapshot()
    assert len(reads) == 3
