"""The image an article is shared with: its cover, or else its share card, drawn once per
version of what goes on it and kept on disk for every worker and restart.

Cards live in one private folder (mode 0700) beside the static build cache. A card is written
to a temporary file of that folder and renamed into place, so a worker never reads one half
written, and two workers drawing the same card at once both leave a whole one.
"""

import logging
import os
import re
import tempfile
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from publishing.article import Article
from publishing.covers import Cover, Found, find_cover
from publishing.share_card import HEIGHT, WIDTH, CardFault, Cards, CardText

log = logging.getLogger(__name__)
CARD_NAME = re.compile(r"^[0-9a-f]{20}$")  # the digest part of card-<digest>.png


@dataclass(frozen=True)
class ShareImage:
    """What pages and feeds say of the shared image; where it lives decides its URL."""

    kind: str  # "bundle", "static" or "card"
    name: str  # the bundle file, the path under static/, or the card's digest
    width: int
    height: int
    content_type: str
    size: int
    alt: str

    @classmethod
    def of_cover(cls, cover: Cover) -> "ShareImage":
        size = (cover.width, cover.height)
        return cls(cover.kind, cover.name, *size, cover.content_type, cover.size, cover.alt)


class ShareImages:
    """Covers found once per article version, cards drawn once per version of their text."""

    def __init__(
        self,
        static_dir: Path,
        cards_dir: Path | None,
        static_names: frozenset[str] | None = None,
    ) -> None:
        """``cards_dir``: where cards are kept, None for no cards (no folder could be had).
        ``static_names``: the files of ``static/`` the site serves (its build, made at start);
        a cover among the others would get a URL that answers 404."""
        self.static_dir = static_dir
        self.cards_dir = cards_dir
        self.static_names = static_names
        try:
            self.cards: Cards | None = Cards(static_dir)
        except CardFault as exc:
            log.warning("%s", exc)
            self.cards = None
        self._covers = lru_cache(maxsize=4096)(self._found)
        self._drawing = threading.Lock()  # one FreeType face must not draw in two threads

    def found(self, article: Article) -> Found:
        """The article's cover, or why it has none, looked up once per version of the article.
        Keyed on the article without its text: the cache must not keep every saved version's
        body alive."""
        if article.image is None:
            return Found(None)
        return self._covers(replace(article, body=""))

    def _found(self, article: Article) -> Found:
        found = find_cover(article, self.static_dir)
        cover, known = found.cover, self.static_names
        if cover and cover.in_static and known is not None and cover.name not in known:
            late = f"cover image {article.image}: added to static/ since the site started"
            found = Found(None, (f"{late}; restart it to serve the file",))
        for problem in found.problems:
            log.warning("%s: %s", article.path.name, problem)
        return found

    def cover(self, article: Article) -> Cover | None:
        return self.found(article).cover

    def card_text(self, article: Article, date: str, site: str) -> CardText | None:
        if self.cards is None:
            return None
        return self.cards.text(title=article.title, site=site, author=article.author, date=date)

    def card_digest(self, article: Article, date: str, site: str) -> str | None:
        """The digest that names the article's card (whether it is drawn or not)."""
        text = self.card_text(article, date, site)
        return None if text is None or self.cards is None else self.cards.digest(text)

    def card(self, text: CardText, alt: str) -> ShareImage | None:
        """The card for ``text``, drawn now unless it is on disk; None when it cannot be (the
        fault is logged)."""
        if self.cards is None or self.cards_dir is None:
            return None
        digest = self.cards.digest(text)
        path = self.cards_dir / f"card-{digest}.png"
        try:
            try:
                size = path.stat().st_size  # one system call when drawn before, as usually
            except FileNotFoundError:
                size = self._write(path, text)
        except Exception as exc:  # a card is an extra: its fault must not cost the page
            log.warning("share card %r not made: %s: %s", text.title[:80], type(exc).__name__, exc)
            return None
        return ShareImage("card", digest, WIDTH, HEIGHT, "image/png", size, alt)

    def _write(self, path: Path, text: CardText) -> int:
        assert self.cards is not None
        with self._drawing:
            data = self.cards.draw(text)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return len(data)

    def for_article(self, article: Article, date: str, site: str) -> ShareImage | None:
        """The cover when it can be used, else the card; None when neither can be had."""
        cover = self.cover(article)
        if cover is not None:
            return ShareImage.of_cover(cover)
        text = self.card_text(article, date, site)
        return self.card(text, article.title) if text is not None else None

    def card_bytes(self, digest: str) -> bytes | None:
        """The card named ``digest`` from disk, if it is there."""
        if not CARD_NAME.match(digest) or self.cards_dir is None:
            return None
        try:
            return (self.cards_dir / f"card-{digest}.png").read_bytes()
        except OSError:
            return None
