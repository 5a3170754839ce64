import logging
from dataclasses import replace

from insights import rendering
from insights.rendering import RENDER_VERSION, cache, cache_key, render


def reference(app):
    return app.extensions["insights.library"].snapshot().articles[-1]


def test_an_article_is_rendered_once_per_version_of_its_file(app, monkeypatch):
    calls = []
    real = rendering.render_uncached
    monkeypatch.setattr(rendering, "render_uncached", lambda a: calls.append(a) or real(a))
    article = reference(app)
    with app.app_context():
        first = render(article)
        assert render(article) == first
        assert len(calls) == 1
        edited = replace(article, version="another digest")
        render(edited)
        assert len(calls) == 2
        assert cache.get(cache_key(article)) == first


def test_the_key_names_the_file_and_changes_with_its_bytes(app, content_dir):
    article = reference(app)
    key = cache_key(article)
    assert f":{article.path.name}:" in key and str(article.path.parent) not in key
    assert f":{RENDER_VERSION}:" in key  # the renderer's own code is part of the key
    library = app.extensions["insights.library"]
    article.path.write_bytes(article.path.read_bytes().replace(b"Vin Patel", b"Vin Patil"))
    edited = library.snapshot(force=True).get(article.slug, article.date)
    assert edited.author == "Vin Patil"
    assert cache_key(edited) != key


class _Broken:
    def get(self, key):
        raise ConnectionError("cache server went away")

    def set(self, key, value):
        raise ConnectionError("cache server went away")


def test_a_failing_cache_costs_a_local_render_and_one_log_line(app, client, monkeypatch, caplog):
    monkeypatch.setattr(rendering, "cache", _Broken())
    monkeypatch.setattr(rendering, "_health", rendering._CacheHealth())
    with caplog.at_level(logging.WARNING, logger="insights.rendering"):
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
    monkeypatch.setattr(rendering, "_health", rendering._CacheHealth())
    article = reference(app)
    with app.app_context(), caplog.at_level(logging.WARNING, logger="insights.rendering"):
        monkeypatch.setattr(rendering, "cache", _Broken())
        render(article)
        monkeypatch.setattr(rendering, "cache", cache)
        render(article)
        render(article)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[1].startswith("cache available again after ")
