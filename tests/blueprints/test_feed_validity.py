"""The feeds, covers and cards included, against what their specifications require.

The W3C Feed Validation Service is neither on PyPI nor in Debian, so it cannot run here. Atom
is checked by Jing against RFC 4287's RELAX NG grammar (``tests/vendor/atom``) and by the
RFC's Schematron rules written as assertions; RSS 2.0 and Media RSS by the rules of their
specifications that a schema would hold (required elements, dates, attribute types). JSON Feed
is checked against its schema in ``test_feeds.py``.
"""

import re
import shutil
import subprocess
from email.utils import parsedate_to_datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient

from app import create_app
from tests.support.site import INSTANT, ROOT, SITE_URL, ArticleWriter

ATOM_GRAMMAR = ROOT / "tests/vendor/atom/atom.rnc"
ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
MIME_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
MEDIA_KINDS = {"image", "audio", "video", "document", "executable"}
ATOM_FEEDS = ["/atom.xml", "/tags/ai/atom.xml"]
RSS_FEEDS = ["/feed.xml", "/tags/ai/feed.xml"]
RFC822_DATE = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")


def jing(grammar: Path, document: Path) -> subprocess.CompletedProcess[str]:
    found = shutil.which("jing")
    assert found, "no jing on PATH: scripts/test installs Debian's package jing"
    return subprocess.run(
        [found, "-c", str(grammar), str(document)], capture_output=True, text=True, timeout=120
    )


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    """Jing's messages, without the start-up warnings of Debian's wrapper script."""
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if line and not line.startswith("[warning]")]


@pytest.mark.parametrize("url", ATOM_FEEDS)
def test_atom_feeds_follow_the_rfc_4287_grammar(
    covered_client: FlaskClient, url: str, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(covered_client.get(url).data)
    result = jing(ATOM_GRAMMAR, feed)
    assert result.returncode == 0 and not errors(result), errors(result)


def test_jing_refuses_an_atom_feed_that_breaks_the_grammar(
    covered_client: FlaskClient, tmp_path: Path
) -> None:
    """The check above can fail: an entry without its id, a link with no href."""
    text = covered_client.get("/atom.xml").get_data(as_text=True)
    broken = re.sub(r"<entry><id>[^<]*</id>", "<entry>", text, count=1)
    broken = broken.replace('<link href="', '<link hreff="', 1)
    feed = tmp_path / "broken.xml"
    feed.write_text(broken)
    result = jing(ATOM_GRAMMAR, feed)
    assert result.returncode != 0
    assert any('"hreff" not allowed' in line for line in errors(result)), errors(result)
    assert any('"id"' in line for line in errors(result)), errors(result)


@pytest.mark.parametrize("url", ATOM_FEEDS)
def test_atom_feeds_keep_the_rules_of_rfc_4287_that_its_grammar_cannot(
    covered_client: FlaskClient, url: str
) -> None:
    feed = ElementTree.fromstring(covered_client.get(url).data)
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    feed_has_author = feed.find(f"{ATOM}author") is not None
    for entry in [feed, *entries]:
        alternates = [
            (link.get("type"), link.get("hreflang"))
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == len(set(alternates)), "one alternate link per type and language"
    for entry in entries:
        assert feed_has_author or entry.find(f"{ATOM}author") is not None
        content = entry.find(f"{ATOM}content")
        assert content is not None or any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{ATOM}link")
        ), "an entry without content needs an alternate link"
        for link in entry.findall(f"{ATOM}link[@rel='enclosure']"):
            assert MIME_TYPE.match(link.get("type", "")), link.attrib
            assert link.get("length", "").isdigit() and int(link.get("length")) > 0, link.attrib


@pytest.mark.parametrize("url", RSS_FEEDS)
def test_rss_feeds_keep_the_rules_of_rss_2_and_media_rss(
    covered_client: FlaskClient, url: str
) -> None:
    rss = ElementTree.fromstring(covered_client.get(url).data)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    (channel,) = rss.findall("channel")
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), required
    items = channel.findall("item")
    assert items
    media_seen = 0
    for item in items:
        assert item.findtext("title") or item.findtext("description")
        parsedate_to_datetime(item.findtext("pubDate") or "")  # RFC 822, or it raises
        for media in item.findall(f"{MEDIA}content"):
            media_seen += 1
            assert media.get("url", "").startswith("https://"), media.attrib
            assert MIME_TYPE.match(media.get("type", "")), media.attrib
            assert media.get("medium") in MEDIA_KINDS, media.attrib
            for number in ("fileSize", "width", "height"):
                value = media.get(number)
                assert value is None or (value.isdigit() and int(value) > 0), (number, value)
        # Media RSS elements sit in items or in a media:group, never loose in the channel.
    assert channel.find(f"{MEDIA}content") is None
    assert media_seen == len(items), "every item carries its cover or its card"


def test_feeds_stay_valid_at_the_extreme_dates_front_matter_allows(
    content_dir: Path, write_article: ArticleWriter, tmp_path: Path
) -> None:
    """The earliest date and offset, and the latest, are written as valid RFC 822 and RFC 3339
    dates; an offset in seconds or a year before 1000 is refused, so never reaches a feed."""
    dates = "date: 1000-01-01T00:00:00-12:00\nupdated: 9999-12-31T23:59:59+14:00\n"
    write_article("earliest", f"title: Earliest\n{dates}")
    write_article("seconds", "title: Seconds\ndate: 2026-01-01T00:00:00+23:59:59.999999\n")
    write_article("year-one", "title: Year one\ndate: 0001-01-01\n")
    config = {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL}
    client = create_app(config).test_client()

    channel = ElementTree.fromstring(client.get("/feed.xml").data).find("channel")
    assert channel is not None
    published = {item.findtext("title"): item.findtext("pubDate") for item in channel.iter("item")}
    assert published["Earliest"] == "Wed, 01 Jan 1000 00:00:00 -1200"
    assert "Seconds" not in published and "Year one" not in published
    for text in [*published.values(), channel.findtext("lastBuildDate")]:
        assert RFC822_DATE.match(text or ""), text
        parsedate_to_datetime(text or "")

    feed = tmp_path / "atom.xml"
    feed.write_bytes(client.get("/atom.xml").data)
    assert "9999-12-31T23:59:59+14:00" in feed.read_text()
    result = jing(ATOM_GRAMMAR, feed)
    assert result.returncode == 0 and not errors(result), errors(result)
