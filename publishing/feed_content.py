"""Rendered article HTML made fit for feed readers, which run no JavaScript and know no base URL.

Every link and image is made absolute against the article's own URL. A chart keeps its caption and
data table and gains a link to the interactive chart on the site; a Mermaid diagram becomes its
source in ``<pre><code>`` and a link to the page where it is drawn. Scripts, styles, canvases and
the ``#`` permalink marks of headings are left out: in a feed they do nothing or show as clutter.

The HTML is parsed once with lxml and walked once, without recursion; elements to drop or unwrap
are renamed on the way and removed by lxml in one pass, so the work is linear in the size of the
HTML however deep it nests.
"""

import re
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})
CHART_LINK_TEXT = "Open the interactive chart on the site"
DIAGRAM_LINK_TEXT = "See the diagram drawn on the site"
NOT_SHOWN_TEXT = "This article cannot be shown in a feed reader; read it on the site"
# Tag names no HTML uses, given to elements on the walk and removed in one pass after it.
_DROP, _UNWRAP = "feed-drop", "feed-unwrap"
# What XML 1.0 cannot carry: lxml refuses some of it, and the feed would drop it all anyway.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def absolute_srcset(value: str, base: str) -> str:
    """``srcset`` with each candidate's URL made absolute and its descriptor kept.

    Follows the HTML candidate syntax: a URL is a run of non-space characters (it may hold commas),
    a comma right after it ends the candidate, otherwise descriptors run up to the next comma.
    """
    candidates: list[str] = []
    i, end = 0, len(value)
    while True:
        while i < end and (value[i].isspace() or value[i] == ","):
            i += 1
        if i == end:
            return ", ".join(candidates)
        start = i
        while i < end and not value[i].isspace():
            i += 1
        url, descriptor = value[start:i], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start = i
            while i < end and value[i] != ",":
                i += 1
            descriptor = value[start:i].strip()
        candidates.append(f"{_absolute(url, base)} {descriptor}".rstrip())


def _absolute(url: str, base: str) -> str:
    try:
        return urljoin(base, url.strip())
    except ValueError:  # e.g. "http://[x": not a URL, so left as written
        return url


def _link(href: str, text: str) -> etree._Element:
    paragraph = lxml_html.Element("p")
    anchor = etree.SubElement(paragraph, "a", href=href)
    anchor.text = text
    return paragraph


def _fix_attributes(element: etree._Element, page_url: str) -> None:
    for name, value in element.attrib.items():
        if name.startswith("on"):  # event handlers: readers run no scripts
            del element.attrib[name]
        elif name in URL_ATTRIBUTES:
            element.set(name, _absolute(value, page_url))
        elif name == "srcset":
            element.set(name, absolute_srcset(value, page_url))


def _as_diagram(pre: etree._Element, page_url: str) -> None:
    """``<pre class="mermaid">`` -> its source in ``<pre><code>``, then a link to the page."""
    source, tail = pre.text_content(), pre.tail
    pre.clear()
    code = etree.SubElement(pre, "code", {"class": "language-mermaid"})
    code.text = source
    link = _link(page_url, DIAGRAM_LINK_TEXT)
    link.tail = tail
    pre.addnext(link)


def _rewrite(root: etree._Element, page_url: str) -> None:
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    in_charts = 0  # how many chart figures the walk is inside
    diagrams = []
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        classes = (element.get("class") or "").split()
        is_chart = element.tag == "figure" and "chart" in classes
        if event == "end":
            if is_chart:
                in_charts -= 1
                ident = element.get("id")
                chart_url = urljoin(page_url, f"#{ident}") if ident else page_url
                element.append(_link(chart_url, CHART_LINK_TEXT))
            continue
        if (
            element.tag in ("script", "style", "canvas")
            or (element.tag == "a" and "headerlink" in classes)
            or (in_charts and element.tag == "summary")
            or (in_charts and element.tag == "div" and "chart-canvas" in classes)
        ):
            element.tag = _DROP
            walk.skip_subtree()
            continue
        _fix_attributes(element, page_url)
        if is_chart:
            in_charts += 1
        elif element.tag == "pre" and "mermaid" in classes:
            diagrams.append(element)
            walk.skip_subtree()
        elif in_charts and element.tag == "details":
            element.tag = _UNWRAP
    for pre in diagrams:
        _as_diagram(pre, page_url)
    etree.strip_elements(root, _DROP, with_tail=False)
    etree.strip_tags(root, _UNWRAP)


@lru_cache(maxsize=256)  # readers poll often; an article's feed HTML changes only with the article
def feed_html(html: str, page_url: str) -> str:
    """``html`` (an article as rendered for its page at ``page_url``) made feed-safe.

    HTML that lxml will not parse whole (nested deeper than its limit) gives a link to the page
    instead: a feed must never fail, nor show a cut article.
    """
    parser = lxml_html.HTMLParser(huge_tree=True)
    root = lxml_html.fragment_fromstring(_NOT_XML.sub("", html), create_parent="div", parser=parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        return lxml_html.tostring(_link(page_url, NOT_SHOWN_TEXT), encoding="unicode")
    _rewrite(root, page_url)
    return lxml_html.tostring(root, encoding="unicode")[len("<div>") : -len("</div>")]
