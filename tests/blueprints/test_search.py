"""/search/ through the test client: results, ranking, tag filter, pages, hostile queries, the
response cache, and /opensearch.xml."""

from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from publishing.markdown_text import one_line
from publishing.search_query import parse
from tests.support.pages import soup, text
from tests.support.site import INSTANT, SITE_URL, ArticleWriter

HOSTILE = [
    '"unclosed',
    '""',
    "AND(",
    "model AND( NEAR(a b)",
    "NEAR",
    "*",
    "-",
    "-model",
    ":",
    "title:model",
    "text: tags:",
    "^model",
    "mod\x00el\x1b[31m\u202e",
    "🙂🚀",
    "model " * 1000,  # 6,000 characters
    "x" * 5000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "&amp; &lt;",
]


def titles(response) -> list[str]:
    """The titles of the results, from a search page that answered (an error page has none)."""
    assert response.status_code == 200 and soup(response).select_one(".search-results")
    return [text(a) for a in soup(response).select(".search-hits h2 a")]


def shape(response) -> list[str]:
    """The page's elements, in order, by name: what markup in a query would change."""
    return [element.name for element in soup(response).find_all(True)]


def input_value(response) -> str:
    return soup(response).select_one("#search-page-q")["value"]


def test_a_word_finds_its_articles_with_title_date_tags_and_marked_snippet(client):
    response = client.get("/search/?q=model")
    assert response.status_code == 200
    page = soup(response)
    first = page.select_one(".search-hits .card")
    assert text(first.select_one("h2")) == "How a Request Reaches the Model"
    assert first.select_one("h2 a")["href"] == "/insights/how-a-request-reaches-the-model/"
    assert first.select_one("time")["datetime"] == "2026-03-03T00:00:00+00:00"
    assert [text(a) for a in first.select(".tags a")] == ["#AI", "#Architecture"]
    assert [text(m) for m in first.select(".snippet mark")] == ["model"]
    # "models" is found by its stem, and marked as written
    assert "models" in [text(m) for m in page.select(".snippet mark")]
    assert "2 results for model" in text(page.select_one(".search-summary"))


def test_search_pages_are_noindex_in_the_layout_with_a_labelled_search_form(client):
    page = soup(client.get("/search/?q=model"))
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one("header.site-header") and page.select_one("footer.site-footer")
    form = page.select_one('main form[role="search"]')
    assert form["method"] == "get" and form["action"] == "/search/"
    assert page.select_one(f'label[for="{form.select_one("input")["id"]}"]')


def test_ranking_puts_a_title_match_before_a_tag_match_before_a_body_match(
    client, write_article: ArticleWriter
):
    write_article("in-body", "title: Body\ndate: 2026-06-03\n", "A text about zeppelin travel.\n")
    write_article("in-tags", "title: Tags\ndate: 2026-06-02\ntags: [zeppelin]\n")
    write_article("in-title", "title: Zeppelin\ndate: 2026-06-01\n")
    write_article("elsewhere", "title: Other\ndate: 2026-06-04\n", "Nothing to see.\n")
    assert titles(client.get("/search/?q=zeppelin")) == ["Zeppelin", "Tags", "Body"]


def test_accents_phrases_and_prefixes(client, write_article: ArticleWriter):
    write_article("cafe", "title: Café culture\ndate: 2026-06-01\n", "Roasting beans slowly.\n")
    assert titles(client.get("/search/?q=cafe")) == ["Café culture"]
    assert titles(client.get('/search/?q="roasting beans"')) == ["Café culture"]
    assert titles(client.get('/search/?q="beans roasting"')) == []
    assert titles(client.get("/search/?q=roast*")) == ["Café culture"]
    write_article("ship", "title: Shipping\ndate: 2026-06-01\n", "A redeployment on Friday.\n")
    assert titles(client.get("/search/?q=redeploy*")) == ["Shipping"]  # not read as redeploi*


def test_the_tag_filter_narrows_the_results_and_says_so(client):
    assert len(titles(client.get("/search/?q=latency"))) >= 1
    response = client.get("/search/?q=model&tag=open-source")
    assert titles(response) == ["Why Open-Source AI Models Are Winning in 2026"]
    page = soup(response)
    assert "tagged #Open Source" in text(page.select_one(".search-summary"))
    assert page.select_one("#search-page-tag option[selected]")["value"] == "open-source"
    assert titles(client.get("/search/?q=model&tag=Open Source")) == titles(response)


def test_results_are_paginated(content_dir: Path, write_article: ArticleWriter):
    for n in range(5):
        write_article(f"p{n}", f"title: Pelican {n}\ndate: 2026-06-0{n + 1}\n")
    client = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL, "PER_PAGE": 2}
    ).test_client()
    first, second, third = (client.get(f"/search/?q=pelican&page={n}") for n in (1, 2, 3))
    assert titles(first) == ["Pelican 4", "Pelican 3"]  # equal ranks: newest first
    assert titles(second) == ["Pelican 2", "Pelican 1"] and titles(third) == ["Pelican 0"]
    nav = soup(second).select_one('nav[aria-label="Result pages"]')
    assert nav.select_one('a[rel="prev"]')["href"] == "/search/?q=pelican"
    assert nav.select_one('a[rel="next"]')["href"] == "/search/?q=pelican&page=3"
    assert "Page 2 of 3" in text(nav)
    past = client.get("/search/?q=pelican&page=9")
    assert past.status_code == 200 and titles(past) == []
    assert "Back to the first page" in text(soup(past).select_one(".search-empty"))


def test_no_results_shows_the_query_escaped_and_suggests_the_tags(client):
    page = soup(client.get("/search/?q=<b>nothingatall</b>"))
    empty = page.select_one(".search-empty")
    assert "<b>nothingatall</b>" in text(empty)  # shown as text, not as markup
    assert not page.select(".search-results b")
    assert empty.select_one('a[href="/tags/"]')


def test_drafts_and_scheduled_articles_are_never_found(client, write_article: ArticleWriter):
    write_article("d", "title: Quokka draft\ndate: 2026-01-01\ndraft: true\n")
    write_article("s", "title: Quokka later\ndate: 2999-01-01\n")
    assert titles(client.get("/search/?q=quokka")) == []


def test_an_edit_an_addition_and_a_deletion_are_found_at_once(client, write_article: ArticleWriter):
    path = write_article("wombat", "title: Wombat\ndate: 2026-06-01\n")
    assert titles(client.get("/search/?q=wombat")) == ["Wombat"]
    write_article("wombat", "title: Numbat\ndate: 2026-06-01\n")
    assert titles(client.get("/search/?q=wombat")) == []
    assert titles(client.get("/search/?q=numbat")) == ["Numbat"]
    path.unlink()
    assert titles(client.get("/search/?q=numbat")) == []


def test_a_search_past_its_time_answers_503_and_says_what_to_do(
    content_dir: Path, write_article: ArticleWriter, caplog
):
    body = " ".join(["wombat numbat quokka bilby b"] * 100)  # b: the query's <b> matches
    for n in range(300):
        write_article(f"m{n}", f"title: Marsupials {n}\ndate: 2026-06-01\n", body)
    settings = {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL}
    fast = create_app({**settings, "SEARCH_TIMEOUT": 0.001}).test_client()
    # A phrase beside words is matched by the positions of its words: the slowest kind.
    asked = '"wombat numbat" quokka bilby <b>'
    response = fast.get("/search/", query_string={"q": asked})
    assert response.status_code == 503 and "text/html" in response.content_type
    page = soup(response)
    assert "was stopped" in text(page.select_one("#search-summary"))
    assert asked in text(page.select_one("#search-summary strong"))
    assert not page.select(".search-results b") and not page.select(".search-hits")
    assert page.select_one('.search-empty a[href="/tags/"]')
    assert input_value(response) == asked
    assert "stopped after 0.001 s" in caplog.text
    patient = create_app(settings).test_client()  # the default: a whole second
    assert len(titles(patient.get("/search/?q=wombat+numbat+quokka+bilby"))) == 10


@pytest.mark.parametrize("query", HOSTILE)
def test_every_hostile_query_answers_200_and_is_never_echoed_unescaped(client, query):
    response = client.get("/search/", query_string={"q": query, "tag": query})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    if set(query) & set("<>&"):  # a quote alone is markup only inside an attribute: see below
        assert query not in body
    assert input_value(response) == one_line(query[:400])
    assert not soup(response).select("script:not([src]):not([type])")


@pytest.mark.parametrize(
    "raw", ["%ff%fe", "%c3%28", "%ed%a0%80", "%", "%zz", "%00", "a%ffb&page=%ff&tag=%80"]
)
def test_invalid_percent_escapes_answer_200(client, raw):
    assert client.get(f"/search/?q={raw}").status_code == 200


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9" * 40, "²", "1e9", ""])
def test_any_page_number_answers_200(client, page):
    assert client.get(f"/search/?q=model&page={quote(page)}").status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300))
def test_any_query_string_answers_200_and_never_echoes_markup(client, query):
    response = client.get("/search/", query_string={"q": query})
    assert response.status_code == 200
    assert input_value(response) == one_line(query[:400])
    if soup(response).select(".search-hits li"):
        return  # a page with results has another shape; hostile queries with hits are above
    # Echoed as text only: the page has exactly the elements of a page for a plain query that
    # is read the same way (words found, or none), so nothing in the query became markup.
    plain = "zzqqxx" if parse(query) else ""
    assert shape(response) == shape(client.get("/search/", query_string={"q": plain}))


def test_the_response_cache_never_answers_one_query_with_anothers_page(client):
    # The cache keys by path alone: were search pages stored, the second would be the first.
    for _ in range(2):
        assert titles(client.get("/search/?q=latency"))[0] == (
            "Reading the Latency Budget: Where 300 ms Goes"
        )
        assert titles(client.get("/search/?q=sequence")) == ["How a Request Reaches the Model"]
    assert "noindex" in client.get("/search/?q=latency").get_data(as_text=True)


def test_every_page_has_a_search_box_and_the_opensearch_link(client):
    for url in ("/", "/tags/", "/insights/reading-the-latency-budget/", "/archive/", "/search/"):
        page = soup(client.get(url))
        form = page.select_one('form[role="search"]')
        assert form["action"] == "/search/" and form["method"] == "get"
        field = form.select_one('input[name="q"]')
        assert page.select_one(f'label[for="{field["id"]}"]'), url
        link = page.select_one('link[rel="search"]')
        assert link["type"] == "application/opensearchdescription+xml"
        assert link["href"] == "/opensearch.xml"


def test_opensearch_describes_the_search_url(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    root = ElementTree.fromstring(response.data)
    assert root.findtext("os:ShortName", namespaces=ns) == "Insights"
    html = root.find("os:Url[@type='text/html']", ns)
    assert html.get("template") == f"{SITE_URL}/search/?q={{searchTerms}}"


def test_the_site_language_chooses_the_stemmer_of_every_workers_index(content_dir):
    """English stems ("models" finds "model"); a French site matches words as written."""
    found = {}
    for language in ("en", "fr"):
        config = {"CONTENT_DIR": str(content_dir), "SITE_LANGUAGE": language, **INSTANT}
        page = soup(create_app(config).test_client().get("/search/?q=models"))
        found[language] = {text(mark) for mark in page.select(".snippet mark")}
    assert found["en"] >= {"model", "models"}
    assert found["fr"] == {"models"}
