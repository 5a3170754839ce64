import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

from publishing import rendering
from publishing.rendering import (
    RENDER_VERSION,
    cache,
    cache_key,
    render,
    render_uncached,
    rendered_markdown,
)


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
    with caplog.at_level(logging.WARNING, logger="publishing.rendering"):
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
    with app.app_context(), caplog.at_level(logging.WARNING, logger="publishing.rendering"):
        monkeypatch.setattr(rendering, "cache", _Broken())
        render(article)
        monkeypatch.setattr(rendering, "cache", cache)
        render(article)
        render(article)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[1].startswith("cache available again after ")


def test_concurrent_requests_for_one_version_cost_one_render(app, monkeypatch):
    calls = []
    started, release = threading.Event(), threading.Event()
    real = rendering.render_uncached

    def slow(article):
        calls.append(article)
        started.set()
        release.wait(10)
        return real(article)

    monkeypatch.setattr(rendering, "render_uncached", slow)
    article = reference(app)
    results = []

    def ask():
        with app.app_context():
            results.append(render(article))

    threads = [threading.Thread(target=ask) for _ in range(16)]
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

    monkeypatch.setattr(rendering, "render_uncached", broken)
    article = reference(app)
    errors = []

    def ask():
        with app.app_context():
            try:
                render(article)
            except RuntimeError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(errors) == 4
    monkeypatch.undo()
    with app.app_context():
        assert "Open-Source AI Model Adoption" in render(article).html


def descendants() -> dict[int, int]:
    """pid -> CPU ticks used so far, of every process below this one (forkserver children too)."""
    parents, ticks = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    mine = {os.getpid()}
    grew = True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in mine}
        grew = not below <= mine
        mine |= below
    return {pid: ticks[pid] for pid in mine - {os.getpid()}}


def test_an_article_over_its_budget_is_killed_and_shown_as_an_error_box(app, caplog):
    article = replace(reference(app), body="[" * 30_000, version="slow")  # minutes of work
    app.config["RENDER_TIMEOUT"] = 0.5
    start = time.monotonic()
    with app.app_context():
        rendered = render(article)
        assert cache.get(cache_key(article)) == rendered  # the budget is paid once
    assert time.monotonic() - start < 5
    limit = "rendering took longer than the 0.5 s limit (INSIGHTS_RENDER_TIMEOUT)"
    assert rendered.problems == (limit,)
    assert 'class="render-error"' in rendered.html and limit in rendered.html
    assert rendered.words == 0 and rendered.first_paragraph == ""
    assert f"{article.path.name}: {limit}" in caplog.text
    # Nothing goes on working on it: no process below this one uses the CPU any more.
    before = descendants()
    time.sleep(1)
    after = descendants()
    busy = {pid: after[pid] - before.get(pid, 0) for pid in after}
    assert sum(busy.values()) < 20, busy  # ticks of 10 ms: a lingering render would use 100


def test_check_reports_an_article_over_its_budget(app):
    article = replace(reference(app), body="[a](" * 20_000)
    app.config["RENDER_TIMEOUT"] = 0.3
    with app.app_context():
        assert render_uncached(article).problems == (
            "rendering took longer than the 0.3 s limit (INSIGHTS_RENDER_TIMEOUT)",
        )


def test_a_fast_article_renders_the_same_in_its_child_as_here(app):
    article = reference(app)
    with app.app_context():
        assert render_uncached(article) == rendered_markdown(article.body)
