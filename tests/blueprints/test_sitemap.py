"""/sitemap.xml lists every public page with when it changed; /robots.txt points to it."""

import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from blueprints.commands import published_paths
from publishing import sitemap
from publishing.article import Article
from tests.support.site import INSTANT, REFERENCE_SLUG, SITE_URL, ArticleWriter
from tests.support.unpublished import preview_with_unpublished

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def entries(client: FlaskClient) -> dict[str, str | None]:
    """URL -> lastmod of every <url> in the sitemap."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    found = {
        url.findtext("sm:loc", namespaces=NS) or "": url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }
    assert len(found) == len(root.findall("sm:url", NS)), "a URL is listed twice"
    return found


def test_sitemap_is_xml_with_validators(client: FlaskClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert (
        client.get("/sitemap.xml", headers={"If-None-Match": response.headers["ETag"]}).status_code
        == 304
    )
    since = {"If-Modified-Since": response.headers["Last-Modified"]}
    assert client.get("/sitemap.xml", headers=since).status_code == 304


def test_sitemap_lists_lists_tags_and_articles_with_lastmod(client: FlaskClient) -> None:
    found = entries(client)
    assert set(found) == {
        f"{SITE_URL}/insights/",
        f"{SITE_URL}/tags/",
        *(
            f"{SITE_URL}/tags/{tag}/"
            for tag in (
                "ai",
                "architecture",
                "engineering",
                "open-source",
                "performance",
                "strategy",
            )
        ),
        f"{SITE_URL}/insights/how-a-request-reaches-the-model/",
        f"{SITE_URL}/insights/reading-the-latency-budget/",
        f"{SITE_URL}/insights/{REFERENCE_SLUG}/",
        f"{SITE_URL}/archive/",
    }
    assert all(W3C_DATETIME.match(lastmod or "") for lastmod in found.values()), found
    assert found[f"{SITE_URL}/insights/{REFERENCE_SLUG}/"] == "2026-01-15T09:00:00+00:00"
    # The updated date, not the first one.
    assert found[f"{SITE_URL}/insights/reading-the-latency-budget/"] == "2026-02-12T00:00:00+00:00"
    # A list changed when its newest article did.
    assert found[f"{SITE_URL}/insights/"] == "2026-03-03T00:00:00+00:00"
    assert found[f"{SITE_URL}/tags/strategy/"] == "2026-01-15T09:00:00+00:00"


def test_every_listed_page_answers(client: FlaskClient) -> None:
    for url in entries(client):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert client.get(path).status_code == 200, url


def test_every_page_of_a_long_list_is_listed(content_dir: Path) -> None:
    client = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL, "PER_PAGE": 2}
    ).test_client()
    found = entries(client)
    assert f"{SITE_URL}/insights/page/2/" in found
    assert f"{SITE_URL}/insights/page/3/" not in found
    assert f"{SITE_URL}/tags/ai/page/2/" not in found  # two articles: one page
    assert client.get("/insights/page/2/").status_code == 200


def test_drafts_and_scheduled_articles_stay_out_even_in_preview(
    content_dir: Path, write_article: ArticleWriter
) -> None:
    listed = " ".join(entries(preview_with_unpublished(content_dir, write_article)))
    assert "a-draft" not in listed and "scheduled" not in listed and "hidden" not in listed
    assert f"{SITE_URL}/tags/ai/" in listed


def test_an_empty_site_lists_its_empty_pages_without_dates(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    client = create_app({**INSTANT, "CONTENT_DIR": str(empty), "SITE_URL": SITE_URL}).test_client()
    assert entries(client) == {
        f"{SITE_URL}/insights/": None,
        f"{SITE_URL}/tags/": None,
        f"{SITE_URL}/archive/": None,
    }


@pytest.mark.parametrize(
    ("site_url", "sitemap"),
    [
        (SITE_URL, f"{SITE_URL}/sitemap.xml"),
        ("", "http://robots.test:8080/sitemap.xml"),  # no site URL: the request's host
    ],
)
def test_robots_txt_points_to_the_sitemap(content_dir: Path, site_url: str, sitemap: str) -> None:
    client = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": site_url}
        | {"ALLOWED_HOSTS": "robots.test"}  # a host besides the site's own, allowed
    ).test_client()
    response = client.get("/robots.txt", base_url="http://robots.test:8080")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {sitemap}" in lines


def urls_of(body: bytes) -> list[str]:
    return [loc.text or "" for loc in ElementTree.fromstring(body).iter(f"{{{NS['sm']}}}loc")]


def test_a_site_beyond_one_files_limit_gets_a_sitemap_index(
    client: FlaskClient, write_article: ArticleWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = set(entries(client))  # 12 URLs, one file
    assert client.get("/sitemap-1.xml").status_code == 404  # /sitemap.xml is that file
    monkeypatch.setattr(sitemap, "MAX_URLS", 5)
    write_article("new", "title: New\ndate: 2026-05-01\n")  # a new content state: 13 URLs
    index = client.get("/sitemap.xml")
    root = ElementTree.fromstring(index.data)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    parts = urls_of(index.data)
    assert parts == [f"{SITE_URL}/sitemap-{n}.xml" for n in (1, 2, 3)]
    assert root[0].findtext("sm:lastmod", namespaces=NS) == "2026-05-01T00:00:00+00:00"
    listed = []
    for part in parts:
        response = client.get(urlsplit(part).path)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
        assert ElementTree.fromstring(response.data).tag == f"{{{NS['sm']}}}urlset"
        assert len(urls_of(response.data)) <= 5
        listed += urls_of(response.data)
    assert sorted(listed) == sorted(whole | {f"{SITE_URL}/insights/new/"})
    for missing in ("/sitemap-4.xml", "/sitemap-0.xml", "/sitemap-01.xml", "/sitemap-x.xml"):
        assert client.get(missing).status_code == 404, missing


def test_no_sitemap_file_passes_the_byte_limit(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitemap, "MAX_BYTES", 700)
    parts = urls_of(client.get("/sitemap.xml").data)
    assert len(parts) > 2
    for part in parts:
        body = client.get(urlsplit(part).path).data
        assert len(body) <= 700 and urls_of(body)


def test_the_export_writes_every_sitemap_file(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 4)
    paths = published_paths(app)
    assert {"/sitemap.xml", "/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml"} <= set(paths)
    assert "/sitemap-4.xml" not in paths


def test_the_sitemap_walks_the_articles_once(
    content_dir: Path, write_article: ArticleWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(30):
        write_article(f"bulk-{n:02d}", f"title: Bulk {n}\ndate: 2025-03-01\ntags: [a{n}, b{n}]\n")
    calls = []
    real = Article.is_public
    monkeypatch.setattr(Article, "is_public", lambda self, now: calls.append(1) or real(self, now))
    client = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL}
    ).test_client()
    # articles, list pages, /tags/, tags, /archive/
    assert len(entries(client)) == 33 + 4 + 1 + 66 + 1
    assert len(calls) == 33  # once per article: not once more for each of the 66 tags


def test_series_pages_are_listed_with_their_newest_part(
    content_dir: Path, write_article: ArticleWriter
) -> None:
    write_article("part-1", "title: One\ndate: 2025-01-01\nseries: Deep Dive\n")
    write_article(
        "part-2", "title: Two\ndate: 2025-02-01\nupdated: 2025-04-01\nseries: Deep Dive\n"
    )
    write_article("later", "title: Later\ndate: 2999-01-01\nseries: Future Only\n")
    client = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL}
    ).test_client()
    found = entries(client)
    assert found[f"{SITE_URL}/series/deep-dive/"] == "2025-04-01T00:00:00+00:00"
    assert not any("future-only" in url for url in found)  # a scheduled part makes no series
    assert client.get("/series/deep-dive/").status_code == 200


def test_the_export_takes_series_pages_and_the_archive(
    app: Flask, write_article: ArticleWriter
) -> None:
    write_article("part-1", "title: One\ndate: 2025-01-01\nseries: Deep Dive\n")
    paths = published_paths(app)
    assert {"/series/deep-dive/", "/archive/", "/search/", "/opensearch.xml"} <= set(paths)
