"""Odd entries in the content directory each cost themselves a problem, never the scan."""

import os
import socket
import threading
from pathlib import Path

import pytest

from publishing.content_files import list_articles, name_fault
from publishing.listed_files import read_listed
from tests.support.bundles import image_bytes, write_bundle

GOOD = b"---\ntitle: Good\ndate: 2026-01-01\n---\nText.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.md").write_bytes(GOOD)
    return content


def reasons(folder: Path) -> dict[str, str]:
    files, problems = list_articles(folder)
    assert [f.name for f in files] == ["good.md"], "the good file is always listed"
    return {p.path.name: p.reason for p in problems}


def test_a_directory_named_like_an_article_is_named(folder):
    (folder / "notes.md").mkdir()
    assert reasons(folder) == {"notes.md": "is a directory, not a file"}


def test_a_fifo_is_named_and_never_opened(folder):
    os.mkfifo(folder / "pipe.md")
    # Opening a FIFO for reading blocks until a writer comes: the scan must return regardless.
    done = threading.Event()
    result: dict[str, str] = {}
    thread = threading.Thread(target=lambda: (result.update(reasons(folder)), done.set()))
    thread.start()
    assert done.wait(5), "listing stalled on the FIFO"
    assert result == {"pipe.md": "is a named pipe (FIFO), not a file"}


def test_a_socket_is_named(folder, tmp_path):
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "sock.md"))
        assert reasons(folder) == {"sock.md": "is a socket, not a file"}


def test_symlinks_dangling_looping_or_leading_out_are_named(folder, tmp_path):
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    (folder / "loop.md").symlink_to("loop.md")
    secret = tmp_path / "secret.md"
    secret.write_bytes(GOOD)
    (folder / "outside.md").symlink_to(secret)
    (folder / "relative-out.md").symlink_to("../secret.md")
    assert reasons(folder) == {
        "dangling.md": "is a symlink to a file that does not exist",
        "loop.md": "cannot be read: Too many levels of symbolic links",
        "outside.md": "is a symlink that leads outside the content directory",
        "relative-out.md": "is a symlink that leads outside the content directory",
    }


def test_a_symlink_inside_the_directory_is_followed(folder):
    (folder / "drafts").mkdir()
    (folder / "drafts" / "real.md").write_bytes(GOOD)
    (folder / "linked.md").symlink_to("drafts/real.md")
    files, problems = list_articles(folder)
    assert problems == []
    linked = next(f for f in files if f.name == "linked.md")
    assert linked.source == str((folder / "drafts" / "real.md").resolve())
    assert read_listed(linked.source, 1000)[1] == GOOD


def test_a_content_directory_reached_through_a_symlink_still_follows_its_own_links(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.md").write_bytes(GOOD)
    (real / "b.md").symlink_to("a.md")
    (tmp_path / "alias").symlink_to(real)
    files, problems = list_articles(tmp_path / "alias")
    assert [f.name for f in files] == ["a.md", "b.md"] and problems == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (os.fsdecode(b"caf\xe9.md"), "the file name is not valid UTF-8"),
        ("two\nlines.md", "the file name holds a control character (a newline or a tab, say)"),
        ("tab\there.md", "the file name holds a control character (a newline or a tab, say)"),
    ],
)
def test_names_that_are_not_utf8_or_hold_control_characters_are_named(folder, name, reason):
    (folder / name).write_bytes(GOOD)
    assert reasons(folder) == {name: reason}


def test_ordinary_names_in_any_script_are_fine():
    assert name_fault("новости-2026.md") is None
    assert name_fault("数据 分析.md") is None


def test_a_top_level_underscore_folder_of_a_bundle_is_refused_as_reserved(tmp_path):
    png = image_bytes(4, 3)
    files = {"_/photo-640-0123456789abcdef0123.webp": png, "sub/_/deep.png": png, "ok.png": png}
    write_bundle(tmp_path, "trip", "Text.\n", files)
    listed, problems = list_articles(tmp_path)
    assert [f.name for f in listed[0].bundle] == ["ok.png", "sub/_/deep.png"]
    assert [(str(p.path.relative_to(tmp_path)), p.reason) for p in problems] == [
        ("trip/_", "'_' is reserved for the files the site makes; nothing in it is served")
    ]


def test_a_bundle_carries_the_newest_mtime_of_the_folders_walked_and_of_no_other(tmp_path):
    files = {"index.png": b"png", "data/deep/spend.csv": b"a\n1\n", ".cache/x.png": b"png"}
    bundle = write_bundle(tmp_path, "trip", "Text.\n", files)
    for number, folder in enumerate([bundle, bundle / "data", bundle / "data" / "deep"]):
        os.utime(folder, ns=(0, (1_000 + number) * 10**9))
    os.utime(bundle / ".cache", ns=(0, 5_000 * 10**9))  # a dot folder is never walked
    assert list_articles(tmp_path)[0][0].folders_mtime_ns == 1_002 * 10**9
    os.utime(bundle / "data", ns=(0, 3_000 * 10**9))
    assert list_articles(tmp_path)[0][0].folders_mtime_ns == 3_000 * 10**9
