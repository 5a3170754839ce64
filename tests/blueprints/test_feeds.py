"""RSS 2.0, Atom 1.0 and JSON Feed 1.1, site-wide and per tag, as feed readers receive them.

Every feed is parsed by feedparser (as readers do) and by a strict XML parser or json (to see the
exact bytes: feedparser sanitises content, so "no <script>" is checked on the raw document).
"""

import json
import os
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from extensions import library
from harness.servers import gunicorn
from publishing.feed_content import CHART_LINK_TEXT, DIAGRAM_LINK_TEXT
from tests.support.pages import soup
from tests.support.site import INSTANT, REFERENCE_SLUG, ROOT, SITE_URL, ArticleWriter
from tests.support.unpublished import preview_with_unpublished

SCHEMA = json.loads((ROOT / "tests/vendor/jsonfeed-schema/schema-v1.1.json").read_text())
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
CONTENT_TYPES = {
    "feed.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
SITE_FEEDS = [f"/{name}" for name in CONTENT_TYPES]
TAG_FEEDS = [f"/tags/ai/{name}" for name in CONTENT_TYPES]
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")
SPECIAL = "Fish & Chips <b>not bold</b> \"quoted\" 'single' 🚀 数据 العربية"
SPECIAL_AUTHOR = "Zoë O\u2019Brien & 山田 <x>"
SPECIAL_SUMMARY = 'A < B & "C" 🚀 — 数据'
SPECIAL_TAGS = ["Café & Co", "R&D <1>"]


def yaml_quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


# --- reading feeds --------------------------------------------------------------------------


def parsed(client: FlaskClient, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.data)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


def xml(client: FlaskClient, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return ElementTree.fromstring(response.data)


def json_feed(client: FlaskClient, url: str = "/feed.json") -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, url
    document = json.loads(response.data.decode("utf-8"))
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return document


def contents(client: FlaskClient, url: str) -> list[str]:
    """The full HTML content of each item exactly as sent, for any of the three formats."""
    if url.endswith(".json"):
        return [item["content_html"] for item in json_feed(client, url)["items"]]
    root = xml(client, url)
    if root.tag == "rss":
        return [e.text or "" for e in root.iterfind("channel/item/content:encoded", NS)]
    found = [e for e in root.iterfind("atom:entry/atom:content", NS)]
    assert all(e.get("type") == "html" for e in found)
    return [e.text or "" for e in found]


class Links(HTMLParser):
    """Every URL in an HTML fragment's href, src and srcset attributes, and the tags used."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.tags: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append(value)
            elif name == "srcset" and value:
                self.urls += [part.split()[0] for part in value.split(", ")]


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# --- every feed -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", SITE_FEEDS + TAG_FEEDS)
def test_feeds_answer_with_their_content_type_and_a_short_public_cache(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CONTENT_TYPES[url.rsplit("/", 1)[1]]
    assert response.cache_control.public
    assert response.cache_control.max_age == 300
    assert response.headers["ETag"] and response.headers["Last-Modified"]


def test_feed_max_age_is_configurable(content_dir: Path) -> None:
    app = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL, "FEED_MAX_AGE": 42}
    )
    assert app.test_client().get("/atom.xml").cache_control.max_age == 42


@pytest.mark.parametrize("url", SITE_FEEDS[:2] + TAG_FEEDS[:2])
def test_xml_feeds_parse_cleanly_newest_first(client: FlaskClient, url: str) -> None:
    feed = parsed(client, url)
    published = [parsedate_to_datetime(e.published) if url.endswith("feed.xml")
                 else datetime.fromisoformat(e.published) for e in feed.entries]  # fmt: skip
    assert published == sorted(published, reverse=True)
    assert len(feed.entries) == (3 if url in SITE_FEEDS else 2)


def test_json_feed_validates_against_the_schema(client: FlaskClient) -> None:
    feed = json_feed(client)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"] == f"{SITE_URL}/insights/"
    assert feed["feed_url"] == f"{SITE_URL}/feed.json"
    assert feed["authors"] == [{"name": "Vin Patel"}]
    assert feed["language"] == "en"
    assert [item["url"] for item in feed["items"]][-1] == f"{SITE_URL}/insights/{REFERENCE_SLUG}/"


def test_rss_channel_has_self_link_build_date_and_language(client: FlaskClient) -> None:
    channel = xml(client, "/feed.xml").find("channel")
    assert channel is not None
    assert channel.findtext("link") == f"{SITE_URL}/insights/"
    assert channel.findtext("language") == "en"
    self_link = channel.find("atom:link", NS)
    assert self_link is not None
    assert (self_link.get("rel"), self_link.get("href")) == ("self", f"{SITE_URL}/feed.xml")
    # The newest change among the articles (2026-03-03), never the time of the request.
    assert channel.findtext("lastBuildDate") == "Tue, 03 Mar 2026 00:00:00 +0000"


def test_rss_dates_are_rfc822_with_the_right_weekday(client: FlaskClient) -> None:
    items = xml(client, "/feed.xml").findall("channel/item")
    dates = [item.findtext("pubDate") or "" for item in items]
    assert all(RFC822.match(text) for text in dates), dates
    assert "Tue, 10 Feb 2026 08:30:00 +0100" in dates  # written with its +01:00 offset
    for text in dates:
        moment = parsedate_to_datetime(text)
        assert text.startswith(WEEKDAYS[moment.weekday()] + ",")


def test_rss_items_have_guid_author_tags_summary_and_content(client: FlaskClient) -> None:
    items = {i.findtext("link"): i for i in xml(client, "/feed.xml").findall("channel/item")}
    item = items[f"{SITE_URL}/insights/{REFERENCE_SLUG}/"]
    guid = item.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false"
    assert guid.text == f"tag:insights.example.org,2026-01-15:/insights/{REFERENCE_SLUG}/"
    assert item.findtext("dc:creator", namespaces=NS) == "Vin Patel"
    assert [c.text for c in item.findall("category")] == ["AI", "Open Source", "Strategy"]
    assert (item.findtext("description") or "").startswith("Open-source AI models have gone")
    assert "<h2" in (item.findtext("content:encoded", namespaces=NS) or "")


def test_atom_feed_has_id_updated_author_and_links_in_order(client: FlaskClient) -> None:
    root = xml(client, "/atom.xml")
    assert root.findtext("atom:id", namespaces=NS) == f"{SITE_URL}/insights/"
    assert root.findtext("atom:updated", namespaces=NS) == "2026-03-03T00:00:00+00:00"
    assert root.findtext("atom:author/atom:name", namespaces=NS) == "Vin Patel"
    links = [(link.get("rel"), link.get("href")) for link in root.findall("atom:link", NS)]
    assert links == [("alternate", f"{SITE_URL}/insights/"), ("self", f"{SITE_URL}/atom.xml")]


def test_atom_entries_have_rfc3339_dates_and_updated_falls_back_to_date(
    client: FlaskClient,
) -> None:
    dates = {
        (e.findtext("atom:published", namespaces=NS), e.findtext("atom:updated", namespaces=NS))
        for e in xml(client, "/atom.xml").findall("atom:entry", NS)
    }
    assert all(RFC3339.match(p or "") and RFC3339.match(u or "") for p, u in dates), dates
    assert ("2026-02-10T08:30:00+01:00", "2026-02-12T00:00:00+00:00") in dates  # has 'updated'
    assert ("2026-01-15T09:00:00+00:00", "2026-01-15T09:00:00+00:00") in dates  # falls back


def test_json_items_have_dates_with_offsets_authors_tags_and_summary(client: FlaskClient) -> None:
    items = {item["url"]: item for item in json_feed(client)["items"]}
    item = items[f"{SITE_URL}/insights/reading-the-latency-budget/"]
    assert item["date_published"] == "2026-02-10T08:30:00+01:00"
    assert item["date_modified"] == "2026-02-12T00:00:00+00:00"
    assert item["authors"] == [{"name": "Amira Haddad"}]
    assert item["tags"] == ["Performance", "Engineering"]
    assert item["summary"].startswith("A page that answers in 300 ms")  # first paragraph
    reference = items[f"{SITE_URL}/insights/{REFERENCE_SLUG}/"]
    assert reference["date_modified"] == reference["date_published"]


# --- ids ------------------------------------------------------------------------------------


def ids(client: FlaskClient) -> list[list[str]]:
    rss = [e.findtext("guid") or "" for e in xml(client, "/feed.xml").findall("channel/item")]
    atom = [e.findtext("atom:id", namespaces=NS) or ""
            for e in xml(client, "/atom.xml").findall("atom:entry", NS)]  # fmt: skip
    return [rss, atom, [item["id"] for item in json_feed(client)["items"]]]


def test_ids_are_tag_uris_shared_by_every_format(client: FlaskClient) -> None:
    rss, atom, json_ids = ids(client)
    assert rss == atom == json_ids
    newest = "/insights/how-a-request-reaches-the-model/"
    assert rss[0] == f"tag:insights.example.org,2026-03-03:{newest}"


def test_an_id_survives_a_new_title(client: FlaskClient, write_article: ArticleWriter) -> None:
    write_article("renamed", "title: First title\ndate: 2026-03-04\n")
    before = ids(client)
    write_article("renamed", "title: A better title\ndate: 2026-03-04\nsummary: Now longer.\n")
    assert json_feed(client)["items"][0]["title"] == "A better title"
    assert ids(client) == before


def test_front_matter_id_is_used_in_every_format(
    client: FlaskClient, write_article: ArticleWriter
) -> None:
    fixed = "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"
    write_article("moved", f"title: Moved here\ndate: 2026-03-04\nid: {fixed}\n")
    assert [found[0] for found in ids(client)] == [fixed] * 3
    guid = xml(client, "/feed.xml").find("channel/item/guid")
    assert guid is not None and guid.get("isPermaLink") == "false"


def test_a_front_matter_id_that_is_not_a_uri_is_reported(
    app: Flask, write_article: ArticleWriter
) -> None:
    path = write_article("bad-id", "title: Bad id\ndate: 2026-03-04\nid: my post 1\n")
    snapshot = library(app).snapshot(force=True)
    assert [p.reason for p in snapshot.problems if p.path == path] == [
        "'id' 'my post 1' must be a URI without spaces, such as "
        "tag:example.org,2026-01-15:my-article or urn:uuid:…"
    ]
    assert "bad-id" not in {a.slug for a in snapshot.articles}


def test_a_front_matter_id_with_a_control_character_is_reported_and_feeds_stay_up(
    app: Flask, client: FlaskClient, write_article: ArticleWriter
) -> None:
    path = write_article("ctl-id", 'title: Control\ndate: 2026-03-04\nid: "urn:a\\x01b"\n')
    snapshot = library(app).snapshot(force=True)
    (reason,) = [p.reason for p in snapshot.problems if p.path == path]
    assert reason.startswith("'id' ")
    for url in ("/feed.xml", "/atom.xml", "/feed.json"):
        assert client.get(url).status_code == 200


def test_ids_take_the_host_of_the_request_when_no_site_url_is_set(content_dir: Path) -> None:
    app = create_app({**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": ""})
    client = app.test_client()
    response = client.get("/feed.json", base_url="http://feeds.test:8080")
    feed = json.loads(response.data)
    assert feed["feed_url"] == "http://feeds.test:8080/feed.json"
    assert feed["items"][0]["url"].startswith("http://feeds.test:8080/insights/")
    assert feed["items"][0]["id"].startswith("tag:feeds.test,2026-03-03:/insights/")


# --- which articles -------------------------------------------------------------------------


def test_drafts_and_scheduled_articles_never_appear_even_in_preview(
    content_dir: Path, write_article: ArticleWriter
) -> None:
    client = preview_with_unpublished(content_dir, write_article)
    for url in SITE_FEEDS + TAG_FEEDS:
        body = client.get(url).data.decode()
        assert "a-draft" not in body and "scheduled" not in body, url
    # A tag that only unpublished articles carry has no public feed.
    assert client.get("/tags/hidden/feed.xml").status_code == 404


def test_feed_size_limits_the_items(content_dir: Path, write_article: ArticleWriter) -> None:
    for day in range(1, 26):
        write_article(f"day-{day}", f"title: Day {day}\ndate: 2025-12-{day:02d}\n")
    client = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL}
    ).test_client()
    assert len(parsed(client, "/feed.xml").entries) == 20
    small = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL, "FEED_SIZE": 2}
    )
    assert [item["title"] for item in json_feed(small.test_client())["items"]] == [
        "How a Request Reaches the Model",
        "Reading the Latency Budget: Where 300 ms Goes",
    ]


def test_a_tag_feed_holds_only_its_articles(client: FlaskClient) -> None:
    feed = json_feed(client, "/tags/performance/feed.json")
    assert [item["url"] for item in feed["items"]] == [
        f"{SITE_URL}/insights/reading-the-latency-budget/"
    ]
    assert feed["title"] == "#Performance · Insights"
    assert feed["home_page_url"] == f"{SITE_URL}/tags/performance/"
    assert feed["feed_url"] == f"{SITE_URL}/tags/performance/feed.json"
    rss = xml(client, "/tags/performance/feed.xml").find("channel/atom:link", NS)
    assert rss is not None and rss.get("href") == f"{SITE_URL}/tags/performance/feed.xml"


@pytest.mark.parametrize("name", CONTENT_TYPES)
def test_an_unknown_tag_has_no_feed(client: FlaskClient, name: str) -> None:
    response = client.get(f"/tags/no-such-tag/{name}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<title>" in response.get_data(as_text=True)


def test_an_empty_site_still_has_valid_feeds(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    client = create_app({**INSTANT, "CONTENT_DIR": str(empty), "SITE_URL": SITE_URL}).test_client()
    assert parsed(client, "/feed.xml").entries == []
    assert parsed(client, "/atom.xml").entries == []
    assert json_feed(client)["items"] == []


# --- content --------------------------------------------------------------------------------

RELATIVE = """---
title: Relative links
date: 2026-03-04
---
See [another article](/insights/reading-the-latency-budget/), [a sibling](../y) and
[a section](#later). ![A figure](img.png)

<img src="pics/wide.png" srcset="pics/small.png 480w, /static/big.png 1200w" alt="wide">

## Later

Done.
"""


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_every_url_in_a_feed_is_absolute(
    client: FlaskClient, write_article: ArticleWriter, url: str
) -> None:
    write_article("relative-links", raw=RELATIVE.encode())
    html = contents(client, url)
    links = Links(html[0])
    page = f"{SITE_URL}/insights/relative-links/"
    assert links.urls == [
        f"{SITE_URL}/insights/reading-the-latency-budget/",
        f"{SITE_URL}/insights/y",
        f"{page}#later",
        f"{page}img.png",
        f"{page}pics/wide.png",
        f"{page}pics/small.png",
        f"{SITE_URL}/static/big.png",
    ]
    every = [u for h in html for u in Links(h).urls] + document_urls(client, url)
    assert [u for u in every if not is_absolute(u)] == []


def document_urls(client: FlaskClient, url: str) -> list[str]:
    """The URLs a feed states outside its items' content: its pages, itself, its items."""
    if url.endswith(".json"):
        feed = json_feed(client, url)
        return [feed["home_page_url"], feed["feed_url"], *(i["url"] for i in feed["items"])]
    root = xml(client, url)
    urls = [e.get("href") or "" for e in root.iter(f"{{{NS['atom']}}}link")]
    urls += [e.text or "" for e in root.iter("link")]  # RSS's own <link> elements
    assert len(urls) >= 2 + len(contents(client, url))
    return urls


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_charts_and_diagrams_fall_back_to_tables_and_source(client: FlaskClient, url: str) -> None:
    html = contents(client, url)[0]  # how-a-request-reaches-the-model: a diagram and a chart
    page = f"{SITE_URL}/insights/how-a-request-reaches-the-model/"
    links = Links(html)
    assert not {"script", "canvas"} & links.tags
    assert "<script" not in html and "<canvas" not in html
    assert "Where a short request spends its time (%)" in html
    assert '<th scope="row">Model compute</th><td>65</td>' in html
    assert f'<a href="{page}#chart-1">{CHART_LINK_TEXT}</a>' in html
    assert '<pre><code class="language-mermaid">sequenceDiagram\n  participant U as User' in html
    assert "U-&gt;&gt;G: POST /v1/generate" in html
    assert f'<a href="{page}">{DIAGRAM_LINK_TEXT}</a>' in html


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_no_feed_carries_a_script_or_canvas(client: FlaskClient, url: str) -> None:
    for html in contents(client, url):
        assert not {"script", "canvas"} & Links(html).tags


def special_article(write_article: ArticleWriter) -> None:
    front_matter = (
        f"title: {yaml_quoted(SPECIAL)}\ndate: 2026-03-05T10:00:00+05:30\n"
        f"author: {yaml_quoted(SPECIAL_AUTHOR)}\n"
        f"tags: [{', '.join(yaml_quoted(tag) for tag in SPECIAL_TAGS)}]\n"
        f"summary: {yaml_quoted(SPECIAL_SUMMARY)}\n"
    )
    write_article("special", front_matter, "Body with Fish &amp; Chips, 🚀 and 数据.\n")


@pytest.mark.parametrize("url", SITE_FEEDS[:2])
def test_special_characters_round_trip_through_feedparser(
    client: FlaskClient, write_article: ArticleWriter, url: str
) -> None:
    special_article(write_article)
    entry = parsed(client, url).entries[0]
    assert entry.title == SPECIAL
    assert as_text(entry.summary_detail) == SPECIAL_SUMMARY
    assert entry.author == SPECIAL_AUTHOR
    assert [tag.term for tag in entry.tags] == SPECIAL_TAGS
    assert "Fish &amp; Chips, 🚀 and 数据" in entry.content[0].value


def as_text(detail: feedparser.FeedParserDict) -> str:
    """What a reader shows of a text construct: HTML is decoded, plain text taken as it is."""
    return unescape(detail.value) if detail.type == "text/html" else detail.value


SCRIPT_SUMMARY = "A summary with <script>alert('summary')</script> in it & 5 &lt; 6"


@pytest.mark.parametrize("url", SITE_FEEDS[:2])
def test_plain_text_is_escaped_in_every_field_read_as_html(
    client: FlaskClient, write_article: ArticleWriter, url: str
) -> None:
    write_article(
        "script", f"title: Script\ndate: 2026-03-05\nsummary: {yaml_quoted(SCRIPT_SUMMARY)}\n"
    )
    entry = parsed(client, url).entries[0]
    assert as_text(entry.summary_detail) == SCRIPT_SUMMARY
    raw = client.get(url).get_data(as_text=True)
    for element in ElementTree.fromstring(raw).iter():
        if element.tag == "description":  # RSS's HTML field (Atom's summary is type="text")
            assert "<script" not in (element.text or ""), "a reader would get a script element"


def test_atom_says_which_text_fields_are_text_and_which_html(client: FlaskClient) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = xml(client, "/atom.xml").find("a:entry", ns)
    assert entry.find("a:summary", ns).get("type") == "text"
    assert entry.find("a:content", ns).get("type") == "html"
    assert entry.find("a:title", ns).get("type") in (None, "text")  # Atom's default is text


def test_special_characters_round_trip_through_json(
    client: FlaskClient, write_article: ArticleWriter
) -> None:
    special_article(write_article)
    item = json_feed(client)["items"][0]
    assert item["title"] == SPECIAL
    assert item["summary"] == SPECIAL_SUMMARY
    assert item["authors"] == [{"name": SPECIAL_AUTHOR}]
    assert item["tags"] == SPECIAL_TAGS
    assert item["date_published"] == "2026-03-05T10:00:00+05:30"


def test_characters_xml_cannot_carry_are_dropped_not_fatal(
    client: FlaskClient, write_article: ArticleWriter
) -> None:
    write_article("bell", 'title: "Ring\\a the bell"\ndate: 2026-03-05\n', "Text\x0b here.\n")
    assert parsed(client, "/feed.xml").entries[0].title == "Ring the bell"
    assert parsed(client, "/atom.xml").entries[0].title == "Ring the bell"


# --- validators -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", SITE_FEEDS + TAG_FEEDS)
def test_conditional_requests_get_304(client: FlaskClient, url: str) -> None:
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url).headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    later = first.last_modified + timedelta(hours=1)
    since = later.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert client.get(url, headers={"If-Modified-Since": since}).status_code == 304
    earlier = (first.last_modified - timedelta(seconds=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_two_apps_on_the_same_files_send_the_same_bytes(content_dir: Path) -> None:
    config = {"CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL}
    one, two = create_app(config).test_client(), create_app(config).test_client()
    for url in [*SITE_FEEDS, *TAG_FEEDS, "/sitemap.xml"]:
        a, b = one.get(url), two.get(url)
        assert a.data == b.data
        assert (a.headers["ETag"], a.headers["Last-Modified"]) == (
            b.headers["ETag"],
            b.headers["Last-Modified"],
        )


def test_an_edit_changes_the_etag_and_last_modified(
    client: FlaskClient, write_article: ArticleWriter
) -> None:
    path = write_article("edited", "title: Edited\ndate: 2026-03-04\n", "First text.\n")
    first = client.get("/feed.json")
    write_article("edited", "title: Edited\ndate: 2026-03-04\n", "Second, longer text.\n")
    stamp = first.last_modified.timestamp() + 5
    os.utime(path, (stamp, stamp))
    second = client.get("/feed.json", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.last_modified > first.last_modified


# --- discovery ------------------------------------------------------------------------------


def alternates(response: Any) -> list[tuple[str, str]]:
    return [(link["type"], link["href"]) for link in soup(response).select("link[rel=alternate]")]


SITE_ALTERNATES = [
    ("application/rss+xml", f"{SITE_URL}/feed.xml"),
    ("application/atom+xml", f"{SITE_URL}/atom.xml"),
    ("application/feed+json", f"{SITE_URL}/feed.json"),
]


@pytest.mark.parametrize("url", ["/", "/insights/", "/tags/", f"/insights/{REFERENCE_SLUG}/"])
def test_every_page_links_the_site_feeds(client: FlaskClient, url: str) -> None:
    assert alternates(client.get(url)) == SITE_ALTERNATES


def test_error_pages_link_the_site_feeds(client: FlaskClient) -> None:
    response = client.get("/insights/no-such-article/")
    assert response.status_code == 404
    assert alternates(response) == SITE_ALTERNATES


def test_a_tag_page_links_its_own_feeds_first_and_visibly(client: FlaskClient) -> None:
    response = client.get("/tags/open-source/")
    tag_feeds = [
        ("application/rss+xml", f"{SITE_URL}/tags/open-source/feed.xml"),
        ("application/atom+xml", f"{SITE_URL}/tags/open-source/atom.xml"),
        ("application/feed+json", f"{SITE_URL}/tags/open-source/feed.json"),
    ]
    assert alternates(response) == tag_feeds + SITE_ALTERNATES
    visible = [a["href"] for a in soup(response).select("main a[href]")]
    for path in ("feed.xml", "atom.xml", "feed.json"):
        assert f"/tags/open-source/{path}" in visible
        assert client.get(f"/tags/open-source/{path}").status_code == 200


# --- a real gunicorn with two workers --------------------------------------------------------

ALL_FEEDS = SITE_FEEDS + TAG_FEEDS


def fetch(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    content = tmp_path_factory.mktemp("served") / "content"
    shutil.copytree(ROOT / "content", content)
    return {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": SITE_URL}


@pytest.fixture(scope="module")
def server(
    server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("log") / "access.log"
    logging = ("--access-logfile", str(log), "--access-logformat", "%(p)s %(U)s")
    with gunicorn(server_env, *logging) as base:
        yield base, log


def validators(base: str, path: str, count: int) -> set[tuple[str, str, str]]:
    """(Content-Type, ETag, Last-Modified) of ``count`` requests sent eight at a time."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: fetch(base, path), range(count)))
    assert {status for status, _ in answers} == {200}
    return {(h["Content-Type"], h["ETag"], h["Last-Modified"]) for _, h in answers}


@pytest.mark.server
class TestUnderGunicorn:
    def test_every_worker_sends_the_same_validators(self, server: tuple[str, Path]) -> None:
        base, log = server
        for path in ALL_FEEDS:
            found = validators(base, path, 40)
            assert len(found) == 1, (path, found)
            assert next(iter(found))[0] == CONTENT_TYPES[path.rsplit("/", 1)[1]]
        pids = {line.split()[0] for line in log.read_text().splitlines() if "feed" in line}
        assert len(pids) == 2, "both workers answered feed requests"

    def test_304_on_etag_and_on_last_modified(self, server: tuple[str, Path]) -> None:
        base, _ = server
        for path in ALL_FEEDS:
            status, headers = fetch(base, path)
            assert status == 200
            for condition in (
                {"If-None-Match": headers["ETag"]},
                {"If-Modified-Since": headers["Last-Modified"]},
            ):
                assert {fetch(base, path, condition)[0] for _ in range(10)} == {304}

    def test_the_same_validators_after_a_restart(
        self, server: tuple[str, Path], server_env: dict[str, str]
    ) -> None:
        base, _ = server
        running = {path: validators(base, path, 4) for path in ALL_FEEDS}
        found = []
        for _ in range(2):  # one start, a stop, and a start again
            with gunicorn(server_env) as fresh:
                found.append({path: validators(fresh, path, 4) for path in ALL_FEEDS})
        assert found == [running, running]


# --- share images ---------------------------------------------------------------------------

MEDIA = "http://search.yahoo.com/mrss/"


def shared_images(client: FlaskClient) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per format, each item's URL -> (image URL, type, size[, width, height]) as sent."""
    rss = xml(client, "/feed.xml")
    atom = xml(client, "/atom.xml")
    found: dict[str, dict[str, tuple[str, ...]]] = {"rss": {}, "atom": {}, "json": {}}
    for item in rss.iterfind("channel/item"):
        (media,) = item.findall(f"{{{MEDIA}}}content")
        assert media.get("medium") == "image"
        keys = ("url", "type", "fileSize", "width", "height")
        found["rss"][item.findtext("link") or ""] = tuple(media.get(k) or "" for k in keys)
    for entry in atom.iterfind("atom:entry", NS):
        # A link without rel is the alternate one (RFC 4287 4.2.7.2).
        (page,) = [
            e for e in entry.iterfind("atom:link", NS) if e.get("rel", "alternate") == "alternate"
        ]
        (link,) = entry.findall("atom:link[@rel='enclosure']", NS)
        found["atom"][page.get("href") or ""] = (
            link.get("href") or "",
            link.get("type") or "",
            link.get("length") or "",
        )
    for item in json_feed(client)["items"]:
        found["json"][item["url"]] = (item["image"],)
    return found


def test_every_item_carries_its_cover_or_its_card_in_every_format(
    covered_client: FlaskClient,
) -> None:
    found = shared_images(covered_client)
    page = f"{SITE_URL}/insights/photo-story/"
    cover_url = f"{page}cover.jpg"
    size = str(len(covered_client.get("/insights/photo-story/cover.jpg").data))
    assert found["rss"][page] == (cover_url, "image/jpeg", size, "1600", "900")
    assert found["atom"][page] == (cover_url, "image/jpeg", size)
    assert found["json"][page] == (cover_url,)
    reference = f"{SITE_URL}/insights/{REFERENCE_SLUG}/"
    card_url, kind, card_size, width, height = found["rss"][reference]
    assert card_url.startswith(f"{reference}_/card-") and card_url.endswith(".png")
    assert (kind, width, height) == ("image/png", "1200", "630")
    card = covered_client.get(card_url.removeprefix(SITE_URL))
    assert card.status_code == 200 and str(len(card.data)) == card_size
    assert found["atom"][reference] == (card_url, "image/png", card_size)
    assert found["json"][reference] == (card_url,)
    # Every item of every format has one, and each is the same picture in all three.
    assert set(found["rss"]) == set(found["atom"]) == set(found["json"])
    for url in found["rss"]:
        assert found["rss"][url][0] == found["atom"][url][0] == found["json"][url][0]


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_feeds_with_images_still_parse_cleanly(covered_client: FlaskClient, url: str) -> None:
    if url.endswith(".json"):
        json_feed(covered_client, url)  # validated against the JSON Feed 1.1 schema
        return
    feed = parsed(covered_client, url)
    story = next(e for e in feed.entries if e.link.endswith("/photo-story/"))
    if url == "/feed.xml":
        assert story.media_content[0]["url"].endswith("/photo-story/cover.jpg")
    else:
        assert story.enclosures[0]["href"].endswith("/photo-story/cover.jpg")
        assert story.enclosures[0]["type"] == "image/jpeg"
