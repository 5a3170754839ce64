"""Plain-text facts about rendered HTML: word count, reading time, first paragraph.

The HTML is parsed by ``html_tree`` and walked once, without recursion: linear in its size however
deep it nests.
"""

import math
import re

from publishing import html_tree

WORD_RE = re.compile(r"\w[\w'\u2019.-]*")
_SKIPPED_CLASSES = {"chart", "headerlink", "render-error", "toc"}
_TAG = re.compile(r"<[^>]*>")


def _skipped(element: html_tree.Element) -> bool:
    return element.tag in ("script", "style") or bool(html_tree.classes(element) & _SKIPPED_CLASSES)


def text_facts(html: str) -> tuple[int, str]:
    """(number of words, text of the first top-level paragraph that has any) of article HTML.

    Leaves out charts, permalink marks, scripts, tables of contents and error boxes. HTML nested
    deeper than lxml parses is counted with its tags stripped (charts included) and has no first
    paragraph, rather than being counted only up to where the parser stopped.
    """
    try:
        root = html_tree.fragment(html)
    except html_tree.TooDeep:
        return len(WORD_RE.findall(_TAG.sub(" ", html))), ""
    parts: list[str] = []
    first: list[str] | None = None  # the first top-level paragraph's text, while it is read
    first_paragraph: str | None = None
    walk = html_tree.walk(root)
    for event, element in walk:
        if event == "start":
            if _skipped(element):
                walk.skip_subtree()
                continue
            if element.tag == "p" and first_paragraph is None and element.getparent() is root:
                first = []
            texts = [element.text]
        else:
            if first is not None and element.tag == "p" and element.getparent() is root:
                # A paragraph holding only an image has no text to summarise: take the next.
                first_paragraph, first = " ".join("".join(first).split()) or None, None
            texts = [element.tail] if element is not root else []
        for text in texts:
            if text:
                parts.append(text)
                if first is not None:
                    first.append(text)
    words = len(WORD_RE.findall(" ".join(parts)))
    return words, first_paragraph or ""


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Minutes to read ``words``, rounded up, at least one."""
    return max(1, math.ceil(words / words_per_minute))
