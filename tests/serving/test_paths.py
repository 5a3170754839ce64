"""A path with a run of slashes is redirected to its one spelling before anything serves it."""

import pytest

from app import create_app
from serving.response_cache import ResponseCache
from tests.support.site import INSTANT, SITE_URL


@pytest.fixture
def app(content_dir):
    return create_app({"CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL, **INSTANT})


def get(client, path: str, query: str = ""):
    # The test client would read "//feed.xml" as a URL naming the host "feed.xml": the path is
    # put in the environ as a server puts it.
    return client.get("/", environ_overrides={"PATH_INFO": path, "QUERY_STRING": query})


@pytest.mark.parametrize(
    ("path", "query", "location"),
    [
        ("//feed.xml", "", "/feed.xml"),
        ("///tags//", "page=2", "/tags/?page=2"),
        ("/insights//reading-the-latency-budget/", "", "/insights/reading-the-latency-budget/"),
        ("//static/css/site.css", "", "/static/css/site.css"),
        ("//search/", "q=a%22b", "/search/?q=a%22b"),
        ("//", "", "/"),
        ("//\\evil.example/", "", "/%5Cevil.example/"),  # never a Location off the site
        ("//caf\xc3\xa9/", "", "/caf%C3%A9/"),  # the request's bytes, quoted back as they came
    ],
)
def test_a_run_of_slashes_is_redirected_to_one(app, path, query, location):
    response = get(app.test_client(), path, query)
    assert response.status_code == 308
    assert response.headers["Location"] == location
    assert response.headers["X-Content-Type-Options"] == "nosniff" and not response.data


def test_no_spelling_of_a_page_becomes_a_new_cache_entry(app):
    cache = app.wsgi_app
    while not isinstance(cache, ResponseCache):  # each layer holds the next (WhiteNoise too)
        cache = getattr(cache, "app", None) or cache.application
    client = app.test_client()
    assert get(client, "/feed.xml").status_code == 200
    stored = len(cache._store)
    for slashes in range(2, 12):
        assert get(client, "/" * slashes + "feed.xml").status_code == 308
    assert len(cache._store) == stored


def test_paths_of_single_slashes_are_served_as_before(app):
    client = app.test_client()
    assert get(client, "/feed.xml").status_code == 200
    assert get(client, "/tags").status_code == 308  # werkzeug's own: to the trailing slash
