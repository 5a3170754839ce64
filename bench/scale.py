"""The scale run (issue 10): the same site over 1,000 and 10,000 generated articles (500 words,
3 of 200 tags each), both under gunicorn with the response cache off and renderings cached, one
worker each so that the sitemap's first request is known to be the one that builds it.

Each server's cold start (from launching gunicorn to the first article page) is timed on its own;
then both stay up and every request is timed against one and then the other in turn, so a slow
moment of the machine falls on both sizes. A figure is the median of ``REPEATS`` requests after
warming, except the sitemap's first request, which builds it. Last, wrk loads the article page of
each in turn: its 99th percentile shows what the periodic rescan of the content directory costs
the requests that run into it.
"""

import argparse
import contextlib
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench.articles import generate, many_tags
from bench.serving import Memory, biggest_worker, site_env
from bench.wrk import Result, wrk
from harness.http import get
from harness.servers import gunicorn_process

SIZES = (1_000, 10_000)
REPEATS = 25
TAG = "topic-7"  # "Topic 7", on about 1.5 % of the articles
PAGES = 1.5  # the most a page may grow from 1,000 to 10,000 articles
LINEAR = 10.0  # sitemap, feeds and cold start: at most linear in the articles
LOAD = argparse.Namespace(threads=2, connections=8, duration=5)


@dataclass(frozen=True)
class Request:
    name: str
    path: str
    status: int
    goal: float


REQUESTS = [
    Request("article page", "/insights/generated-00500/", 200, PAGES),
    Request("list page 50", "/insights/page/50/", 200, PAGES),
    Request("one tag's page", f"/tags/{TAG}/", 200, PAGES),
    Request("unknown tag (404)", "/tags/nope/", 404, PAGES),
    Request("unknown tag's feed (404)", "/tags/nope/feed.xml", 404, PAGES),
    Request("tag page 999 (404)", f"/tags/{TAG}/page/999/", 404, PAGES),
    Request("/feed.xml", "/feed.xml", 200, LINEAR),
    Request("one tag's /feed.xml", f"/tags/{TAG}/feed.xml", 200, LINEAR),
    Request("/sitemap.xml, built before", "/sitemap.xml", 200, LINEAR),
]


@dataclass
class Site:
    base: str
    cold: float  # seconds from launching gunicorn to the first article page
    sitemap: float  # ms of the first /sitemap.xml, which builds it
    master: int


def timed(url: str, status: int) -> float:
    start = time.perf_counter()
    answered = get(url)[0]
    elapsed = (time.perf_counter() - start) * 1000
    assert answered == status, f"{url}: {answered}"
    return elapsed


def start(stack: contextlib.ExitStack, content: Path) -> Site:
    env = site_env(content, INSIGHTS_RESPONSE_CACHE_BYTES="0")
    launched = time.monotonic()
    server = stack.enter_context(gunicorn_process(env, workers=1, ready=REQUESTS[0].path))
    cold = time.monotonic() - launched
    assert get(server.url + REQUESTS[0].path)[0] == 200
    return Site(server.url, cold, timed(server.url + "/sitemap.xml", 200), server.pid)


def scale(work: Path) -> None:
    """Generate both sites, measure them, print the Markdown tables."""
    for count in SIZES:
        generate(work / f"scale-{count}", count, tags=many_tags(200), per_article=3)
    with contextlib.ExitStack() as stack:
        sites = {count: start(stack, work / f"scale-{count}") for count in SIZES}
        for site in sites.values():
            for _ in range(3):  # renders what it serves, once
                for request in REQUESTS:
                    get(site.base + request.path)
        times: dict[tuple[str, int], list[float]] = {}
        for request in REQUESTS:
            for _ in range(REPEATS):
                for count, site in sites.items():
                    key = (request.name, count)
                    times.setdefault(key, []).append(
                        timed(site.base + request.path, request.status)
                    )
        loads = {count: wrk(site.base + REQUESTS[0].path, LOAD) for count, site in sites.items()}
        memories = {count: biggest_worker(site.master) for count, site in sites.items()}
    report({key: statistics.median(found) for key, found in times.items()}, sites, loads, memories)


def _table(header: list[str], rows: list[list[str]]) -> None:
    print("\n| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _row(name: str, small: float, large: float, unit: str, goal: float | None) -> list[str]:
    """A table row; ``goal`` is the most the figure may grow, None where issue 10 sets none."""
    growth = large / small
    met = "" if goal is None else "yes" if growth <= goal else "**no**"
    target = "(none)" if goal is None else f"≤ {goal:g} x"
    return [name, f"{small:,.1f} {unit}", f"{large:,.1f} {unit}", f"{growth:.2f} x", target, met]


def report(
    medians: dict[tuple[str, int], float],
    sites: dict[int, Site],
    loads: dict[int, Result],
    memories: dict[int, Memory],
) -> None:
    small, large = SIZES
    rows = [
        _row(r.name, medians[r.name, small], medians[r.name, large], "ms", r.goal) for r in REQUESTS
    ]
    load = f"article page under load (wrk -c{LOAD.connections}), p99"
    rows.append(_row(load, loads[small].p99, loads[large].p99, "ms", None))
    first = [sites[small].sitemap, sites[large].sitemap]
    rows.append(_row("/sitemap.xml, first request (builds it)", *first, "ms", LINEAR))
    cold = [sites[small].cold, sites[large].cold]
    rows.append(_row("cold start to the first article page", *cold, "s", LINEAR))
    header = f"uncached request (median of {REPEATS})"
    _table([header, f"{small:,} articles", f"{large:,} articles", "growth", "target", "met"], rows)
    rates = " and ".join(f"{loads[count].rps:,.0f} req/s at {count:,}" for count in SIZES)
    print(f"\nUnder that load, the article page answered {rates} articles.")
    met = "yes" if cold[1] < 2 else "**no**"
    print(f"\nCold start with {large:,} articles: {cold[1]:.2f} s (target < 2 s: {met}).")
    _table(
        ["the worker after the run", f"{small:,} articles", f"{large:,} articles"],
        [["RSS / private", *(f"{m.rss:.0f} MB / {m.private:.0f} MB" for m in memories.values())]],
    )
