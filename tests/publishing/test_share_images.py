"""Share images: the cover when there is one, else a card drawn once and kept on disk, where
every worker and restart finds it."""

import gc
import logging
import os
import stat
import weakref
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publishing.reader import read_article
from publishing.share_images import ShareImages
from tests.support.bundles import image_bytes
from tests.support.site import ROOT

STATIC = ROOT / "static"


def article(tmp_path: Path, title: str, extra: str = ""):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: {title}\ndate: 2026-01-15\n{extra}---\nText.\n")
    return read_article(path, path.read_bytes(), author="Vin", tz=ZoneInfo("UTC"))


@pytest.fixture
def cards_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    folder.mkdir(mode=0o700)
    return folder


def test_a_card_is_drawn_once_then_read_from_disk(tmp_path: Path, cards_dir: Path) -> None:
    images = ShareImages(STATIC, cards_dir)
    first = images.for_article(article(tmp_path, "First"), "January 15, 2026", "Insights")
    assert first is not None and first.kind == "card"
    assert (first.width, first.height, first.content_type) == (1200, 630, "image/png")
    path = cards_dir / f"card-{first.name}.png"
    assert path.stat().st_size == first.size
    stamp = path.stat().st_mtime_ns
    # Another worker (another ShareImages) finds it on disk and does not draw it again.
    again = ShareImages(STATIC, cards_dir)
    assert again.for_article(article(tmp_path, "First"), "January 15, 2026", "Insights") == first
    assert path.stat().st_mtime_ns == stamp
    assert again.card_bytes(first.name) == path.read_bytes()
    assert [p.name for p in cards_dir.iterdir()] == [path.name]  # no temporary file left


def test_a_new_title_draws_a_new_card(tmp_path: Path, cards_dir: Path) -> None:
    images = ShareImages(STATIC, cards_dir)
    one = images.for_article(article(tmp_path, "First"), "January 15, 2026", "Insights")
    two = images.for_article(article(tmp_path, "Second"), "January 15, 2026", "Insights")
    assert one is not None and two is not None and one.name != two.name
    assert images.card_bytes(one.name) != images.card_bytes(two.name)


def test_the_cards_folder_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "made" / "cards"
    ShareImages(STATIC, folder).for_article(article(tmp_path, "T"), "d", "Insights")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_svg_cover_cannot_be_shared_and_the_card_stands_in(
    tmp_path: Path, cards_dir: Path
) -> None:
    images = ShareImages(STATIC, cards_dir)
    shared = images.for_article(
        article(tmp_path, "T", "image: /static/favicon.svg\n"), "d", "Insights"
    )
    assert shared is not None and shared.kind == "card"  # an SVG cover cannot be shared
    assert images.cover(article(tmp_path, "T", "image: /static/favicon.svg\n")) is None


def test_a_card_that_cannot_be_written_is_none_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING, "publishing.share_images"):
        shared = ShareImages(STATIC, blocker / "cards").for_article(
            article(tmp_path, "T"), "d", "Insights"
        )
    assert shared is None
    assert "share card 'T' not made" in caplog.text


def test_without_fonts_there_are_no_cards_and_it_is_logged(
    tmp_path: Path, cards_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "publishing.share_images"):
        images = ShareImages(tmp_path / "no-static", cards_dir)
    assert images.for_article(article(tmp_path, "T"), "d", "Insights") is None
    assert "share cards cannot be drawn" in caplog.text


@pytest.mark.parametrize("name", ["../../etc/passwd", "ABCDEF0123456789abcd", "0" * 19, ""])
def test_only_card_names_are_read(cards_dir: Path, name: str) -> None:
    assert ShareImages(STATIC, cards_dir).card_bytes(name) is None


def test_a_card_name_that_is_not_on_disk_reads_nothing(cards_dir: Path) -> None:
    assert not os.listdir(cards_dir)
    assert ShareImages(STATIC, cards_dir).card_bytes("0" * 20) is None


def test_a_static_cover_must_be_one_the_site_serves(tmp_path: Path, cards_dir: Path) -> None:
    static = tmp_path / "static"
    (static / "images").mkdir(parents=True)
    (static / "images/x.png").write_bytes(image_bytes(40, 20))
    covered = article(tmp_path, "T", "image: /static/images/x.png\n")
    served = ShareImages(static, cards_dir, frozenset({"images/x.png"}))
    assert served.cover(covered) is not None
    late = ShareImages(static, cards_dir, frozenset())  # added after the build was made
    assert late.cover(covered) is None
    assert late.found(covered).problems == (
        "cover image /static/images/x.png: added to static/ since the site started;"
        " restart it to serve the file",
    )


def test_looking_up_a_cover_keeps_no_version_of_the_articles_text(tmp_path: Path) -> None:
    images = ShareImages(STATIC, None)
    found = article(tmp_path, "T", "image: /static/favicon.svg\n")
    held = weakref.ref(found)
    images.cover(found)
    images.cover(found)
    assert images._covers.cache_info().hits == 1  # looked up once per version
    del found
    gc.collect()
    assert held() is None, "the cache holds the article, and its text, alive"
