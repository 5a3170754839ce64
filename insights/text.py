"""Plain-text facts about rendered HTML: word count, reading time, first paragraph."""

import math
import re
from html.parser import HTMLParser

WORD_RE = re.compile(r"\w[\w'\u2019.-]*")
_SKIPPED_CLASSES = {"chart", "headerlink", "render-error", "toc"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _TextCollector(HTMLParser):
    """Collects readable text, leaving out charts, permalink marks, scripts and error boxes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.first_paragraph: str | None = None
        self._skip_depth = 0
        self._depth = 0
        self._paragraph: list[str] | None = None
        self._paragraph_depth = -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self._depth += 1
        classes = set((dict(attrs).get("class") or "").split())
        if self._skip_depth or tag in ("script", "style") or classes & _SKIPPED_CLASSES:
            self._skip_depth += 1
        elif tag == "p" and self.first_paragraph is None and self._depth == 1:
            self._paragraph, self._paragraph_depth = [], self._depth

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self._paragraph is not None and self._depth == self._paragraph_depth:
            self.first_paragraph = " ".join("".join(self._paragraph).split())
            self._paragraph = None
        self._depth -= 1
        if self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        self.parts.append(data)
        if self._paragraph is not None:
            self._paragraph.append(data)


def text_facts(html: str) -> tuple[int, str]:
    """(number of words, text of the first top-level paragraph) of rendered article HTML."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    words = len(WORD_RE.findall(" ".join(collector.parts)))
    return words, collector.first_paragraph or ""


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Minutes to read ``words``, rounded up, at least one."""
    return max(1, math.ceil(words / words_per_minute))
