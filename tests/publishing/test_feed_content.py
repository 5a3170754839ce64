"""Article HTML made feed-safe: absolute URLs, chart and diagram fallbacks, nothing executable."""

import time
from html.parser import HTMLParser

import pytest

from publishing.feed_content import (
    CHART_LINK_TEXT,
    DIAGRAM_LINK_TEXT,
    NOT_SHOWN_TEXT,
    absolute_srcset,
    feed_html,
)
from publishing.markup import convert
from tests.support.site import ROOT

CONTENT = ROOT / "content"
PAGE = "https://insights.example.org/insights/some-article/"


class Outline(HTMLParser):
    """The elements (tag, attributes) and the text of an HTML fragment, to assert on."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def attributes(self, tag: str, name: str) -> list[str | None]:
        return [attrs.get(name) for element, attrs in self.elements if element == tag]

    @property
    def text(self) -> str:
        return "".join(self.texts)


def rendered(markdown: str) -> str:
    return convert(markdown)[0]


@pytest.mark.parametrize(
    ("written", "absolute"),
    [
        ("/insights/x/", "https://insights.example.org/insights/x/"),
        ("img.png", "https://insights.example.org/insights/some-article/img.png"),
        ("../y", "https://insights.example.org/insights/y"),
        ("./sub/page.html?q=1&r=2", PAGE + "sub/page.html?q=1&r=2"),
        ("#part-two", PAGE + "#part-two"),
        ("//cdn.example.net/a.js", "https://cdn.example.net/a.js"),
        ("https://other.example.com/p", "https://other.example.com/p"),
        ("mailto:team@example.org", "mailto:team@example.org"),
        ("  spaced.png ", PAGE + "spaced.png"),
    ],
)
def test_links_and_images_become_absolute(written: str, absolute: str) -> None:
    html = f'<p><a href="{written}">a</a><img src="{written}" alt="x"></p>'
    outline = Outline(feed_html(html, PAGE))
    assert outline.attributes("a", "href") == [absolute]
    assert outline.attributes("img", "src") == [absolute]


def test_markdown_links_and_images_become_absolute() -> None:
    html = rendered("See [the other](../other/) and ![chart](img/figure.png).\n")
    outline = Outline(feed_html(html, PAGE))
    assert outline.attributes("a", "href") == ["https://insights.example.org/insights/other/"]
    assert outline.attributes("img", "src") == [PAGE + "img/figure.png"]


def test_srcset_poster_and_cite_become_absolute() -> None:
    html = (
        '<picture><source srcset="wide.webp 1200w, /narrow.webp 600w"></picture>'
        '<video poster="../still.jpg"></video><blockquote cite="notes.html">q</blockquote>'
    )
    outline = Outline(feed_html(html, PAGE))
    assert outline.attributes("source", "srcset") == [
        PAGE + "wide.webp 1200w, https://insights.example.org/narrow.webp 600w"
    ]
    assert outline.attributes("video", "poster") == [
        "https://insights.example.org/insights/still.jpg"
    ]
    assert outline.attributes("blockquote", "cite") == [PAGE + "notes.html"]


@pytest.mark.parametrize(
    ("srcset", "absolute"),
    [
        ("a.png", PAGE + "a.png"),
        ("a.png 1x,b.png 2x", f"{PAGE}a.png 1x, {PAGE}b.png 2x"),
        (" a.png,  b.png 2x ", f"{PAGE}a.png, {PAGE}b.png 2x"),
        ("img.png?size=1,2 2x", PAGE + "img.png?size=1,2 2x"),  # a URL may hold commas
        ("", ""),
    ],
)
def test_srcset_candidates(srcset: str, absolute: str) -> None:
    assert absolute_srcset(srcset, PAGE) == absolute


CHART = """Before.

```chart
{"type": "bar",
 "data": {"labels": ["2024", "2026 (projected)"],
          "datasets": [{"label": "Adoption (%)", "data": [80, 90]}]},
 "options": {"plugins": {"title": {"text": "Open-source adoption"}}}}
```
"""


def test_a_chart_becomes_title_table_and_link() -> None:
    html = feed_html(rendered(CHART), PAGE)
    outline = Outline(html)
    assert "script" not in outline.tags()
    assert "canvas" not in outline.tags()
    assert "details" not in outline.tags() and "summary" not in outline.tags()
    assert "Open-source adoption" in outline.text
    assert outline.attributes("th", "scope").count("row") == 2
    cells = [t.strip() for t in outline.texts if t.strip()]
    assert cells[cells.index("2024") + 1] == "80"
    assert cells[cells.index("2026 (projected)") + 1] == "90"
    assert outline.attributes("a", "href") == [PAGE + "#chart-1"]
    assert CHART_LINK_TEXT in outline.text
    # The link closes the figure, after the table.
    assert html.index("<table") < html.index(CHART_LINK_TEXT) < html.index("</figure>")


def test_hostile_chart_labels_stay_text() -> None:
    source = (
        "```chart\n"
        '{"type": "pie", "data": {"labels": ["</script><script>alert(1)</script>", '
        '"<img src=x onerror=alert(2)>"], "datasets": [{"data": [1, 2]}]}}\n```\n'
    )
    outline = Outline(feed_html(rendered(source), PAGE))
    assert "script" not in outline.tags()
    assert "img" not in outline.tags()
    assert "</script><script>alert(1)</script>" in outline.text
    assert "<img src=x onerror=alert(2)>" in outline.text


def test_a_diagram_becomes_its_source_in_code_and_a_link() -> None:
    source = 'graph LR\n  A[Start & go] -->|"yes" <b>| B{Done?}\n'
    outline = Outline(feed_html(rendered(f"```mermaid\n{source}```\n"), PAGE))
    assert outline.tags() == ["pre", "code", "p", "a"]
    assert outline.attributes("pre", "class") == [None]
    assert outline.texts[0] == source.rstrip("\n")
    assert outline.attributes("a", "href") == [PAGE]
    assert DIAGRAM_LINK_TEXT in outline.text


def test_the_reference_article_keeps_no_script_or_canvas() -> None:
    text = (CONTENT / "why-open-source-ai-models-are-winning-in-2026.md").read_text()
    outline = Outline(feed_html(rendered(text.split("---", 2)[2]), PAGE))
    assert not {"script", "canvas", "style"} & set(outline.tags())
    assert {"pre", "table"} <= set(outline.tags())


def test_heading_permalink_marks_are_left_out() -> None:
    outline = Outline(feed_html(rendered("## Why it matters\n\nText.\n"), PAGE))
    assert outline.attributes("h2", "id") == ["why-it-matters"]
    assert "a" not in outline.tags()
    assert outline.text.startswith("Why it matters")


def test_scripts_styles_and_event_handlers_are_left_out() -> None:
    html = (
        '<p onclick="steal()">Hi <script>alert("x")</script><style>p{color:red}</style>'
        "<canvas width=1>no</canvas>there</p>"
    )
    assert feed_html(html, PAGE) == "<p>Hi there</p>"


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="javascript:steal()">Hi</a></p>',
        '<p><a href=" Java\tScript:steal()">Hi</a></p>',
        '<p><a href="vbscript:msgbox(1)">Hi</a></p>',
        '<p><svg><a xlink:href="javascript:steal()">Hi</a></svg></p>',
        '<p><iframe srcdoc="&lt;script&gt;steal()&lt;/script&gt;"></iframe>Hi</p>',
    ],
)
def test_script_urls_and_inline_frames_are_left_out(html: str) -> None:
    kept = feed_html(html, PAGE)
    assert "script" not in kept.lower() and "steal" not in kept and "Hi" in kept


@pytest.mark.parametrize(
    ("html", "absolute"),
    [
        ('<object data="doc.pdf"></object>', 'data="https://example.org/insights/a/doc.pdf"'),
        (
            '<table background="p.png"><tr><td>x</td></tr></table>',
            'background="https://example.org/insights/a/p.png"',
        ),
        (
            '<img src="a.png" longdesc="d.html" alt="">',
            'longdesc="https://example.org/insights/a/d.html"',
        ),
        (
            "<div style=\"color: red; background-image: URL( 'photo.png' )\">x</div>",
            "background-image: url('https://example.org/insights/a/photo.png')",
        ),
        (
            "<div style=\"background: url('javascript:steal()')\">x</div>",
            'style="background: none"',
        ),
    ],
)
def test_every_url_an_author_can_write_becomes_absolute(html: str, absolute: str) -> None:
    assert absolute in feed_html(html, "https://example.org/insights/a/")


def test_a_script_url_in_a_style_is_left_out() -> None:
    kept = feed_html('<div style="background: url(javascript:steal())">x</div>', PAGE)
    assert "javascript" not in kept and "steal" not in kept


def test_ping_urls_are_left_out() -> None:
    assert feed_html('<p><a href="/x" ping="/track">Hi</a></p>', PAGE).count("track") == 0


def test_a_word_with_a_colon_is_no_script_url() -> None:
    assert 'href="https://example.org/notes/javascript"' in feed_html(
        '<p><a href="javascript">Hi</a></p>', "https://example.org/notes/x"
    )


def test_text_and_attributes_keep_every_character() -> None:
    text = "Fish & chips < \"quotes\" 'single' 🚀 数据 ما بعد"
    html = f'<p title="{text.replace("&", "&amp;").replace(chr(34), "&quot;")}">'
    html += text.replace("&", "&amp;").replace("<", "&lt;") + "</p>"
    outline = Outline(feed_html(html, PAGE))
    assert outline.text == text
    assert outline.attributes("p", "title") == [text]


def test_loose_markup_is_kept_in_shape() -> None:
    html = "<p>one<br>two<br/>three</p></div><ul><li>a<li>b</ul><hr>"
    assert feed_html(html, PAGE) == "<p>one<br>two<br>three</p><ul><li>a</li><li>b</li></ul><hr>"


def test_comments_are_left_out_and_their_neighbours_kept() -> None:
    assert feed_html("<p>a<!-- note -->b</p><!-- end -->c", PAGE) == "<p>ab</p>c"


def test_text_after_a_diagram_stays_after_its_link() -> None:
    html = feed_html('<div><pre class="mermaid">graph TD</pre>after</div>', PAGE)
    assert html.index(DIAGRAM_LINK_TEXT) < html.index("after")


def test_control_characters_and_links_that_are_no_urls_cost_nothing_else() -> None:
    html = '<p>a\x01b <a href="http://[broken">x</a> <img src="ok.png"></p>'
    outline = Outline(feed_html(html, PAGE))
    assert outline.text == "ab x "
    assert outline.attributes("a", "href") == ["http://[broken"]
    assert outline.attributes("img", "src") == [PAGE + "ok.png"]


def timed(html: str) -> tuple[str, float]:
    feed_html.cache_clear()
    start = time.perf_counter()
    out = feed_html(html, PAGE)
    return out, time.perf_counter() - start


def test_deep_nesting_is_kept_up_to_the_parser_limit() -> None:
    out, _ = timed("<div>" * 2000 + "deep text" + "</div>" * 2000 + "<p>after</p>")
    assert out.count("<div>") == 2000 and out.endswith("</div><p>after</p>")
    assert "deep text" in out


def test_nesting_past_the_parser_limit_gives_a_link_at_once() -> None:
    # 50,000 nested divs took 227 s when each end tag scanned the open elements.
    out, seconds = timed("<div>" * 50_000 + "text" + "</div>" * 50_000)
    assert seconds < 5  # a generous guard: it takes milliseconds
    assert Outline(out).attributes("a", "href") == [PAGE]
    assert NOT_SHOWN_TEXT in out


@pytest.mark.parametrize(
    "html",
    [
        "<p>" + '<a class="headerlink" href="#x">#</a>word ' * 50_000 + "</p>",
        '<figure class="chart" id="chart-1">'
        + "<details><summary>s</summary>cell </details>" * 50_000
        + "</figure>",
        '<figure class="chart">' * 1000 + "<details>" * 1000 + "x" + "</details>" * 1000,
        "<div><script>x</script>" * 2000 + "y" + "</div>" * 2000,
    ],
    ids=["wide permalinks", "wide chart data", "nested charts", "deep scripts"],
)
def test_the_rewrite_is_linear_in_the_html(html: str) -> None:
    out, seconds = timed(html)
    assert seconds < 5  # a generous guard: each takes well under a second
    assert not {"details", "summary", "script"} & set(Outline(out).tags())
