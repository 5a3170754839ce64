"""The share card of an article without a cover: a 1200 by 630 PNG drawn with Pillow, with its
title, the site's name, the author and the date, in the site's colours and the font it ships.

Text goes through ``drawable`` first: a character the font has no glyph for (CJK, most emoji,
right-to-left scripts when Pillow has no Raqm to shape them) is dropped rather than drawn as a
box, and a title with nothing left falls back to the site's name. Titles are clipped before
they are laid out, so drawing a card costs a bounded time whatever the front matter says.
"""

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
# Changes whenever the drawing changes, so every card is drawn anew (its name holds it).
DRAWING_VERSION = "1"
MAX_TITLE_CHARS = 300
TITLE_SIZES = range(76, 27, -4)  # the largest size at which the title fits wins
TITLE_TOP, TITLE_BOTTOM = 170, 500
FOOTER_TOP = 520  # the byline's band, below the title's
LINE_SPACING = 1.2
ELLIPSIS = "…"
FONT_FILES = {"bold": "fonts/DejaVuSans-Bold.ttf", "regular": "fonts/DejaVuSans.ttf"}
# The light theme's custom properties of static/css/site.css that the card is drawn in.
COLOUR_NAMES = ("bg", "text", "muted", "accent", "accent-soft")
_LIGHT_DARK = re.compile(r"--([a-z-]+):\s*light-dark\(\s*(#[0-9a-fA-F]{6})\s*,")
RAQM = features.check("raqm")  # shapes Arabic and lays out right-to-left text


class CardFault(ValueError):
    """What keeps cards from being drawn at all (a font or a colour missing)."""


@dataclass(frozen=True)
class CardText:
    """What goes on a card; its digest names the PNG."""

    title: str
    site: str
    author: str
    date: str


def palette(css: str) -> dict[str, str]:
    """The light theme's colours named in ``COLOUR_NAMES``, read from the site's stylesheet."""
    found = {name: value.lower() for name, value in _LIGHT_DARK.findall(css)}
    missing = [name for name in COLOUR_NAMES if name not in found]
    if missing:
        raise CardFault("no light-dark() colour for " + ", ".join(f"--{m}" for m in missing))
    return {name: found[name] for name in COLOUR_NAMES}


class Typeface:
    """One font file: Pillow's fonts of it by size, and the characters it has glyphs for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = path.read_bytes()
        with TTFont(io.BytesIO(self.data), lazy=True) as font:
            self.codepoints = frozenset(font.getBestCmap())
        self._sizes: dict[int, ImageFont.FreeTypeFont] = {}

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        if size not in self._sizes:
            engine = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
            font = ImageFont.truetype(io.BytesIO(self.data), size, layout_engine=engine)
            self._sizes[size] = font
        return self._sizes[size]

    def can_draw(self, char: str) -> bool:
        if ord(char) not in self.codepoints:
            return False
        # Without Raqm, Pillow draws right-to-left letters unjoined and in the wrong order.
        return RAQM or unicodedata.bidirectional(char) not in ("R", "AL")


def drawable(text: str, faces: Iterable[Typeface]) -> str:
    """``text`` with what any of ``faces`` cannot draw left out, and its spaces made single."""
    faces = tuple(faces)
    kept = []
    for char in unicodedata.normalize("NFC", text):
        if char.isspace():
            kept.append(" ")
        elif all(face.can_draw(char) for face in faces):
            kept.append(char)
    return " ".join("".join(kept).split())


def _visible(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LNS" for c in text)


def _clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


class Cards:
    """Draws cards with the site's fonts (``static/fonts``) and colours (``static/css``)."""

    def __init__(self, static_dir: Path) -> None:
        try:
            self.bold = Typeface(static_dir / FONT_FILES["bold"])
            self.regular = Typeface(static_dir / FONT_FILES["regular"])
            self.colours = palette((static_dir / "css/site.css").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise CardFault(f"share cards cannot be drawn: {exc}") from None

    @cached_property
    def fingerprint(self) -> bytes:
        """Everything but the text that decides how a card looks."""
        digest = hashlib.blake2b(DRAWING_VERSION.encode(), digest_size=16)
        for face in (self.bold, self.regular):
            digest.update(face.data)
        digest.update(repr(sorted(self.colours.items())).encode())
        return digest.digest()

    def text(self, *, title: str, site: str, author: str, date: str) -> CardText:
        """The card's texts as they will be drawn: clipped, without what the font lacks, and
        the site's name in place of a title with nothing drawable left."""
        site = drawable(site, [self.bold])
        title = drawable(_clipped(title.strip(), MAX_TITLE_CHARS), [self.bold])
        if not _visible(title):
            title = site
        return CardText(title, site, drawable(author, [self.regular]), date)

    def digest(self, text: CardText) -> str:
        """Names the card: changes with its text, its fonts, its colours and the drawing."""
        digest = hashlib.blake2b(self.fingerprint, digest_size=10)
        digest.update(repr((text.title, text.site, text.author, text.date)).encode())
        return digest.hexdigest()

    def title_layout(self, title: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
        """The largest title font at which ``title`` fits the title box, and its lines; at the
        smallest size, the lines that fit, the last one ending in an ellipsis."""
        width = WIDTH - 2 * MARGIN
        for size in TITLE_SIZES:
            font = self.bold.at(size)
            lines = _wrapped(title, font, width)
            if len(lines) * size * LINE_SPACING <= TITLE_BOTTOM - TITLE_TOP:
                return font, lines
        room = int((TITLE_BOTTOM - TITLE_TOP) // (size * LINE_SPACING))
        last = _fitted(" ".join(lines[room - 1 :]), font, width)
        return font, [*lines[: room - 1], last]

    def draw(self, text: CardText) -> bytes:
        """The card as PNG bytes."""
        colours = self.colours
        image = Image.new("RGB", (WIDTH, HEIGHT), colours["bg"])
        pen = ImageDraw.Draw(image)
        pen.rectangle((0, 0, WIDTH, 16), fill=colours["accent"])
        pen.rectangle((0, FOOTER_TOP, WIDTH, HEIGHT), fill=colours["accent-soft"])
        width = WIDTH - 2 * MARGIN
        site = self.bold.at(34)
        pen.text((MARGIN, 70), _fitted(text.site, site, width), font=site, fill=colours["accent"])
        font, lines = self.title_layout(text.title)
        step = font.size * LINE_SPACING
        for number, line in enumerate(lines):
            y = TITLE_TOP + number * step
            pen.text((MARGIN, y), line, font=font, fill=colours["text"])
        small = self.regular.at(30)
        byline = " · ".join(part for part in (text.author, text.date) if part)
        byline = _fitted(byline, small, width)
        pen.text(
            (MARGIN, (FOOTER_TOP + HEIGHT) // 2),
            byline,
            font=small,
            fill=colours["muted"],
            anchor="lm",
        )
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue()


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` in lines no wider than ``width``; a word wider than a line is cut into pieces."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            cut = _longest_prefix(word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines


def _longest_prefix(word: str, font: ImageFont.FreeTypeFont, width: int) -> int:
    low, high = 1, len(word)  # the first character always fits: lines are wider than a glyph
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _fitted(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` on one line of at most ``width``, cut with an ellipsis when it is longer."""
    if font.getlength(text) <= width:
        return text
    cut = _longest_prefix(text, font, int(width - font.getlength(ELLIPSIS)))
    return text[:cut].rstrip() + ELLIPSIS
