import json
import threading
from datetime import UTC, datetime, timedelta

import pytest

from app import create_app
from publishing import live_index, rendering
from publishing.article import Article
from publishing.time_budget import ChildDied
from tests.support.clock import FakeClock
from tests.support.pages import asset, soup, text
from tests.support.site import INSTANT, REFERENCE_SLUG, SITE_URL

REFERENCE = f"/insights/{REFERENCE_SLUG}/"
LATENCY = "/insights/reading-the-latency-budget/"
SEQUENCE = "/insights/how-a-request-reaches-the-model/"


def test_the_list_is_at_the_root_and_at_insights_newest_first(client):
    for url in ("/", "/insights/"):
        page = soup(client.get(url))
        titles = [text(h) for h in page.select(".card h2")]
        assert titles == [
            "How a Request Reaches the Model",
            "Reading the Latency Budget: Where 300 ms Goes",
            "Why Open-Source AI Models Are Winning in 2026",
        ]
        assert page.select_one('link[rel="canonical"]')["href"] == f"{SITE_URL}/insights/"


def test_a_list_entry_has_date_reading_time_summary_and_tags(client):
    entry = soup(client.get("/")).select(".card")[2]
    assert entry.select_one("time")["datetime"] == "2026-01-15T09:00:00+00:00"
    assert "393 words · 2 mins" in text(entry.select_one(".meta"))
    assert text(entry.select_one(".summary")).startswith("Open-source AI models have gone from")
    assert [text(a) for a in entry.select(".tags a")] == ["#AI", "#Open Source", "#Strategy"]
    default_summary = soup(client.get("/")).select(".card")[1].select_one(".summary")
    assert text(default_summary).startswith("A page that answers in 300 ms feels instant")


def test_the_reference_article_reads_like_the_reference(client):
    page = soup(client.get(REFERENCE))
    skip = page.select_one("a.skip-link")
    assert text(skip) == "Skip to main content" and skip["href"] == "#main"
    assert page.select_one("main")["id"] == "main"
    assert text(page.select_one(".breadcrumb")).replace(" ", "") == "Insights/"
    assert text(page.select_one("h1")) == "Why Open-Source AI Models Are Winning in 2026"
    assert "393 words · 2 mins" in text(page.select_one(".article-head .meta"))
    assert text(page.select_one(".author-name")) == "Vin Patel"
    headings = page.select(".prose h2")
    assert len(headings) == 7
    for heading in headings:
        link = heading.select_one("a.headerlink")
        assert text(link) == "#" and link["href"] == f"#{heading['id']}"
        assert heading.contents[-1] is link  # the mark trails the heading text


def test_every_page_has_title_description_canonical_and_open_graph(client):
    for url in ("/", "/tags/", "/tags/ai/", REFERENCE, LATENCY):
        page = soup(client.get(url))
        assert text(page.title)
        assert page.select_one('meta[name="description"]')["content"]
        canonical = page.select_one('link[rel="canonical"]')["href"]
        assert canonical == f"{SITE_URL}{url if url != '/' else '/insights/'}"
        assert page.select_one('meta[property="og:url"]')["content"] == canonical
        assert page.select_one('meta[property="og:title"]')["content"]
        assert page.select_one('meta[name="viewport"]')["content"].startswith("width=device-width")


def test_article_pages_carry_json_ld(client):
    page = soup(client.get(LATENCY))
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Reading the Latency Budget: Where 300 ms Goes"
    assert data["datePublished"] == "2026-02-10T08:30:00+01:00"
    assert data["dateModified"] == "2026-02-12T00:00:00+00:00"
    assert data["author"] == {"@type": "Person", "name": "Amira Haddad"}
    assert data["url"] == f"{SITE_URL}{LATENCY}"
    assert page.select_one('meta[property="og:type"]')["content"] == "article"


def test_article_shows_updated_date_tags_toc_and_neighbours(client):
    page = soup(client.get(LATENCY))
    meta = text(page.select_one(".article-head .meta"))
    assert "February 10, 2026" in meta and "Updated February 12, 2026" in meta
    assert [a["href"] for a in page.select(".article-head .tags a")] == [
        "/tags/performance/",
        "/tags/engineering/",
    ]
    assert page.select_one('.toc-box a[href="#where-the-time-goes"]')
    assert page.select_one('a[rel="prev"]')["href"] == REFERENCE
    assert page.select_one('a[rel="next"]')["href"] == SEQUENCE
    assert soup(client.get(REFERENCE)).select_one(".toc-box") is None


def _scripts(page) -> tuple[list[str], list]:
    sources = [s["src"] for s in page.select("script[src]")]
    inline = [s for s in page.select("script:not([src])")]
    return sources, inline


def test_chart_and_diagram_code_loads_only_on_pages_that_need_it(client, write_article):
    write_article("plain", "title: Plain\ndate: 2026-01-01\n", "Just words.\n")
    expected = {
        REFERENCE: (True, True),
        LATENCY: (True, False),
        SEQUENCE: (True, True),
        "/insights/plain/": (False, False),
        "/": (False, False),
        "/tags/ai/": (False, False),
    }
    for url, (chart, diagram) in expected.items():
        urls, inline = _scripts(soup(client.get(url)))
        sources = [asset(source) for source in urls]  # every script is one of ours
        assert ("vendor/chartjs/chart.umd.min.js" in sources) is chart, url
        assert ("js/charts.js" in sources) is chart, url
        assert ("js/diagrams.js" in sources) is diagram, url
        assert not any("mermaid" in s for s in sources), url  # diagrams.js imports it lazily
        assert all(s["type"] in ("application/json", "application/ld+json") for s in inline), url


def test_the_reference_chart_uses_only_the_stated_figures(client):
    page = soup(client.get(REFERENCE))
    config = json.loads(page.select_one("script.chart-config").string)
    assert config["data"]["labels"] == ["2024", "2026 (projected)"]
    assert config["data"]["datasets"][0]["data"] == [80, 90]
    rows = [text(row) for row in page.select(".chart-data tbody tr")]
    assert rows == ["2024 80", "2026 (projected) 90"]
    diagram = page.select_one("pre.mermaid")
    assert diagram.get_text().startswith("graph TD\n  A[Model Development] --> B[Model Training]")


def test_tag_pages_list_their_articles_and_unknown_tags_are_404(client):
    page = soup(client.get("/tags/ai/"))
    assert text(page.select_one("h1")) == "#AI"
    assert len(page.select(".card")) == 2
    assert client.get("/tags/nothing-here/").status_code == 404
    tags = soup(client.get("/tags/"))
    assert "#Performance" in text(tags.select_one(".tag-cloud"))


def test_lists_are_paginated_ten_a_page(client, write_article):
    for n in range(12):
        write_article(f"bulk-{n:02d}", f"title: Bulk {n}\ndate: 2025-01-{n + 1:02d}\ntags: [ai]\n")
    first = soup(client.get("/insights/"))
    assert len(first.select(".card")) == 10
    assert first.select_one('.pagination a[rel="next"]')["href"] == "/insights/page/2/"
    second = soup(client.get("/insights/page/2/"))
    assert [text(h) for h in second.select(".card h2")][-1] == "Bulk 0"
    assert second.select_one('.pagination a[rel="prev"]')["href"] == "/insights/"
    assert second.select_one('link[rel="canonical"]')["href"] == f"{SITE_URL}/insights/page/2/"
    tag_two = soup(client.get("/tags/ai/page/2/"))
    assert len(tag_two.select(".card")) == 4
    assert tag_two.select_one('.pagination a[rel="prev"]')["href"] == "/tags/ai/"
    assert client.get("/insights/page/1/").headers["Location"].endswith("/insights/")
    assert client.get("/tags/ai/page/1/").headers["Location"].endswith("/tags/ai/")
    assert client.get("/insights/?page=2").data == client.get("/insights/").data
    for bad in ("3", "0", "-1", "abc", "1.5", "99999999999", ""):
        response = client.get(f"/insights/page/{bad}/", follow_redirects=True)
        assert response.status_code == 404, bad


def test_drafts_are_hidden_unless_previews_are_on(client, write_article, content_dir):
    write_article("wip", "title: Work in progress\ndate: 2026-01-01\ndraft: true\n")
    assert client.get("/insights/wip/").status_code == 404
    assert "Work in progress" not in client.get("/").get_data(as_text=True)
    previews = {**INSTANT, "CONTENT_DIR": str(content_dir), "SHOW_DRAFTS": True}
    client = create_app(previews).test_client()
    page = soup(client.get("/insights/wip/"))
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert "Work in progress" in client.get("/").get_data(as_text=True)


def test_a_scheduled_article_appears_by_itself_when_its_date_passes(content_dir, write_article):
    clock = FakeClock()
    client = create_app({**INSTANT, "CONTENT_DIR": str(content_dir)}, clock=clock).test_client()
    due = datetime.fromtimestamp(clock.time(), UTC) + timedelta(hours=1)
    write_article("soon", f"title: Soon\ndate: {due.isoformat()}\n")
    assert client.get("/insights/soon/").status_code == 404
    assert "Soon" not in client.get("/").get_data(as_text=True)
    clock.advance(3601)
    assert client.get("/insights/soon/").status_code == 200
    assert "Soon" in client.get("/").get_data(as_text=True)


def test_an_edit_an_addition_and_a_deletion_show_on_the_next_request(client, write_article):
    path = write_article("fresh", "title: Fresh\ndate: 2026-01-01\n", "First words.\n")
    assert "First words." in client.get("/insights/fresh/").get_data(as_text=True)
    path.write_text("---\ntitle: Fresh\ndate: 2026-01-01\n---\nSecond words, longer now.\n")
    assert "Second words, longer now." in client.get("/insights/fresh/").get_data(as_text=True)
    path.unlink()
    assert client.get("/insights/fresh/").status_code == 404


@pytest.mark.parametrize(
    "raw",
    [
        b"---\ntitle: [broken\n---\nx",
        b"---\ntitle: \xff\xfe\ndate: 2026-01-01\n---\nx",
        b"---\ndate: 2026-01-01\n---\nx",
        b"---\ntitle: No date\n---\nx",
        b"---\ntitle: Empty\ndate: 2026-01-01\n---\n",
        b"---\ntitle: Twin\ndate: 2026-01-01\nslug: why-open-source-ai-models-are-winning-in-2026\n"
        b"---\nx",
    ],
)
def test_a_bad_file_is_skipped_and_everything_else_is_served(client, write_article, raw):
    write_article("zz-bad", raw=raw)
    listing = client.get("/")
    assert listing.status_code == 200
    assert len(soup(listing).select(".card")) == 3
    assert client.get("/insights/zz-bad/").status_code == 404
    reference = soup(client.get(REFERENCE))
    assert text(reference.select_one("h1")) == "Why Open-Source AI Models Are Winning in 2026"


def test_front_matter_text_is_escaped(client, write_article):
    write_article(
        "xss",
        "title: '<script>alert(1)</script> & co'\ndate: 2026-01-01\n"
        "tags: ['<b>bold</b>']\nauthor: '<i>me</i>'\n",
    )
    body = client.get("/insights/xss/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "<b>bold</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in body
    assert "<i>me</i>" not in body


def test_pages_answer_conditional_requests_with_304(client, write_article):
    first = client.get(REFERENCE)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert client.get(REFERENCE, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(REFERENCE, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(REFERENCE, headers={"If-None-Match": '"other"'}).status_code == 200
    listing = client.get("/")
    assert client.get("/", headers={"If-None-Match": listing.headers["ETag"]}).status_code == 304
    write_article("newer", "title: Newer\ndate: 2026-05-01\n")
    after = client.get("/", headers={"If-None-Match": listing.headers["ETag"]})
    assert after.status_code == 200 and "Newer" in after.get_data(as_text=True)
    assert after.headers["ETag"] != listing.headers["ETag"]


def test_head_answers_like_get_without_a_body(client):
    head = client.head(REFERENCE)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == client.get(REFERENCE).headers["ETag"]


def test_a_trailing_slash_is_added_by_redirect(client):
    response = client.get(f"/insights/{REFERENCE_SLUG}")
    assert response.status_code == 308
    assert response.headers["Location"].endswith(REFERENCE)


def test_tags_in_any_script_have_their_own_pages(client, write_article):
    write_article("ru", "title: Новости недели\ndate: 2026-01-02\ntags: [Новости, C#]\n")
    write_article("cpp", "title: Templates\ndate: 2026-01-03\ntags: [C++]\n")
    assert client.get("/insights/ru/").status_code == 200
    page = soup(client.get("/tags/новости/"))
    assert text(page.select_one("h1")) == "#Новости"
    assert [text(h) for h in page.select(".card h2")] == ["Новости недели"]
    assert [text(h) for h in soup(client.get("/tags/c-sharp/")).select(".card h2")] == [
        "Новости недели"
    ]
    assert [text(h) for h in soup(client.get("/tags/c-plus-plus/")).select(".card h2")] == [
        "Templates"
    ]
    links = [a["href"] for a in soup(client.get("/insights/ru/")).select(".article-head .tags a")]
    assert links == ["/tags/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/", "/tags/c-sharp/"]


def test_an_article_of_charts_only_never_says_zero_words(client, write_article):
    chart = "```chart\ntype: bar\ndata: {labels: [a], datasets: [{data: [1]}]}\n```\n"
    write_article("charts", "title: Charts\ndate: 2026-01-01\n", chart + "\n" + chart)
    write_article("one", "title: One\ndate: 2026-01-01\n", "Hello.\n")
    meta = text(soup(client.get("/insights/charts/")).select_one(".article-head .meta"))
    assert "0 words" not in meta and meta.endswith("2 charts · 1 min")
    assert text(soup(client.get("/insights/one/")).select_one(".meta")).endswith("1 word · 1 min")


def test_unknown_tags_and_pages_404_without_walking_the_articles(client, monkeypatch):
    assert client.get("/tags/ai/").status_code == 200  # the content state's view is built
    calls = []
    real = Article.is_public
    monkeypatch.setattr(Article, "is_public", lambda self, now: calls.append(1) or real(self, now))
    for path in ("/tags/nope/", "/tags/nope/feed.xml", "/tags/ai/page/999/", "/insights/page/9/"):
        assert client.get(path).status_code == 404, path
    assert client.get(REFERENCE).status_code == 200
    assert client.get("/tags/ai/").status_code == 200
    assert calls == []


def test_an_article_that_opens_with_an_image_is_summarised_by_its_first_text(client, write_article):
    write_article("pic", "title: Pic\ndate: 2026-11-29\n", "![A chart](a.png)\n\nReal text here.\n")
    page = soup(client.get("/insights/pic/"))
    assert page.select_one('meta[name="description"]')["content"] == "Real text here."
    assert text(soup(client.get("/")).select(".card")[0].select_one(".summary")) == (
        "Real text here."
    )
    item = client.get("/feed.json").get_json()["items"][0]
    assert item["summary"] == "Real text here."


def test_an_article_ends_with_up_to_three_related_public_articles(client, write_article) -> None:
    for n in range(5):
        write_article(f"kin-{n}", f"title: Kin {n}\ndate: 2026-05-0{n + 1}\ntags: [Rare]\n")
    write_article("kin-draft", "title: Kin draft\ndate: 2026-05-09\ntags: [Rare]\ndraft: true\n")
    related = soup(client.get("/insights/kin-0/")).select(".related li a")
    hrefs = [a["href"] for a in related]
    assert len(hrefs) == 3 and "/insights/kin-0/" not in hrefs
    assert all(h.startswith("/insights/kin-") and "draft" not in h for h in hrefs)


def test_a_series_part_says_where_it_stands_and_links_every_part(client, write_article) -> None:
    write_article("s-b", "title: Second\ndate: 2026-05-01\nseries: Deep Dive\nseries_order: 2\n")
    write_article("s-a", "title: First\ndate: 2026-05-02\nseries: Deep Dive\nseries_order: 1\n")
    write_article("s-c", "title: Third\ndate: 2026-05-03\nseries: deep dive\n")
    box = soup(client.get("/insights/s-b/")).select_one(".series-box")
    assert text(box.select_one("p")) == "Part 2 of 3 of Deep Dive"
    assert box.select_one("p a")["href"] == "/series/deep-dive/"
    assert [text(li) for li in box.select("li")] == ["First", "Second", "Third"]
    assert text(box.select_one('[aria-current="page"]')) == "Second"
    assert [a["href"] for a in box.select("li a")] == ["/insights/s-a/", "/insights/s-c/"]
    assert not soup(client.get(REFERENCE)).select(".series-box")

    page = soup(client.get("/series/deep-dive/"))
    assert text(page.select_one("h1")) == "Deep Dive"
    assert [text(h) for h in page.select(".card h2")] == ["First", "Second", "Third"]
    assert client.get("/series/no-such-series/").status_code == 404


def test_the_archive_lists_every_public_article_by_year_and_month_newest_first(
    client, write_article
) -> None:
    write_article("old", "title: Old one\ndate: 2024-07-04\n")
    write_article("hidden", "title: Hidden\ndate: 2024-07-05\ndraft: true\n")
    page = soup(client.get("/archive/"))
    years = [text(h) for h in page.select(".archive-year h2")]
    assert years == ["2026 3 articles", "2024 1 article"]
    months = [text(h) for h in page.select(".archive-year h3")]
    assert months == ["March 1", "February 1", "January 1", "July 1"]
    assert [text(a) for a in page.select(".archive-list a")][-1] == "Old one"
    assert "Hidden" not in text(page)
    footer = soup(client.get("/")).select_one("footer")
    assert footer.select_one('a[href="/archive/"]')


def test_an_article_shown_before_the_first_index_build_is_not_kept_in_the_cache(
    content_dir, monkeypatch
):
    # A large site's worker sends its first article page without related articles rather than
    # wait for the index (seconds at 10,000 articles); the response cache must not keep it so.
    monkeypatch.setattr(live_index, "SYNC_BUILD_ARTICLES", 0)
    fresh = create_app({**INSTANT, "CONTENT_DIR": str(content_dir)})
    client = fresh.test_client()
    first = soup(client.get(REFERENCE))
    for thread in [t for t in threading.enumerate() if t.name == "insights-index"]:
        thread.join(30)
    later = soup(client.get(REFERENCE))
    assert first.select(".related a") == []
    assert later.select(".related a"), "the next request is rendered with them, not a cached copy"


def test_a_page_whose_render_was_lost_with_its_child_is_not_kept(client, monkeypatch):
    def losing(seconds, function, *args):
        raise ChildDied(-9)

    monkeypatch.setattr(rendering._children, "run", losing)
    paths = ("/", LATENCY, "/feed.xml", "/tags/performance/")
    answers = {path: client.get(path) for path in paths}
    lost = {path: answer.get_data(as_text=True) for path, answer in answers.items()}
    assert "exit code -9" in lost[LATENCY] and "exit code -9" in lost["/feed.xml"]
    # Nor by a browser, reader or proxy, which would otherwise be told to keep it with a 304.
    assert {path: answer.cache_control.no_store for path, answer in answers.items()} == (
        dict.fromkeys(paths, True)
    )
    monkeypatch.undo()  # the children are back: the next visitor gets the articles
    for path in paths:
        again = client.get(path)
        assert again.cache_control.public and not again.cache_control.no_store, path
        text = again.get_data(as_text=True)
        assert text != lost[path] and "exit code -9" not in text, path
