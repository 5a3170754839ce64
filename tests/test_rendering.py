import logging
from dataclasses import replace

from insights import rendering
from insights.rendering import cache, cache_key, render


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
        edited = replace(article, version=(article.version[0] + 1, article.version[1]))
        render(edited)
        assert len(calls) == 2
        assert cache.get(cache_key(article)) == first


def test_the_key_names_the_file_its_mtime_and_size(app):
    article = reference(app)
    key = cache_key(article)
    assert str(article.path) in key
    assert key.endswith(f":{article.version[0]}:{article.version[1]}")
    assert cache_key(replace(article, version=(article.version[0], 1))) != key


class _Broken:
    def get(self, key):
        raise ConnectionError("cache server went away")

    def set(self, key, value):
        raise ConnectionError("cache server went away")


def test_a_failing_cache_costs_a_local_render_and_a_log_line(app, client, monkeypatch, caplog):
    monkeypatch.setattr(rendering, "cache", _Broken())
    with caplog.at_level(logging.WARNING, logger="insights.rendering"):
        response = client.get("/insights/why-open-source-ai-models-are-winning-in-2026/")
    assert response.status_code == 200
    assert b"Open-Source AI Model Adoption" in response.data
    assert any("cache unavailable" in r.getMessage() for r in caplog.records)
