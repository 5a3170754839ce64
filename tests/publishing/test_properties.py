"""Property-based tests: whatever an author writes, reading and rendering never raise
anything but their own errors, and what they produce is well-formed."""

import json
import re
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extensions import library
from publishing.chart_data import parse_chart
from publishing.charts import ChartError, chart_html
from publishing.diagrams import diagram_html
from publishing.markup import convert
from publishing.metadata import FIELDS
from publishing.reader import ArticleError, read_article
from tests.support.hostile_input import billion_laughs

VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr", "source"}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def assert_well_formed(html: str) -> None:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], f"unclosed {parser.stack}"


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
front_matter = st.dictionaries(st.sampled_from([*FIELDS, "extra", "id"]), values, max_size=9)


def _yaml_safe(value):
    """Times with zone objects PyYAML cannot write become ISO text, as an author would type."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()
    if isinstance(value, list):
        return [_yaml_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _yaml_safe(v) for k, v in value.items()}
    return value


@SETTINGS
@given(front_matter, st.text(max_size=200))
def test_any_front_matter_gives_an_article_or_an_article_error(meta, body):
    data = f"---\n{yaml.safe_dump(_yaml_safe(meta), allow_unicode=True)}---\n{body}".encode()
    try:
        article = read_article(Path("x.md"), data, author="A", tz=ZoneInfo("UTC"))
    except ArticleError as exc:
        assert str(exc)
    else:
        assert article.title.strip() and article.body.strip()
        assert isinstance(article.date, datetime) and article.date.tzinfo is not None


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_give_an_article_or_an_article_error(data):
    try:
        read_article(Path("x.md"), b"---\n" + data, author="A", tz=ZoneInfo("UTC"))
    except ArticleError as exc:
        assert str(exc)


markdown_text = st.lists(
    st.sampled_from([*"abc xyz 123\n#*_-+>`|:[]()!.~=", "\n\n", "```", "    ", "1. "]),
    max_size=120,
).map("".join)


@SETTINGS
@given(markdown_text)
def test_any_markdown_without_raw_html_renders_to_balanced_html(text):
    html, toc, notes = convert(text)
    assert_well_formed(html)
    assert_well_formed(toc)
    assert notes.charts == notes.diagrams == 0


labels = st.one_of(
    st.text(max_size=20),
    st.integers(-(2**53 - 1), 2**53 - 1),  # what JavaScript numbers hold exactly
    st.sampled_from(
        ["</script><script>window.x=1</script>", '<img src=x onerror="y()">', "&amp;", "\u2028"]
    ),
)
numbers = st.one_of(st.none(), st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53 - 1), 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
    | labels,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
# Options as authors write them, odd ones included: {plugins: null}, {plugins: {title: "x"}}.
options = st.dictionaries(
    st.sampled_from(["plugins", "scales", "indexAxis", "x"]),
    st.one_of(json_values, st.fixed_dictionaries({}, optional={"title": json_values})),
    max_size=3,
)
configs = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["bar", "line", "pie", "doughnut", "radar", "polarArea"]),
        "data": st.fixed_dictionaries(
            {
                "labels": st.lists(labels, max_size=6),
                "datasets": st.lists(
                    st.fixed_dictionaries({"label": labels, "data": st.lists(numbers, max_size=6)}),
                    min_size=1,
                    max_size=3,
                ),
            }
        ),
    },
    optional={"options": options},
)


@SETTINGS
@given(configs, st.integers(1, 500))
def test_any_usable_chart_becomes_well_formed_html_whose_data_round_trips(config, number):
    source = json.dumps(config)
    assert parse_chart(source)[0] == config
    html = chart_html(config, number)
    assert_well_formed(html)
    data = re.search(r'class="chart-config">(.*?)</script>', html, re.S).group(1)
    assert json.loads(data) == config
    assert "<img" not in html and "<script>" not in html


@SETTINGS
@given(st.text(max_size=300))
def test_any_chart_block_is_a_chart_or_a_chart_error(source):
    try:
        parse_chart(source)[0]
    except ChartError as exc:
        assert str(exc)


@SETTINGS
@given(st.text(max_size=300))
def test_any_chart_or_diagram_fence_renders_without_raising(source):
    fence_source = source.replace("`", "'")
    html, _, notes = convert(f"```chart\n{fence_source}\n```\n\n```mermaid\n{fence_source}\n```")
    assert notes.charts + notes.diagrams + len(notes.problems) == 2
    assert_well_formed(html)


@SETTINGS
@given(st.text(max_size=300))
def test_any_diagram_source_round_trips_as_text(text):
    source = "flowchart LR\n" + text  # a type Mermaid knows: the rest is any text at all
    html = diagram_html(source)
    assert_well_formed(html)
    inner = html.removeprefix('<pre class="mermaid">').removesuffix("</pre>")
    assert unescape(inner) == source.strip("\n")


# Raw front matter text as typos, pastes and attacks make it: not dumps of valid values.
_yaml_keys = st.sampled_from(
    [*FIELDS, "extra", "? [a, b]", "<<", "1", "null", "- title", "title ", "&k title", "*k"]
)
_yaml_values = st.one_of(
    st.sampled_from(
        [
            "2026-02-30",
            "2026-13-01",
            "2026-01-01 25:00:00",
            "0000-01-01",
            "9999-12-31T23:59:59-23:00",
            "0001-01-01T00:00:00+05:00",
            "2026-1-5 9:30:00 +2",
            "!!timestamp 2026-02-30",
            "!!binary aGk=",
            "!!set {a, b}",
            "!!omap [a: 1]",
            "!!python/name:os.system",
            "!!float nope",
            "9" * 5000,
            "&a [1, 2]",
            "*a",
            "*nowhere",
            "{a: *a}",
            "[[[[[[",
            "[" * 70 + "]" * 70,
            "{x: {y: {z: [1, {w: 2}]}}}",
            "|\n  block\n  text",
            ">-\n  folded",
            "'unclosed",
            '"\\x00\\ud800"',
            "\t",
            "%YAML 1.1",
            "@at",
            "`tick",
            ".inf",
            "-.nan",
            "0x1F",
            "0o17",
            "1_000",
            "190:20:30",
            "~",
            "yes",
            "<script>x</script>",
        ]
    ),
    st.text(max_size=20),
)
_yaml_line = st.tuples(_yaml_keys, _yaml_values).map(lambda kv: f"{kv[0]}: {kv[1]}")
_laughs = billion_laughs()
raw_front_matter = st.one_of(
    st.lists(_yaml_line, max_size=8).map("\n".join),
    st.just(_laughs),
    st.text(max_size=200),
).map(lambda text: f"title: T\ndate: 2026-01-01\n{text}\n")
raw_markdown = st.one_of(
    markdown_text,
    st.sampled_from(["[" * 300, "[a](" * 200, "![a](" * 200, "[^" * 200, "*[" * 200]),
    st.sampled_from(["<div>" * 300, "<http://" * 100, "```chart\n{a: *a}\n```", "```mermaid\n```"]),
    st.text(max_size=300),
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw_front_matter, raw_markdown)
def test_any_file_gives_a_working_site_with_an_article_or_a_problem(front, body):
    """Scan, page, feeds and health: nothing one file holds makes any of them fail."""
    app, folder = _PROBE_SITE
    (folder / "probe.md").write_text(f"---\n{front}---\n{body}\n", errors="surrogatepass")
    client = app.test_client()
    snapshot = library(app).snapshot(force=True)
    probe = [a for a in snapshot.articles if a.path.name == "probe.md"]
    problems = [p for p in snapshot.problems if p.path.name == "probe.md"]
    assert len(probe) + len(problems) == 1
    assert client.get("/healthz").status_code == 200
    for url in ["/", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/tags/"]:
        assert client.get(url).status_code == 200, url
    if probe:
        assert client.get(f"/insights/{probe[0].slug}/").status_code == 200


def _probe_site():
    import tempfile

    from app import create_app

    folder = Path(tempfile.mkdtemp()) / "content"
    folder.mkdir()
    (folder / "stays.md").write_text("---\ntitle: Stays\ndate: 2026-01-01\n---\nStays.\n")
    app = create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": str(folder),
            "SITE_URL": "https://insights.example.org",
            "RESCAN_INTERVAL": 0,
            "QUIET_SECONDS": 0,
            "RESPONSE_CACHE_BYTES": 0,
        }
    )
    return app, folder


_PROBE_SITE = _probe_site()
