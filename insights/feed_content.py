"""Rendered article HTML made fit for feed readers, which run no JavaScript and know no base URL.

Every link and image is made absolute against the article's own URL. A chart keeps its caption and
data table and gains a link to the interactive chart on the site; a Mermaid diagram becomes its
source in ``<pre><code>`` and a link to the page where it is drawn. Scripts, styles, canvases and
the ``#`` permalink marks of headings are left out: in a feed they do nothing or show as clutter.
"""

from enum import Enum, auto
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin

URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})
CHART_LINK_TEXT = "Open the interactive chart on the site"
DIAGRAM_LINK_TEXT = "See the diagram drawn on the site"


class _Mode(Enum):
    KEEP = auto()
    DROP = auto()  # the element and everything in it
    UNWRAP = auto()  # the element's tags, not its content
    CHART = auto()
    DIAGRAM = auto()


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
        candidates.append(f"{urljoin(base, url)} {descriptor}".rstrip())


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    return set((dict(attrs).get("class") or "").split())


class _FeedRewriter(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.out: list[str] = []
        self._open: list[tuple[str, _Mode, str]] = []  # (tag, mode, id) of each open element
        self._dropping = 0

    def _mode(self, tag: str, classes: set[str]) -> _Mode:
        if tag in ("script", "style", "canvas") or (tag == "a" and "headerlink" in classes):
            return _Mode.DROP
        if tag == "figure" and "chart" in classes:
            return _Mode.CHART
        if tag == "pre" and "mermaid" in classes:
            return _Mode.DIAGRAM
        if self._in_chart():
            if tag == "summary" or (tag == "div" and "chart-canvas" in classes):
                return _Mode.DROP
            if tag == "details":
                return _Mode.UNWRAP
        return _Mode.KEEP

    def _in_chart(self) -> bool:
        return any(mode is _Mode.CHART for _, mode, _ in self._open)

    def _attributes(self, attrs: list[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            if name.startswith("on"):  # event handlers: readers run no scripts
                continue
            if value is None:
                parts.append(f" {name}")
                continue
            if name in URL_ATTRIBUTES:
                value = urljoin(self.page_url, value.strip())
            elif name == "srcset":
                value = absolute_srcset(value, self.page_url)
            parts.append(f' {name}="{escape(value)}"')
        return "".join(parts)

    def _link(self, href: str, text: str) -> str:
        return f'<p><a href="{escape(href)}">{escape(text)}</a></p>'

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        mode = self._mode(tag, _classes(attrs))
        # Void elements get no end tag; they stay on the stack until an ancestor closes.
        self._open.append((tag, mode, dict(attrs).get("id") or ""))
        if mode is _Mode.DROP:
            self._dropping += 1
        if self._dropping or mode is _Mode.UNWRAP:
            return
        if mode is _Mode.DIAGRAM:
            self.out.append('<pre><code class="language-mermaid">')
        else:
            self.out.append(f"<{tag}{self._attributes(attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._dropping and self._mode(tag, _classes(attrs)) is _Mode.KEEP:
            self.out.append(f"<{tag}{self._attributes(attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _, _ in self._open):
            return  # a stray end tag: nothing to close
        while True:
            open_tag, mode, ident = self._open.pop()
            if mode is _Mode.DROP:
                self._dropping -= 1
            if open_tag == tag:
                break
        if self._dropping or mode in (_Mode.DROP, _Mode.UNWRAP):
            return
        if mode is _Mode.CHART:
            chart_url = urljoin(self.page_url, f"#{ident}") if ident else self.page_url
            self.out.append(self._link(chart_url, CHART_LINK_TEXT) + "</figure>")
        elif mode is _Mode.DIAGRAM:
            self.out.append("</code></pre>" + self._link(self.page_url, DIAGRAM_LINK_TEXT))
        else:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.out.append(escape(data, quote=False))


@lru_cache(maxsize=256)  # readers poll often; an article's feed HTML changes only with the article
def feed_html(html: str, page_url: str) -> str:
    """``html`` (an article as rendered for its page at ``page_url``) made feed-safe."""
    rewriter = _FeedRewriter(page_url)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)
