"""Bundle images measured, marked lazy after the first, captioned; bad ones named, never fatal."""

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from publishing.bundles import FileData
from publishing.images import ImageFault, measure
from publishing.rendering import rendered_markdown
from tests.support.bundles import (
    SCRIPTED_SVG,
    image_bytes,
    png_bomb,
    truncated_png,
    turned_photo,
    turned_png,
)


def files(**named: bytes) -> dict[str, FileData]:
    return {name.replace("_", "."): FileData(len(data), data) for name, data in named.items()}


def test_bundle_images_get_their_size_async_decoding_and_lazy_loading_after_the_first():
    body = "![First](a.png)\n\nText.\n\n![Second](b.jpg)\n\n![Third](c.svg)\n"
    found = files(a_png=image_bytes(40, 30), b_jpg=image_bytes(20, 10, "JPEG"), c_svg=SCRIPTED_SVG)
    rendered = rendered_markdown(body, found)
    first, second, third = BeautifulSoup(rendered.html, "html.parser").select("img")
    assert (first["width"], first["height"], first["decoding"]) == ("40", "30", "async")
    assert "loading" not in first.attrs
    assert (second["width"], second["height"], second["loading"]) == ("20", "10", "lazy")
    assert third["loading"] == "lazy" and "width" not in third.attrs
    assert rendered.problems == () and rendered.warnings == ()


def test_an_image_with_a_title_alone_in_its_paragraph_becomes_a_figure_with_a_caption():
    body = '![A teal square](a.png "Figure 1: the square")\n\nText ![inline](a.png "no") here.\n'
    html = rendered_markdown(body, files(a_png=image_bytes(4, 4))).html
    page = BeautifulSoup(html, "html.parser")
    figure = page.select_one("figure")
    assert figure.select_one("img")["alt"] == "A teal square"
    assert "title" not in figure.select_one("img").attrs
    assert figure.select_one("figcaption").get_text() == "Figure 1: the square"
    assert len(page.select("figure")) == 1  # an image inside text stays inline


def test_an_image_without_alt_text_is_a_warning():
    rendered = rendered_markdown("![](a.png)\n", files(a_png=image_bytes(4, 4)))
    assert rendered.warnings == ("image a.png: no alt text (say what it shows)",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n not really", "not an image Pillow can read"),
        (image_bytes(4, 4, "JPEG"), "holds a JPEG image, not the PNG its extension says"),
        (png_bomb(), "refused as a decompression bomb: more pixels than Pillow's limit"),
    ],
)
def test_a_bad_image_keeps_its_plain_img_and_is_a_problem_naming_it(data, reason):
    rendered = rendered_markdown("![Broken](bad.png)\n\nText.\n", files(bad_png=data))
    image = BeautifulSoup(rendered.html, "html.parser").select_one("img")
    assert image.attrs == {"alt": "Broken", "src": "bad.png"}
    assert len(rendered.problems) == 1
    assert rendered.problems[0].startswith(f"image bad.png: {reason}")
    assert "<p>Text.</p>" in rendered.html


def test_an_image_too_large_to_measure_is_named_with_its_size():
    huge = FileData(30 * 2**20, None)  # what a render is handed of a 30 MB original
    with pytest.raises(ImageFault, match=r"^30\.0 MB, more than the 16 MB"):
        measure("photo.jpg", huge)
    rendered = rendered_markdown("![Big](photo.jpg)\n", {"photo.jpg": huge})
    assert rendered.problems[0].startswith("image photo.jpg: 30.0 MB")


def test_a_missing_bundle_image_is_a_problem_but_a_flat_articles_images_are_left_alone():
    rendered = rendered_markdown("![Gone](gone.png)\n", files())
    assert rendered.problems == ("image gone.png: no such file in this article's folder",)
    flat = rendered_markdown("![Logo](/static/logo.png)\n\n![Here](here.png)\n")
    assert flat.problems == ()
    assert "width" not in flat.html


def test_a_turned_photo_reserves_the_box_it_is_shown_in():
    image = BeautifulSoup(
        rendered_markdown("![Portrait](a.jpg)\n", files(a_jpg=turned_photo(60, 40))).html,
        "html.parser",
    ).img
    assert (image["width"], image["height"]) == ("40", "60")


def test_a_png_is_measured_from_its_header_without_decoding_its_pixels():
    # Pillow decoded a whole PNG to look for EXIF after its pixels: a truncated one raised out
    # of the render and of every page listing it as a cover.
    data = truncated_png(3000, 3000)
    assert measure("cover.png", FileData(len(data), data)) == (3000, 3000)
    rendered = rendered_markdown("![Cut](cut.png)\n\nText.\n", files(cut_png=data))
    assert 'width="3000"' in rendered.html and "<p>Text.</p>" in rendered.html
    turned = turned_png(60, 40)  # its orientation comes before the pixels: still obeyed
    assert measure("turned.png", FileData(len(turned), turned)) == (40, 60)


def test_an_image_between_pillows_limit_and_twice_it_is_refused_too(monkeypatch):
    """Pillow itself only warns there; the check must not depend on a warnings filter."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    data = image_bytes(40, 40)  # 1,600 pixels: past the limit, short of twice it
    with pytest.raises(ImageFault, match=r"decompression bomb.*limit of 1,000 \(40 by 40\)"):
        measure("a.png", FileData(len(data), data))
