"""Front matter ``image:``: a file of the article's folder or under ``static/``, measured, and
every way it can be unusable named without costing the article."""

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publishing.article import Article
from publishing.bundles import Bundle
from publishing.content_files import list_articles
from publishing.covers import find_cover
from publishing.reader import read_article
from tests.support.bundles import image_bytes, write_bundle

UTC = ZoneInfo("UTC")


def bundled(content: Path, image: str, files: dict[str, bytes], alt: str | None = "A cover"):
    alt_line = f"image_alt: {alt}\n" if alt else ""
    folder = write_bundle(content, "story", "Text.\n", files, front=f"image: '{image}'\n{alt_line}")
    index = folder / "index.md"
    listed = {entry.name: entry for entry in list_articles(content)[0]}["story/index.md"]
    bundle = Bundle(folder, listed.bundle or ())
    return read_article(index, index.read_bytes(), author="A", tz=UTC, bundle=bundle)


def flat(content: Path, image: str) -> Article:
    path = content / "flat.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: Flat\ndate: 2026-01-01\nimage: '{image}'\nimage_alt: X\n---\nT\n")
    return read_article(path, path.read_bytes(), author="A", tz=UTC)


@pytest.fixture
def static(tmp_path: Path) -> Path:
    folder = tmp_path / "static"
    (folder / "images").mkdir(parents=True)
    (folder / "images/wide.png").write_bytes(image_bytes(1200, 600))
    (folder / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return folder


def test_a_file_of_the_folder_is_measured(tmp_path: Path, static: Path) -> None:
    data = image_bytes(1600, 900, "JPEG")
    found = find_cover(bundled(tmp_path, "cover.jpg", {"cover.jpg": data}), static)
    assert found.problems == found.warnings == ()
    cover = found.cover
    assert cover is not None
    assert (cover.kind, cover.name, cover.width, cover.height) == ("bundle", "cover.jpg", 1600, 900)
    assert (cover.content_type, cover.size, cover.alt) == ("image/jpeg", len(data), "A cover")
    assert cover.small is not None and re.fullmatch(r"_/cover-640-[0-9a-f]{20}\.webp", cover.small)


def test_a_file_under_static_is_measured_for_a_flat_article(tmp_path: Path, static: Path) -> None:
    found = find_cover(flat(tmp_path, "/static/images/wide.png"), static)
    assert found.cover is not None and found.problems == ()
    assert (found.cover.kind, found.cover.name) == ("static", "images/wide.png")
    assert found.cover.small is None  # static files get no variants
    assert (found.cover.width, found.cover.height, found.cover.content_type) == (
        1200,
        600,
        "image/png",
    )


def test_an_article_without_image_has_no_cover_and_no_problem(tmp_path: Path, static) -> None:
    path = tmp_path / "plain.md"
    path.write_text("---\ntitle: Plain\ndate: 2026-01-01\n---\nT\n")
    found = find_cover(read_article(path, path.read_bytes(), author="A", tz=UTC), static)
    assert (found.cover, found.problems, found.warnings) == (None, (), ())


def test_a_cover_without_alt_text_is_used_with_a_warning(tmp_path: Path, static: Path) -> None:
    article = bundled(tmp_path, "c.png", {"c.png": image_bytes(10, 10)}, alt=None)
    found = find_cover(article, static)
    assert found.cover is not None and found.cover.alt == ""
    assert found.warnings == ("cover image c.png: no image_alt (say what it shows)",)


@pytest.mark.parametrize(
    ("image", "files", "reason"),
    [
        ("gone.png", {}, "no such file in this article's folder"),
        ("data.csv", {"data.csv": b"a,b\n1,2\n"}, "not an image"),
        ("chart.svg", {"chart.svg": b"<svg/>"}, "svg cannot be shared"),
        ("bad.png", {"bad.png": b"not a png at all"}, "not an image Pillow can read"),
        ("lie.png", {"lie.png": image_bytes(5, 5, "JPEG")}, "holds a JPEG image, not the PNG"),
        ("/etc/passwd", {}, "must be a file of the article's folder"),
        ("/static/../app.py", {}, "must be a file of the article's folder"),
        ("/static/images/none.png", {}, "no such file in static/"),
        ("https://cdn.example.org/x.png", {}, "must be a file of the article's folder"),
        ("../other/x.png", {}, "must be a file of the article's folder"),
    ],
)
def test_an_unusable_cover_is_left_off_and_named(
    tmp_path: Path, static: Path, image: str, files: dict[str, bytes], reason: str
) -> None:
    found = find_cover(bundled(tmp_path, image, {"keep.txt": b"", **files}), static)
    assert found.cover is None
    assert len(found.problems) == 1
    assert found.problems[0].startswith(f"cover image {image}: ")
    assert reason in found.problems[0]


def test_a_flat_article_cannot_name_a_file_beside_it(tmp_path: Path, static: Path) -> None:
    (tmp_path / "x.png").write_bytes(image_bytes(4, 4))
    found = find_cover(flat(tmp_path, "x.png"), static)
    assert found.cover is None
    assert found.problems == (
        "cover image x.png: this article has no folder; write /static/images/x.png",
    )


def test_a_symlink_out_of_static_is_refused(tmp_path: Path, static: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(image_bytes(4, 4))
    (static / "images/link.png").symlink_to(outside)
    found = find_cover(flat(tmp_path / "c", "/static/images/link.png"), static)
    assert found.cover is None and "no such file in static/" in found.problems[0]
