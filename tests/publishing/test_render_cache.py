"""The renderer: one render per version of a file, kept in the cache, shared by waiting callers,
and a cache that fails costing a local render, never an error page."""

import logging
import threading
import time
from dataclasses import replace

from extensions import library, renderer
from publishing.render_cache import cache_key
from publishing.render_version import RENDER_VERSION


def reference(app):
    return library(app).snapshot().articles[-1]


def counted(monkeypatch, app) -> list:
    """The articles ``app``'s renderer renders afresh from now on."""
    calls = []
    site_renderer = renderer(app)
    real = site_renderer.render_uncached
    monkeypatch.setattr(site_renderer, "render_uncached", lambda a: calls.append(a) or real(a))
    return calls


def test_an_article_is_rendered_once_per_version_of_its_file(app, monkeypatch):
    calls = counted(monkeypatch, app)
    article, site_renderer = reference(app), renderer(app)
    first = site_renderer.render(article)
    assert site_renderer.render(article) == first
    assert len(calls) == 1
    edited = replace(article, version="another digest")
    site_renderer.render(edited)
    assert len(calls) == 2
    assert site_renderer.store.get(cache_key(article)) == first


def test_the_key_names_the_file_and_changes_with_its_bytes(app, content_dir):
    article = reference(app)
    key = cache_key(article)
    assert f":{article.path.name}:" in key and str(article.path.parent) not in key
    assert f":{RENDER_VERSION}:" in key  # the renderer's own code is part of the key
    article.path.write_bytes(article.path.read_bytes().replace(b"Vin Patel", b"Vin Patil"))
    edited = library(app).snapshot(force=True).get(article.slug, article.date)
    assert edited.author == "Vin Patil"
    assert cache_key(edited) != key


class _Broken:
    def get(self, key):
        raise ConnectionError("cache server went away")

    def set(self, key, value):
        raise ConnectionError("cache server went away")


def test_a_failing_cache_costs_a_local_render_and_one_log_line(app, client, monkeypatch, caplog):
    monkeypatch.setattr(renderer(app), "store", _Broken())
    with caplog.at_level(logging.WARNING, logger="publishing.cache_health"):
        response = client.get("/insights/why-open-source-ai-models-are-winning-in-2026/")
        for _ in range(5):
            assert client.get("/insights/").status_code == 200
    assert response.status_code == 200
    assert b"Open-Source AI Model Adoption" in response.data
    (line,) = [r.getMessage() for r in caplog.records]  # one line, not one a request
    assert line == (
        "cache unavailable, rendering why-open-source-ai-models-are-winning-in-2026.md locally: "
        "cache server went away"
    )
    assert caplog.records[0].exc_info is None  # an expected fault: no stack trace


def test_the_cache_coming_back_is_logged_once(app, monkeypatch, caplog):
    article, site_renderer = reference(app), renderer(app)
    working = site_renderer.store
    with caplog.at_level(logging.WARNING, logger="publishing.cache_health"):
        monkeypatch.setattr(site_renderer, "store", _Broken())
        site_renderer.render(article)
        monkeypatch.setattr(site_renderer, "store", working)
        site_renderer.render(article)
        site_renderer.render(article)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[1].startswith("cache available again after ")


class _Full:
    """A cache that answers reads but refuses writes, as a full Redis under noeviction does."""

    def get(self, key):
        return None

    def set(self, key, value):
        raise ConnectionError("OOM command not allowed when used memory > 'maxmemory'.")


def test_a_cache_that_reads_but_refuses_writes_is_logged_once_and_its_return_once(
    app, monkeypatch, caplog
):
    site_renderer = renderer(app)
    articles = library(app).snapshot().articles
    with caplog.at_level(logging.WARNING, logger="publishing.cache_health"):
        monkeypatch.setattr(site_renderer, "store", _Full())
        for _ in range(3):  # a working read must not count as the cache back
            for article in articles:
                site_renderer.render(article)
        monkeypatch.undo()
        for article in articles:
            site_renderer.render(article)
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == (
        f"cache writes unavailable, {articles[0].path.name} not stored: "
        "OOM command not allowed when used memory > 'maxmemory'."
    )
    assert len(messages) == 2 and messages[1].startswith("cache writes available again after ")


def test_concurrent_requests_for_one_version_cost_one_render(app, monkeypatch):
    calls = []
    started, release = threading.Event(), threading.Event()
    site_renderer = renderer(app)
    real = site_renderer.render_uncached

    def slow(article):
        calls.append(article)
        started.set()
        release.wait(10)
        return real(article)

    monkeypatch.setattr(site_renderer, "render_uncached", slow)
    article = reference(app)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(site_renderer.render(article)))
        for _ in range(16)
    ]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    time.sleep(0.2)  # the other fifteen are waiting by now
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1
    assert len(results) == 16 and all(r is results[0] for r in results)


def test_a_failing_render_fails_every_waiting_caller_and_the_next_one_renders_again(
    app, monkeypatch
):
    def broken(article):
        time.sleep(0.2)
        raise RuntimeError("renderer fault")

    site_renderer = renderer(app)
    monkeypatch.setattr(site_renderer, "render_uncached", broken)
    article = reference(app)
    errors = []

    def ask():
        try:
            site_renderer.render(article)
        except RuntimeError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(errors) == 4
    monkeypatch.undo()
    assert "Open-Source AI Model Adoption" in site_renderer.render(article).html
