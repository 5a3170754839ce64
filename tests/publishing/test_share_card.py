"""Share cards drawn with the shipped font: their size, how titles fit, and what happens to
characters the font cannot draw."""

import io

import pytest
from PIL import Image, ImageChops, ImageDraw

from publishing.share_card import (
    HEIGHT,
    LINE_SPACING,
    MARGIN,
    MAX_TITLE_CHARS,
    TITLE_BOTTOM,
    TITLE_SIZES,
    TITLE_TOP,
    WIDTH,
    CardFault,
    Cards,
    palette,
)
from tests.support.site import ROOT

STATIC = ROOT / "static"


@pytest.fixture(scope="module")
def cards() -> Cards:
    return Cards(STATIC)


def text(cards: Cards, title: str):
    return cards.text(title=title, site="Insights", author="Vin Patel", date="January 15, 2026")


def png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def test_a_card_is_a_1200_by_630_png_in_the_site_colours(cards: Cards) -> None:
    image = png(cards.draw(text(cards, "Why Open-Source AI Models Are Winning in 2026")))
    assert image.size == (WIDTH, HEIGHT) == (1200, 630)
    colours = palette((STATIC / "css/site.css").read_text())
    hex_of = "#{:02x}{:02x}{:02x}".format
    assert hex_of(*image.getpixel((WIDTH // 2, 5))) == colours["accent"]
    assert hex_of(*image.getpixel((WIDTH - 5, 140))) == colours["bg"]
    assert hex_of(*image.getpixel((WIDTH - 5, HEIGHT - 5))) == colours["accent-soft"]


def test_a_short_title_is_drawn_large_and_a_long_one_smaller(cards: Cards) -> None:
    short_font, short_lines = cards.title_layout("GPU spend")
    long_font, long_lines = cards.title_layout("A long title about open models " * 4)
    assert short_font.size == max(TITLE_SIZES) and short_lines == ["GPU spend"]
    assert long_font.size < short_font.size
    assert len(long_lines) > 1


@pytest.mark.parametrize(
    "title",
    ["word " * 60, "x" * 300, "Supercalifragilistic" * 15, "W" * 1000],
    ids=["many-words", "one-long-word", "long-words", "over-the-limit"],
)
def test_a_300_character_title_stays_inside_the_margins(cards: Cards, title: str) -> None:
    card_text = text(cards, title)
    assert len(card_text.title) <= MAX_TITLE_CHARS
    font, lines = cards.title_layout(card_text.title)
    pen = ImageDraw.Draw(Image.new("RGB", (WIDTH, HEIGHT)))
    for number, line in enumerate(lines):
        place = (MARGIN, TITLE_TOP + number * font.size * LINE_SPACING)
        left, _, right, bottom = pen.textbbox(place, line, font=font)
        assert left >= MARGIN and right <= WIDTH - MARGIN and bottom <= TITLE_BOTTOM + 1, line
    # The pixels agree: left and right of the margins, the title band is the background alone.
    image = png(cards.draw(card_text))
    band = (0, TITLE_TOP, WIDTH, TITLE_BOTTOM)
    blank = Image.new("RGB", (WIDTH, TITLE_BOTTOM - TITLE_TOP), image.getpixel((2, TITLE_TOP)))
    difference = ImageChops.difference(image.crop(band), blank).getbbox()
    assert difference is not None  # the title was drawn
    assert difference[0] >= MARGIN - 2 and difference[2] <= WIDTH - MARGIN + 2


def test_characters_the_font_lacks_are_dropped_not_drawn_as_boxes(cards: Cards) -> None:
    card_text = text(cards, "Rocket 🚀 launch 数据 done")
    assert card_text.title == "Rocket launch done"
    assert all(ord(c) in cards.bold.codepoints for c in card_text.title)


def test_a_title_with_nothing_drawable_falls_back_to_the_site_name(cards: Cards) -> None:
    assert text(cards, "数据中心 🚀🚀").title == "Insights"
    assert text(cards, "\u200d\ufe0f").title == "Insights"


def test_arabic_is_kept_and_drawn_when_pillow_can_shape_it(cards: Cards) -> None:
    from publishing.share_card import RAQM

    card_text = text(cards, "العربية")
    assert card_text.title == ("العربية" if RAQM else "Insights")
    assert png(cards.draw(card_text)).size == (WIDTH, HEIGHT)


def test_a_card_name_changes_with_its_text(cards: Cards) -> None:
    one, two = text(cards, "First title"), text(cards, "Second title")
    assert cards.digest(one) == cards.digest(text(cards, "First title"))
    assert cards.digest(one) != cards.digest(two)
    assert len(cards.digest(one)) == 20


def test_a_stylesheet_without_the_colours_is_a_fault(tmp_path) -> None:
    with pytest.raises(CardFault, match="--accent"):
        palette(":root { --bg: light-dark(#ffffff, #000000); }")
    (tmp_path / "css").mkdir()
    (tmp_path / "css/site.css").write_text((STATIC / "css/site.css").read_text())
    with pytest.raises(CardFault, match="DejaVuSans"):
        Cards(tmp_path)  # no fonts there
