"""Rendering an article in a child process under its time budget."""

import errno
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from cachelib import SimpleCache

from extensions import library
from publishing import rendering
from publishing.render_cache import Renderer, cache_key
from publishing.rendering import render_in_budget, rendered_markdown
from publishing.time_budget import ChildDied, ChildLost, NoChildStarted
from tests.publishing.test_time_budget import killed


def reference(app):
    return library(app).snapshot().articles[-1]


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
    store = SimpleCache()
    start = time.monotonic()
    rendered = Renderer(store, 0.5).render(article)
    assert store.get(cache_key(article)) == rendered  # the budget is paid once
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
    assert render_in_budget(article, 0.3).problems == (
        "rendering took longer than the 0.3 s limit (INSIGHTS_RENDER_TIMEOUT)",
    )


def test_a_fast_article_renders_the_same_in_its_child_as_here(app):
    article = reference(app)
    assert render_in_budget(article, 3) == rendered_markdown(article.body)


def test_any_fault_in_rendering_one_article_is_an_error_box_for_it(app, monkeypatch, caplog):
    def failing(seconds, function, *args):  # what a fault raised in the child looks like here
        raise ValueError("lxml: document is empty")

    monkeypatch.setattr(rendering._children, "run", failing)
    rendered = render_in_budget(reference(app), 5)
    reason = "could not be rendered (ValueError: lxml: document is empty)"
    assert rendered.problems == (reason,)
    assert 'class="render-error"' in rendered.html
    assert reason in caplog.text


def test_an_idle_child_killed_from_outside_costs_no_render(app):
    # kill -9 of a worker's idle render child (or the out-of-memory killer): the next article
    # rendered must not come out as "the worker process ended with exit code -9".
    killed(rendering._children.run(5, os.getpid))
    article = reference(app)
    store = SimpleCache()
    rendered = Renderer(store, 5).render(article)
    assert rendered == rendered_markdown(article.body)
    assert store.get(cache_key(article)) == rendered


@pytest.mark.parametrize(
    ("lost", "reason"),
    [
        (ChildDied(-9), "rendering stopped: the worker process ended with exit code -9"),
        (
            NoChildStarted(OSError(errno.EAGAIN, "Resource temporarily unavailable")),
            "rendering stopped: no worker process could be started "
            "([Errno 11] Resource temporarily unavailable)",
        ),
    ],
)
def test_a_render_lost_with_its_child_is_shown_once_never_cached(
    app, monkeypatch, lost: ChildLost, reason: str
):
    def losing(seconds, function, *args):
        raise lost

    monkeypatch.setattr(rendering._children, "run", losing)
    article, store = reference(app), SimpleCache()
    site_renderer = Renderer(store, 5)
    rendered = site_renderer.render(article)
    assert rendered.problems == (reason,) and rendered.transient
    assert 'class="render-error"' in rendered.html
    assert store.get(cache_key(article)) is None  # not a week of error boxes for every host
    monkeypatch.undo()
    again = site_renderer.render(article)
    assert again == rendered_markdown(article.body) and not again.transient
    assert store.get(cache_key(article)) == again
