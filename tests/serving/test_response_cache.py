"""The whole-response cache: hits never enter Flask, answer exactly as the app would, and a new
content version (an edit, a scheduled article coming due) is a new key."""

import gc
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, request
from werkzeug.test import Client, EnvironBuilder

from app import create_app
from extensions import library, settings
from publishing.library import Snapshot
from serving.response_cache import CACHEABLE, ResponseCache
from settings import FIELDS
from tests.support.clock import FakeClock
from tests.support.site import INSTANT, REFERENCE_SLUG

ARTICLE = f"/insights/{REFERENCE_SLUG}/"
PAGES = ["/", "/insights/", ARTICLE, "/tags/", "/tags/ai/", "/insights/?utm_source=feed"]


def counting(app: Flask) -> list[str]:
    """Paths of the requests that reach Flask's views from now on."""
    seen: list[str] = []
    app.before_request(lambda: seen.append(request.full_path))
    return seen


@pytest.fixture
def uncached(app: Flask) -> Flask:
    """The same site with the response cache off: what the app itself answers."""
    same = {name: getattr(settings(app), name.lower()) for name in FIELDS}
    return create_app({**app.config, **same, "RESPONSE_CACHE_BYTES": 0})


def test_a_second_request_is_answered_without_entering_flask(app, client):
    entered = counting(app)
    first = client.get(ARTICLE)
    second = client.get(ARTICLE)
    assert first.status_code == second.status_code == 200
    assert second.data == first.data and second.headers == first.headers
    assert entered == [f"{ARTICLE}?"]


def answer(client, method: str, url: str, headers: dict[str, str]):
    response = client.open(url, method=method, headers=headers)
    kept = sorted((k, v) for k, v in response.headers.items() if k not in ("Date", "Vary"))
    return response.status, kept, response.data


def conditions(etag: str, last_modified: str) -> list[dict[str, str]]:
    later = "Sat, 01 Jan 2100 00:00:00 GMT"
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
    return [
        {},
        {"If-None-Match": etag},
        {"If-None-Match": f"W/{etag}"},
        {"If-None-Match": f'"other", {etag}'},
        {"If-None-Match": '"other"'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": last_modified},
        {"If-Modified-Since": later},
        {"If-Modified-Since": earlier},
        {"If-Modified-Since": "not a date"},
        {"If-None-Match": '"other"', "If-Modified-Since": later},  # If-None-Match wins: 200
        {"If-None-Match": etag, "If-Modified-Since": earlier},  # and here: 304
        {"If-Match": '"other"'},
        {"If-Match": etag},
        {"If-Match": "*"},
        {"If-Match": etag, "If-Unmodified-Since": earlier},
        {"If-Match": '"other"', "If-None-Match": etag},
        {"If-Unmodified-Since": earlier},
        {"If-Unmodified-Since": last_modified},
        {"If-Unmodified-Since": "not a date"},
        {"If-Unmodified-Since": earlier, "If-None-Match": etag},
        {"Range": "bytes=0-10"},
    ]


@pytest.mark.parametrize("url", PAGES)
def test_hits_answer_exactly_like_the_app_including_conditional_requests(app, uncached, url):
    cached, plain = app.test_client(), uncached.test_client()
    first = plain.get(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    cached.get(url)  # now stored
    for method in ("GET", "HEAD"):
        for headers in conditions(etag, last_modified):
            expected = answer(plain, method, url, headers)
            assert answer(cached, method, url, headers) == expected, (method, headers)


@pytest.mark.parametrize("cache_bytes", [64 * 1024 * 1024, 0])
def test_failed_preconditions_answer_412_with_an_empty_body(content_dir, cache_bytes):
    config = {"CONTENT_DIR": str(content_dir), "RESPONSE_CACHE_BYTES": cache_bytes}
    client = create_app(config).test_client()
    first = client.get(ARTICLE)
    for headers in (
        {"If-Match": '"nope"'},
        {"If-Unmodified-Since": "Mon, 01 Jan 1990 00:00:00 GMT"},
    ):
        for method in ("GET", "HEAD"):
            failed = client.open(ARTICLE, method=method, headers=headers)
            assert (failed.status_code, failed.data) == (412, b""), (method, headers)
            assert failed.headers["Content-Length"] == "0"
            assert "Cache-Control" not in failed.headers and "Content-Type" not in failed.headers
            assert failed.headers["ETag"] == first.headers["ETag"]
            assert failed.headers["X-Frame-Options"] == "DENY"
    again = client.get(ARTICLE, headers={"If-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (200, first.data)


def test_if_match_takes_the_etag_of_the_coding_it_was_given(app, client):
    packed = client.get(ARTICLE, headers={"Accept-Encoding": "br"})
    assert packed.headers["ETag"].endswith('-br"')
    matched = {"Accept-Encoding": "br", "If-Match": packed.headers["ETag"]}
    assert client.get(ARTICLE, headers=matched).status_code == 200
    other = {"Accept-Encoding": "gzip", "If-Match": packed.headers["ETag"]}
    assert client.get(ARTICLE, headers=other).status_code == 412


def test_a_conditional_first_request_still_fills_the_cache(app, client):
    entered = counting(app)
    first = client.get("/tags/", headers={"If-None-Match": '"nope"'})
    assert first.status_code == 200
    again = client.get("/tags/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/tags/").data == first.data
    assert entered == ["/tags/?"]


def test_an_edit_is_a_new_key(app, client, content_dir):
    entered = counting(app)
    assert b"Version one" not in client.get(ARTICLE).data
    path = content_dir / f"{REFERENCE_SLUG}.md"
    path.write_text(path.read_text() + "\nVersion one.\n")
    assert b"Version one." in client.get(ARTICLE).data
    assert b"Version one." in client.get(ARTICLE).data
    assert len(entered) == 2


def test_the_snapshot_state_counts_articles_come_due(app):
    snapshot: Snapshot = library(app).snapshot()
    dates = sorted(article.date.timestamp() for article in snapshot.articles)
    before = snapshot.state(dates[0] - 1)
    at_first = snapshot.state(dates[0])
    after_all = snapshot.state(dates[-1] + 86400)
    assert before == (snapshot.version, 0)
    assert at_first == (snapshot.version, 1)
    assert after_all == (snapshot.version, len(dates))


def test_a_scheduled_article_shows_on_a_cached_list_when_its_date_passes(
    content_dir, write_article
):
    clock = FakeClock()
    client = create_app({**INSTANT, "CONTENT_DIR": str(content_dir)}, clock=clock).test_client()
    due = datetime.fromtimestamp(clock.time(), UTC) + timedelta(hours=1)
    write_article("soon", f"title: Coming soon\ndate: {due.isoformat()}\n")
    assert b"Coming soon" not in client.get("/").data
    assert b"Coming soon" not in client.get("/").data  # a hit, same key
    clock.advance(3601)
    assert b"Coming soon" in client.get("/").data


def test_error_pages_post_and_uncacheable_views_always_reach_the_app(app, client):
    entered = counting(app)
    for _ in range(2):
        assert client.get("/insights/no-such/").status_code == 404
        assert client.post(ARTICLE).status_code == 405
        assert client.get("/healthz").status_code == 200
    assert len(entered) == 6


def test_host_and_query_are_part_of_the_key(content_dir):
    app = create_app({"TESTING": True, "CONTENT_DIR": str(content_dir), "SITE_URL": ""})
    client = app.test_client()
    first = client.get(ARTICLE, base_url="http://one.example")
    other = client.get(ARTICLE, base_url="http://two.example")
    assert b"http://one.example/insights/" in first.data
    assert b"http://two.example/insights/" in other.data
    assert b"one.example" not in other.data
    assert client.get("/insights/page/2/").status_code == 404  # not page 1 from the cache


def test_head_of_a_hit_has_the_get_headers_and_no_body(client):
    get = client.get(ARTICLE)
    head = client.head(ARTICLE)
    assert head.status_code == 200 and head.data == b""
    assert head.headers == get.headers


# The middleware on its own, over a tiny WSGI app.


def tiny_app(calls: list[str], *, headers=(), size: int = 100):
    def application(environ, start_response):
        calls.append(environ["PATH_INFO"])
        environ[CACHEABLE] = True
        body = environ["PATH_INFO"].encode().ljust(size, b".")
        start_response("200 OK", [("Content-Type", "image/png"), ("ETag", '"t"'), *headers])
        return [body]

    return application


def one_entry_cost(size: int) -> int:
    cache = ResponseCache(tiny_app([], size=size), lambda: 1, max_bytes=10**6)
    Client(cache).get("/a")
    return cache._store.currsize


def test_the_store_is_bounded_in_bytes_and_drops_the_least_recently_used():
    calls: list[str] = []
    cost = one_entry_cost(1000)
    room = cost * 3 + cost // 2
    app = ResponseCache(tiny_app(calls, size=1000), lambda: 1, max_bytes=room, largest=room)
    client = Client(app)
    for path in ("/a", "/b", "/c", "/a", "/d", "/a", "/b"):
        client.get(path)
    # Three fit. /d pushed out /b (least recently used), not /a.
    assert calls == ["/a", "/b", "/c", "/d", "/b"]


def test_an_entry_is_counted_for_all_it_holds_key_headers_and_every_coding():
    cost = one_entry_cost(1000)
    assert cost > 1000 + 2 * len("/a")  # the body, and more: status, headers, key
    cache = ResponseCache(tiny_app([], size=100), lambda: 1, max_bytes=10**9)
    client = Client(cache)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(2000):  # new hosts: the key is most of what an entry adds
            client.get("/a", headers={"Host": f"host-{number}.example"})
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(cache._store) == 2000
    assert cache._store.currsize >= grown, "the bound must hold what the entries really cost"


def test_a_response_larger_than_the_store_is_served_but_not_kept():
    calls: list[str] = []
    client = Client(
        ResponseCache(tiny_app(calls, size=10_000), lambda: 1, max_bytes=4000, largest=10**6)
    )
    assert [len(client.get("/big").data) for _ in range(2)] == [10_000, 10_000]
    assert calls == ["/big", "/big"]


def test_a_body_over_the_largest_kept_is_sent_as_it_is_and_answers_its_conditions():
    """Kept, a large file would push out many pages; compressed for one answer, it would cost
    seconds of a core at every request (a 50 MB CSV: 9 s)."""
    calls: list[str] = []
    text = [("Content-Type", "text/csv")]
    cache = ResponseCache(tiny_app(calls, size=5000, headers=text), lambda: 1, max_bytes=64_000)
    client = Client(cache)
    assert cache.largest == 4000
    first = client.get("/big.csv", headers={"Accept-Encoding": "br, gzip"})
    assert len(first.data) == 5000 and "Content-Encoding" not in first.headers
    assert first.headers["ETag"] == '"t"'
    again = client.get("/big.csv", headers={"If-None-Match": '"t"'})
    assert (again.status_code, again.data) == (304, b"")
    assert client.get("/big.csv", headers={"If-Match": '"other"'}).status_code == 412
    assert calls == ["/big.csv"] * 3 and len(cache._store) == 0  # never kept


def test_a_body_over_the_largest_kept_is_never_read_here():
    """Read to be kept or compressed, a 60 MB PDF cost its size in memory at every request, a
    304 too: it goes out as the app made it, or is closed unread."""
    read, closed = [], []

    class File:
        def __iter__(self):
            read.append(1)
            yield b"x" * 5000

        def close(self):
            closed.append(1)

    def large(environ, start_response):
        environ[CACHEABLE] = True
        start_response(
            "200 OK",
            [("Content-Type", "application/pdf"), ("Content-Length", "5000"), ("ETag", '"t"')],
        )
        return File()

    cache = ResponseCache(large, lambda: 1, max_bytes=64_000)
    client = Client(cache)
    assert client.get("/a.pdf", headers={"If-None-Match": '"t"'}).status_code == 304
    failed = client.get("/a.pdf", headers={"If-Match": '"other"'})
    assert (failed.status_code, failed.headers["ETag"], failed.data) == (412, '"t"', b"")
    head = client.head("/a.pdf")
    assert (head.status_code, head.headers["Content-Length"], head.data) == (200, "5000", b"")
    assert (read, closed) == ([], [1, 1, 1])
    # The app's own iterable: the server's file wrapper, which it sends with sendfile.
    assert isinstance(cache(EnvironBuilder("/a.pdf").get_environ(), lambda *_: None), File)
    assert client.get("/a.pdf").data == b"x" * 5000 and len(cache._store) == 0


def test_a_page_its_view_would_not_have_kept_still_answers_its_conditions():
    def search(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html"), ("ETag", '"q1"')])
        return [b"<p>results</p>"]

    client = Client(ResponseCache(search, lambda: 1, max_bytes=10**6))
    assert client.get("/search/?q=a").status_code == 200
    assert client.get("/search/?q=a", headers={"If-None-Match": '"q1"'}).status_code == 304


@pytest.mark.parametrize(
    "header",
    [("Set-Cookie", "a=b"), ("Vary", "Cookie"), ("Cache-Control", "private"),
     ("Cache-Control", "no-store")],
)  # fmt: skip
def test_responses_that_must_not_be_shared_are_not_kept(header):
    calls: list[str] = []
    client = Client(ResponseCache(tiny_app(calls, headers=[header]), lambda: 1, max_bytes=10**6))
    responses = [client.get("/x") for _ in range(2)]
    assert calls == ["/x", "/x"]
    assert all(header in r.headers.items() for r in responses)


def test_a_new_version_is_a_new_key():
    calls: list[str] = []
    version = [1]
    client = Client(ResponseCache(tiny_app(calls), lambda: version[0], max_bytes=10**6))
    client.get("/x")
    client.get("/x")
    version[0] = 2
    client.get("/x")
    assert calls == ["/x", "/x"]


def test_an_answer_made_while_the_content_changed_is_not_stored_under_the_old_version():
    """A rescan landing mid-request: the answer shows the new content, and stored under the
    old version it would come back when the content returns to it (a file added, removed)."""
    version, calls = [1], []
    answer = tiny_app(calls)

    def rescanned_meanwhile(environ, start_response):
        version[0] += 1
        return answer(environ, start_response)

    client = Client(ResponseCache(rescanned_meanwhile, lambda: version[0], max_bytes=10**6))
    client.get("/x")
    version[0] = 1  # back to the content the first request started on
    client.get("/x")
    assert calls == ["/x", "/x"], "the second request was answered from the stale entry"


def test_query_strings_do_not_make_new_entries(app, client):
    entered = counting(app)
    first = client.get(ARTICLE)
    for n in range(20):
        again = client.get(f"{ARTICLE}?r={n}&utm_source=x")
        assert again.data == first.data
    assert entered == [f"{ARTICLE}?"]


def test_a_head_on_a_cold_cache_has_the_headers_of_the_get(app):
    client = app.test_client()
    head = client.head("/insights/", headers={"Accept-Encoding": "gzip, br"})
    get = client.get("/insights/", headers={"Accept-Encoding": "gzip, br"})
    assert head.data == b""
    for name in ("ETag", "Content-Encoding", "Vary", "Content-Length", "Content-Type"):
        assert head.headers.get(name) == get.headers.get(name), name
    assert get.headers["Content-Encoding"] == "br"


def test_a_passed_prefix_streams_from_the_app_and_is_never_kept():
    pulled: list[int] = []

    def stream(environ, start_response):
        environ[CACHEABLE] = True  # even a view's mark does not make a stream storable
        start_response("200 OK", [("Content-Type", "text/event-stream"), ("ETag", '"t"')])
        for number in range(3):
            pulled.append(number)
            yield b"chunk"

    cache = ResponseCache(stream, lambda: 1, max_bytes=10**6, passed=("/_live/",))
    response = Client(cache).get("/_live/x", buffered=False)
    assert next(iter(response.response)) == b"chunk"
    assert pulled == [0], "the first chunk went out before the app was read to its end"
    response.close()
    assert Client(cache).get("/_live/x").data == b"chunk" * 3
    assert len(cache._store) == 0
