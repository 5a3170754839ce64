"""Rendered HTML as an lxml tree: the one parser every walk over article HTML goes through.

A fragment is parsed whole or not at all. lxml stops building the tree where the nesting passes
its depth limit (a few thousand levels, with ``huge_tree``) and drops the rest; a walk over such
a tree would count, summarise or rewrite a cut article without knowing it, so ``fragment``
raises ``TooDeep`` instead and each caller decides what a page that deep gets.

Walks use ``walk``: lxml's iterative walk, so the cost is linear in the size of the HTML however
deep it nests, and Python's recursion limit is never in play.
"""

import re
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

# What lxml refuses in a string (XML 1.0 cannot carry it); none of it is text a reader sees.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# One srcset candidate: a URL (a run of non-space characters, which may hold commas) that either
# ends in a comma, or is followed by descriptors up to the next comma.
_SRCSET_CANDIDATE = re.compile(r"[\s,]*(\S+)(?:(?<=,)|([^,]*))")

Element = etree._Element


class TooDeep(ValueError):
    """The HTML nests deeper than lxml parses: its tree would be cut short."""


def fragment(html: str) -> Element:
    """``html`` parsed into a ``<div>`` that holds it, without comments or processing
    instructions (their tails kept) and without the characters lxml refuses.

    Raises ``TooDeep`` when the parser hit its depth limit.
    """
    parser = lxml_html.HTMLParser(huge_tree=True)
    root = lxml_html.fragment_fromstring(NOT_XML.sub("", html), create_parent="div", parser=parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise TooDeep("the HTML nests deeper than the parser reads")
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return root


def inner_html(root: Element) -> str:
    """The HTML of what ``root`` (made by ``fragment``) holds, without ``root`` itself."""
    return lxml_html.tostring(root, encoding="unicode")[len("<div>") : -len("</div>")]


def walk(root: Element) -> etree.iterwalk:
    """(event, element) for each element under ``root``, ``"start"`` on the way in and ``"end"``
    on the way out; ``skip_subtree()`` on the walk after a start leaves that element's inside."""
    return etree.iterwalk(root, events=("start", "end"))


def classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def srcset_candidates(value: str) -> Iterator[tuple[str, str]]:
    """(URL, descriptors) of each candidate of a ``srcset`` value, in order, as HTML reads them."""
    for match in _SRCSET_CANDIDATE.finditer(value):
        url, descriptors = match.group(1), match.group(2) or ""
        if url.rstrip(","):
            yield url.rstrip(","), descriptors.strip()
