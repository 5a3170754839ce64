"""Rendered article HTML made fit for feed readers, which run no JavaScript and know no base URL.

Every link and image is made absolute against the article's own URL. A chart keeps its caption and
data table and gains a link to the interactive chart on the site; a Mermaid diagram becomes its
source in ``<pre><code>`` and a link to the page where it is drawn. Scripts (elements, event
handlers, ``javascript:`` URLs, ``srcdoc``), styles, canvases and the ``#`` permalink marks of
headings are left out: in a feed they do nothing or show as clutter.

The HTML is parsed once by ``html_tree`` and walked once, without recursion; elements to drop or
unwrap are renamed on the way and removed by lxml in one pass, so the work is linear in the size
of the HTML however deep it nests.
"""

import re
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from publishing import html_tree

URL_ATTRIBUTES = frozenset(
    {"href", "src", "poster", "cite", "action", "formaction", "xlink:href", "data", "background"}
    | {"longdesc"}
)
# A CSS url(), as an author's style="" holds one: made absolute like any other URL.
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript"})
CHART_LINK_TEXT = "Open the interactive chart on the site"
DIAGRAM_LINK_TEXT = "See the diagram drawn on the site"
NOT_SHOWN_TEXT = "This article cannot be shown in a feed reader; read it on the site"
# Tag names no HTML uses, given to elements on the walk and removed in one pass after it.
_DROP, _UNWRAP = "feed-drop", "feed-unwrap"


def absolute_srcset(value: str, base: str) -> str:
    """``srcset`` with each candidate's URL made absolute and its descriptor kept."""
    return ", ".join(
        f"{_absolute(url, base)} {descriptors}".rstrip()
        for url, descriptors in html_tree.srcset_candidates(value)
    )


def _absolute(url: str, base: str) -> str:
    try:
        return urljoin(base, url.strip())
    except ValueError:  # e.g. "http://[x": not a URL, so left as written
        return url


def _link(href: str, text: str) -> html_tree.Element:
    paragraph = lxml_html.Element("p")
    anchor = etree.SubElement(paragraph, "a", href=href)
    anchor.text = text
    return paragraph


def _runs_script(url: str) -> bool:
    """Whether a browser would run ``url`` as script: it drops control characters, spaces and
    tabs from a scheme before reading it ("java\tscript:" runs)."""
    scheme = "".join(char for char in url.partition(":")[0] if char > " ").lower()
    return ":" in url and scheme in _SCRIPT_SCHEMES


def _css_url(found: re.Match[str], page_url: str) -> str:
    quote, url = found[1], found[2]
    if _runs_script(url):
        return "none"
    return f"url({quote}{_absolute(url, page_url)}{quote})"


def _fix_attributes(element: html_tree.Element, page_url: str) -> None:
    for name, value in element.attrib.items():
        # Event handlers, script URLs and a frame's inline document: readers run no scripts,
        # and the author's own HTML may hold them.
        # (A ping URL only reports a click to a tracker: no reader's business.)
        scripted = name.startswith("on") or name in ("srcdoc", "ping")
        if scripted or (name in URL_ATTRIBUTES and _runs_script(value)):
            del element.attrib[name]
        elif name in URL_ATTRIBUTES:
            element.set(name, _absolute(value, page_url))
        elif name == "srcset":
            element.set(name, absolute_srcset(value, page_url))
        elif name == "style" and "url(" in value.lower():
            element.set(name, _CSS_URL.sub(lambda found: _css_url(found, page_url), value))


def _as_diagram(pre: html_tree.Element, page_url: str) -> None:
    """``<pre class="mermaid">`` -> its source in ``<pre><code>``, then a link to the page."""
    source, tail = pre.text_content(), pre.tail
    pre.clear()
    code = etree.SubElement(pre, "code", {"class": "language-mermaid"})
    code.text = source
    link = _link(page_url, DIAGRAM_LINK_TEXT)
    link.tail = tail
    pre.addnext(link)


def _rewrite(root: html_tree.Element, page_url: str) -> None:
    in_charts = 0  # how many chart figures the walk is inside
    diagrams = []
    walk = html_tree.walk(root)
    for event, element in walk:
        classes = html_tree.classes(element)
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
    try:
        root = html_tree.fragment(html)
    except html_tree.TooDeep:
        return lxml_html.tostring(_link(page_url, NOT_SHOWN_TEXT), encoding="unicode")
    _rewrite(root, page_url)
    return html_tree.inner_html(root)
