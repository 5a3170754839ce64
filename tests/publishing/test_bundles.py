"""An article in its own folder: its files listed, judged one by one, and served by name only."""

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publishing.bundles import (
    OVER_BUDGET,
    Bundle,
    bundle_name,
    opened,
    render_inputs,
    served,
)
from publishing.content_files import list_articles
from publishing.images import ImageFault, measure
from publishing.library import Library
from tests.support.bundles import image_bytes, write_bundle

PNG = image_bytes(4, 3)


def library(folder: Path, quiet: float = 0) -> Library:
    return Library(
        folder,
        author="A",
        tz=ZoneInfo("UTC"),
        rescan_interval=0,
        max_bytes=10_000,
        quiet_seconds=quiet,
    )


def the_bundle(folder: Path, slug: str = "trip") -> Bundle:
    article = library(folder).snapshot().view(library(folder).now()).get(slug)
    assert article is not None and article.bundle is not None
    return article.bundle


def test_a_folder_with_an_index_is_an_article_named_after_the_folder(tmp_path):
    write_bundle(tmp_path, "trip", "Text ![a](photo.png)\n", {"photo.png": PNG})
    (tmp_path / "flat.md").write_text("---\ntitle: Flat\ndate: 2026-01-02\n---\nText.\n")
    (tmp_path / "images").mkdir()  # a folder without index.md is no article, and no problem
    (tmp_path / "images" / "logo.png").write_bytes(PNG)
    snapshot = library(tmp_path).snapshot()
    assert {a.slug for a in snapshot.articles} == {"trip", "flat"}
    assert snapshot.problems == ()
    trip = next(a for a in snapshot.articles if a.slug == "trip")
    assert [f.name for f in trip.bundle.files] == ["photo.png"]
    assert next(a for a in snapshot.articles if a.slug == "flat").bundle is None


def test_only_known_kinds_are_listed_in_subfolders_too_never_sources_or_leftovers(tmp_path):
    files = {
        "photo.PNG": PNG,
        "data/spend.csv": b"a,b\n1,2\n",
        "docs/paper.pdf": b"%PDF-1.4",
        "notes.md": b"# notes",
        "photo.png~": PNG,
        "#photo.png#": PNG,
        ".hidden.png": PNG,
        ".git/config.json": b"{}",
        "script.js": b"alert(1)",
        "page.html": b"<script>",
    }
    write_bundle(tmp_path, "trip", "Text.\n", files)
    assert [f.name for f in the_bundle(tmp_path).files] == [
        "data/spend.csv",
        "docs/paper.pdf",
        "photo.PNG",
    ]


def test_odd_entries_of_a_bundle_are_named_each_on_its_own(tmp_path):
    folder = write_bundle(tmp_path, "trip", "Text.\n", {"ok.png": PNG})
    outside = tmp_path.parent / "secret.png"
    outside.write_bytes(PNG)
    (tmp_path / "other.png").write_bytes(PNG)
    os.symlink(outside, folder / "outside.png")
    os.symlink(tmp_path / "other.png", folder / "sibling.png")  # in the content dir, not here
    os.symlink(folder / "ok.png", folder / "alias.png")
    os.symlink(folder / "gone.png", folder / "dangling.png")
    os.mkfifo(folder / "pipe.csv")
    files, problems = list_articles(tmp_path)
    assert [f.name for f in files] == ["trip/index.md"]
    assert [f.name for f in files[0].bundle] == ["alias.png", "ok.png"]
    assert {str(p.path.relative_to(tmp_path)): p.reason for p in problems} == {
        "trip/outside.png": "is a symlink that leads outside the article's folder",
        "trip/sibling.png": "is a symlink that leads outside the article's folder",
        "trip/dangling.png": "is a symlink to a file that does not exist",
        "trip/pipe.csv": "is a named pipe (FIFO), not a file",
    }


def test_a_bundle_folder_symlinked_from_outside_is_refused(tmp_path):
    elsewhere = write_bundle(tmp_path.parent / "elsewhere", "trip", "Text.\n", {})
    content = tmp_path / "content"
    content.mkdir()
    os.symlink(elsewhere, content / "trip")
    files, problems = list_articles(content)
    assert files == []
    assert [p.reason for p in problems] == ["is a symlink that leads outside the content directory"]


@pytest.mark.parametrize(
    "name",
    [
        "../flat.md",
        "..%2fflat.md",
        "sub/../../flat.md",
        "/etc/passwd",
        "index.md",
        "photo.png/",
        "./photo.png",
        "PHOTO.png",
        "photo.png\x00.png",
        ".hidden.png",
        "photo.png~",
    ],
)
def test_only_a_listed_name_is_served(tmp_path, name):
    write_bundle(tmp_path, "trip", "Text.\n", {"photo.png": PNG, ".hidden.png": PNG})
    (tmp_path / "flat.md").write_text("---\ntitle: Flat\ndate: 2026-01-02\n---\nText.\n")
    bundle = the_bundle(tmp_path)
    assert served(bundle, name) is None and opened(bundle, name) is None
    found = served(bundle, "photo.png")
    assert found is not None and found.data == PNG and found.content_type == "image/png"
    sent = opened(bundle, "photo.png")
    assert sent is not None and sent.content_type == "image/png" and sent.size == len(PNG)
    with sent.handle:
        assert sent.handle.read() == PNG


def test_a_file_swapped_for_a_symlink_since_the_scan_is_not_served(tmp_path):
    folder = write_bundle(tmp_path, "trip", "Text.\n", {"photo.png": PNG})
    bundle = the_bundle(tmp_path)
    secret = tmp_path.parent / "secret.png"
    secret.write_bytes(b"secret")
    (folder / "photo.png").unlink()
    os.symlink(secret, folder / "photo.png")
    assert served(bundle, "photo.png") is None
    assert opened(bundle, "photo.png") is None


def test_a_file_swapped_for_a_fifo_or_grown_too_large_since_the_scan_is_not_opened(
    tmp_path, monkeypatch
):
    folder = write_bundle(tmp_path, "trip", "Text.\n", {"photo.png": PNG, "paper.pdf": b"%PDF"})
    bundle = the_bundle(tmp_path)
    (folder / "photo.png").unlink()
    os.mkfifo(folder / "photo.png")  # opened without blocking, then refused
    assert opened(bundle, "photo.png") is None
    monkeypatch.setattr("publishing.bundles.MAX_SERVED_BYTES", 4)
    (folder / "paper.pdf").write_bytes(b"%PDF-1.4")
    assert opened(bundle, "paper.pdf") is None


def test_an_opened_files_version_follows_its_size_and_time_not_its_bytes(tmp_path):
    folder = write_bundle(tmp_path, "trip", "Text.\n", {"photo.png": PNG})
    bundle = the_bundle(tmp_path)
    path = folder / "photo.png"

    def version() -> str:
        sent = opened(bundle, "photo.png")
        assert sent is not None
        sent.handle.close()
        return sent.version

    first = version()
    listed = os.stat(path)
    path.write_bytes(bytes(len(PNG)))  # other bytes of the same size, at the same time
    os.utime(path, ns=(listed.st_atime_ns, listed.st_mtime_ns))
    assert version() == first
    os.utime(path, ns=(listed.st_atime_ns, listed.st_mtime_ns + 1))
    touched = version()
    path.write_bytes(PNG + b"more")
    os.utime(path, ns=(listed.st_atime_ns, listed.st_mtime_ns + 1))
    assert len({first, touched, version()}) == 3


def test_changing_adding_or_removing_a_bundle_file_changes_the_article_version(tmp_path):
    folder = write_bundle(tmp_path, "trip", "Text.\n", {"photo.png": PNG})
    content = library(tmp_path)
    versions = [content.snapshot().version]
    (folder / "chart.csv").write_bytes(b"a,b\n1,2\n")
    versions.append(content.snapshot().version)
    (folder / "photo.png").write_bytes(image_bytes(8, 8))
    versions.append(content.snapshot().version)
    (folder / "chart.csv").unlink()
    versions.append(content.snapshot().version)
    assert len(set(versions)) == 4
    assert [f.name for f in the_bundle(tmp_path).files] == ["photo.png"]


def test_a_bundle_file_caught_mid_write_waits_for_the_quiet_period(tmp_path):
    folder = write_bundle(tmp_path, "trip", "Text.\n", {"photo.png": PNG})
    old = os.stat(folder / "index.md").st_mtime - 60
    for path in (folder / "index.md", folder / "photo.png"):
        os.utime(path, (old, old))
    content = library(tmp_path, quiet=30)
    before = content.snapshot().version
    (folder / "photo.png").write_bytes(image_bytes(8, 8))  # written just now: not quiet yet
    assert content.snapshot().version == before
    os.utime(folder / "photo.png", (old, old + 1))
    assert content.snapshot().version != before


def test_bundle_names_in_links():
    assert bundle_name("photo.png") == "photo.png"
    assert bundle_name("./data/a%20b.csv") == "data/a b.csv"
    assert bundle_name("sub/../photo.png") == "photo.png"
    for elsewhere in ("/static/x.png", "../other/x.png", "https://x.org/a.png", "//x.org/a.png"):
        assert bundle_name(elsewhere) is None


def test_a_render_is_handed_images_and_data_within_their_limits(tmp_path, monkeypatch):
    write_bundle(tmp_path, "trip", "Text.\n", {"a.png": PNG, "b.csv": b"x\n1\n", "c.pdf": b"%"})
    monkeypatch.setattr("publishing.bundles.MAX_DATA_BYTES", 3)
    inputs = render_inputs(the_bundle(tmp_path))
    assert set(inputs) == {"a.png", "b.csv"}
    assert inputs["a.png"].data == PNG
    assert inputs["b.csv"].data is None and inputs["b.csv"].size == 4


def test_images_past_what_one_render_is_handed_are_named_for_that(tmp_path, monkeypatch):
    images = {
        name: image_bytes(40, 30, colour=c) for name, c in (("a.png", "red"), ("b.png", "blue"))
    }
    write_bundle(tmp_path, "trip", "![A](a.png)\n\n![B](b.png)\n", images)
    monkeypatch.setattr("publishing.bundles.MAX_RENDER_BYTES", len(images["a.png"]) + 10)
    inputs = render_inputs(the_bundle(tmp_path))
    assert inputs["a.png"].data == images["a.png"]
    assert inputs["b.png"].data is None and inputs["b.png"].withheld == OVER_BUDGET
    with pytest.raises(ImageFault) as fault:
        measure("b.png", inputs["b.png"])
    assert str(fault.value).startswith("not read: the article's folder holds more than the ")
