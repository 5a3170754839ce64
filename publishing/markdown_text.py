"""The plain text of an article's Markdown, as the search index holds it.

Search indexes the Markdown source made plain, not the rendered HTML's text: rendering runs in a
child process under the render budget and is cached per version, so indexing 10,000 articles from
their HTML would render every one of them at start (minutes), while this is a few regular
expressions per article (about 0.1 s for 10,000, see ``bench/search.py``). What it keeps is the
text a reader sees: prose, headings, list items, table cells, link texts, image alt texts, code
and diagram-free fenced blocks. It leaves out chart and Mermaid blocks (configs and diagram
sources are not prose), raw HTML tags, comments, ``<script>`` and ``<style>`` contents, link
targets, reference and abbreviation definitions, attribute lists and Markdown's punctuation. It
holds no control character at all, so the search snippets can mark matches with control
characters that cannot come from an article.
"""

import html
import re
import unicodedata

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*\{?\s*\.?([\w-]*)")
_DROPPED_FENCES = {"chart", "mermaid"}
_RAW_BLOCKS = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])?")  # images too, once "![" is "["
_DEFINITION = re.compile(r"^ {0,3}(?:\*\[[^\]]*\]|\[(?!\^)[^\]]+\]):.*$", re.M)  # not footnotes
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]*\]")
_ATTRIBUTES = re.compile(r"\{:?\s*[#.][^}]*\}")
_LINE_MARKS = re.compile(r"^ {0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d{1,9}[.)]\s|:\s)+", re.M)
_TABLE_RULE = re.compile(r"^[ \t|:-]*-[ \t|:-]*$", re.M)
_MARKS = str.maketrans("*`|", "   ")  # emphasis, code spans, table cells
_EMPHASIS_UNDERSCORES = re.compile(r"\b_+|_+\b")  # snake_case keeps its underscore


def plain_text(markdown: str) -> str:
    """The words of ``markdown`` a reader sees, on one line, without any control character."""
    text = _without_drawn_blocks(markdown)
    text = _RAW_BLOCKS.sub(" ", text)
    text = _DEFINITION.sub(" ", text)  # before links, which would keep the [label]
    text = _FOOTNOTE_REF.sub("", text)
    text = _LINK.sub(r"\1", text.replace("![", "["))
    text = _TAG.sub(" ", text)
    text = _ATTRIBUTES.sub(" ", text)
    text = _TABLE_RULE.sub(" ", text)
    text = _LINE_MARKS.sub("", text)
    text = text.translate(_MARKS).replace("~~", " ")
    if "_" in text:  # the pattern has no literal start to search for: skip the usual case
        text = _EMPHASIS_UNDERSCORES.sub(" ", text)
    return one_line(html.unescape(text))


def one_line(text: str) -> str:
    """``text`` with control, format and unassigned characters dropped, whitespace runs as one
    space: what every indexed column holds."""
    text = " ".join(text.split())
    if text.isprintable():  # the usual case, checked in C: no character to look at one by one
        return text
    kept = "".join(char for char in text if unicodedata.category(char)[0] != "C")
    return " ".join(kept.split())


def _without_drawn_blocks(markdown: str) -> str:
    """``markdown`` without its chart and Mermaid blocks, and without the fence lines of the
    others (their code stays)."""
    kept: list[str] = []
    fence: str | None = None  # the opening fence's marks, while inside a block
    dropping = False
    for line in markdown.splitlines():
        if fence is None:
            opened = _FENCE.match(line)
            if opened:
                fence, dropping = opened[1], opened[2].lower() in _DROPPED_FENCES
                continue
        elif line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence, dropping = None, False
            continue
        if not dropping:
            kept.append(line)
    return "\n".join(kept)
