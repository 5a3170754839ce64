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
# Every pattern below must stay linear on any article (up to 2 MiB, indexed in the worker, not
# under the render budget): ``re`` tries a pattern again from each start, so a span that may
# run past the next place the pattern starts ("[" ... "]" holding another "[") rescans the same
# text from every one of them when its end is missing: 40,000 "[" took 13 s. So a span's text
# holds no opener of its own kind, and a block with no end is looked for once (``_RAW_ENDS``).
_RAW_START = re.compile(r"<(?:(script|style)\b|!--)", re.I)
_RAW_ENDS = {
    "script": re.compile(r"</script\s*>", re.I),
    "style": re.compile(r"</style\s*>", re.I),
    "!--": re.compile(r"-->"),
}
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# Images too, once "![" is "[". The text is the innermost brackets' (as CommonMark reads
# "[a [b](u)": "[a " then a link); a target may hold one level of parentheses (Wikipedia's).
_LINK = re.compile(r"\[([^\[\]]*)\](?:\([^()]*(?:\([^()]*\)[^()]*)*\)|\[[^\[\]]*\])?")
_DEFINITION = re.compile(r"^ {0,3}(?:\*\[[^\[\]]*\]|\[(?!\^)[^\[\]]+\]):.*$", re.M)  # not footnotes
_FOOTNOTE_REF = re.compile(r"\[\^[^\[\]]*\]")
_ATTRIBUTES = re.compile(r"\{:?\s*[#.][^{}]*\}")
_LINE_MARKS = re.compile(r"^ {0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d{1,9}[.)]\s|:\s)+", re.M)
# No "-" before the one required: with "-" on both sides, a long line of "-" that is no rule (a
# letter at its end) was split at each of its "-" in turn (quadratic).
_TABLE_RULE = re.compile(r"^[ \t|:]*-[ \t|:-]*$", re.M)
_MARKS = str.maketrans("*`|", "   ")  # emphasis, code spans, table cells
# snake_case keeps its underscore. Tried at a run's first "_" only: from each of the others,
# a run inside a word was read to its end again.
_EMPHASIS_UNDERSCORES = re.compile(r"(?<!_)(?:\b_+|_+\b)")
# html.unescape makes an int of a decimal reference's digits, and Python refuses more than
# 4,300 (ValueError). Past 7 digits (leading zeros aside) a number is beyond U+10FFFF and
# unescapes to U+FFFD, as its first 8 digits do.
_LONG_DECIMAL_REF = re.compile(r"&#0*([0-9]{1,8})[0-9]*")


def plain_text(markdown: str) -> str:
    """The words of ``markdown`` a reader sees, on one line, without any control character."""
    text = _without_drawn_blocks(markdown)
    text = _without_raw_blocks(text)
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
    return one_line(html.unescape(_LONG_DECIMAL_REF.sub(r"&#\1", text)))


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


def _without_raw_blocks(text: str) -> str:
    """``text`` with each ``<script>``, ``<style>`` and comment, up to the first end of its kind,
    as one space; one with no end stays."""
    kept: list[str] = []
    done = 0  # where the text not yet in ``kept`` starts
    unended: set[str] = set()  # kinds with no end left: looking again would read to the end
    start = _RAW_START.search(text)
    while start:
        kind = (start[1] or "!--").lower()
        end = None if kind in unended else _RAW_ENDS[kind].search(text, start.end())
        if end is None:
            unended.add(kind)
            start = _RAW_START.search(text, start.end())
            continue
        kept += (text[done : start.start()], " ")
        done = end.end()
        start = _RAW_START.search(text, done)
    kept.append(text[done:])
    return "".join(kept)
