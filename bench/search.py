"""Benchmark of the search index (issue 14), in one process per case, at 1,000 and 10,000
generated articles, with the index in memory and in one file (WAL), then over HTTP:

    .venv/bin/python bench/search.py      # or bench/run.py --search; bench/run.py ends with it

For each case it prints the time to index every article from cold (searchable from then on), then
to write their word pairs and rankings and rank the common pairs (which a worker's thread does
meanwhile), to take in one edited article,
query p50 and p99 over a fixed set of 200 queries (single words, two words, phrases, prefixes, no
hits; each ``search`` as a results page calls it, snippets included; three rounds after one warm
round, whose own p99 is printed apart: a worker's first search of a phrase held by many articles
takes its word pair into the ranking), the time to find an article's related articles (200
articles spread over the site), the index's size, and the process's resident memory before and
after indexing.

Then the same two sites under gunicorn (the production config): wrk on a cached article page and
on ``/search/`` for two words and for a phrase found in most articles, as a ratio to the article
(search pages are never stored by the response cache: every request queries the index), and the
largest worker's memory once both workers have built their index.
"""

import argparse
import dataclasses
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.articles import WORDS, generate  # noqa: E402
from bench.serving import biggest_worker, site_env  # noqa: E402
from bench.wrk import wrk  # noqa: E402
from harness.http import get  # noqa: E402
from harness.servers import gunicorn_process  # noqa: E402
from publishing.library import Library  # noqa: E402
from publishing.related import related  # noqa: E402
from publishing.search_index import SearchIndex  # noqa: E402

SIZES = (1_000, 10_000)
LOCATIONS = ("memory", "file")
ROUNDS = 3
RELATED_SAMPLE = 200  # articles whose related articles are timed, spread over the site
TARGET_P99_MS = 20.0
ARTICLE = "/insights/generated-00500/"
SEARCHES = {"two words": "/search/?q=latency+budget", "a phrase": "/search/?q=%22open+source%22"}
LOAD = argparse.Namespace(threads=2, connections=32, duration=5)
WORKERS = 2  # gunicorn_process's default, the production config's


def queries() -> list[str]:
    """200 queries, the same at every run: 50 single words, 50 pairs, 40 phrases (word pairs of
    the reference article, which the generated prose only sometimes repeats), 40 prefixes and 20
    words found nowhere."""
    rng = random.Random(14)
    words = sorted({word.lower() for word in WORDS})
    long_words = [word for word in words if len(word) >= 5]
    pairs = list(itertools.pairwise(WORDS))
    return (
        rng.sample(words, 50)
        + [" ".join(rng.sample(words, 2)) for _ in range(50)]
        + [f'"{first} {second}"' for first, second in rng.sample(pairs, 40)]
        + [word[: rng.randint(3, 4)] + "*" for word in rng.sample(long_words, 40)]
        + [f"qzx{n}vv" for n in range(20)]
    )


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def one_case(content: Path, location: str, work: Path) -> dict[str, float]:
    """Measures one index over the articles of ``content``."""
    library = Library(
        content, author="Bench", tz=ZoneInfo("UTC"), rescan_interval=3600, max_bytes=1 << 21
    )
    articles = list(library.snapshot(force=True).articles)
    before = rss_mb()
    index = SearchIndex("en", None if location == "memory" else work / "search.sqlite3")
    start = time.perf_counter()
    index.update(articles)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    while index.pair_up():  # in a worker, a thread does this while the index answers
        pass
    index.rank_common_pairs()  # and this after
    pairing = time.perf_counter() - start
    after = rss_mb()
    middle = len(articles) // 2
    edited = articles[middle]
    articles[middle] = dataclasses.replace(
        edited, version=edited.version + "-edited", body=edited.body + "\n\nOne more line."
    )
    start = time.perf_counter()
    changes = index.update(articles)
    edit = time.perf_counter() - start
    assert changes.indexed == 1, changes
    now = datetime.now(UTC)
    asked = queries()
    first = []  # what a worker's first search of each costs (a pair taken into the ranking)
    for query in asked:
        start = time.perf_counter()
        index.search(query, now=now)
        first.append((time.perf_counter() - start) * 1000)
    times = []
    for _ in range(ROUNDS):
        for query in asked:
            start = time.perf_counter()
            index.search(query, now=now)
            times.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(times, n=100)
    related_times = []
    for article in articles[:: max(1, len(articles) // RELATED_SAMPLE)]:
        start = time.perf_counter()
        related(article, index, now=now)
        related_times.append((time.perf_counter() - start) * 1000)
    related_cuts = statistics.quantiles(related_times, n=100)
    size = index.size()
    return {
        "articles": len(articles),
        "cold_s": cold,
        "pairs_s": pairing,
        "edit_ms": edit * 1000,
        "p50_ms": cuts[49],
        "p99_ms": cuts[98],
        "first_p99_ms": statistics.quantiles(first, n=100)[98],
        "related_p50_ms": related_cuts[49],
        "related_p99_ms": related_cuts[98],
        "size_mb": size / 2**20,
        "rss_before_mb": before,
        "rss_after_mb": after,
    }


def over_http(content: Path) -> list[str]:
    """A Markdown table row per request: req/s, p99 and the ratio to a cached article page."""
    log = content.parent / f"gunicorn-{content.name}.log"
    with gunicorn_process(site_env(content), ready=ARTICLE, log=log) as server:
        for _ in range(8):  # every worker renders the page and builds its index (waited for)
            for path in (ARTICLE, *SEARCHES.values()):
                assert get(server.url + path)[0] == 200, path
        deadline = time.monotonic() + 120  # and writes its word pairs, in a thread
        while log.read_text().count("search: word pairs of") < WORKERS:
            assert time.monotonic() < deadline, "the workers never wrote their word pairs"
            time.sleep(0.5)
        article = wrk(server.url + ARTICLE, LOAD)
        rows = [f"| article page, cached | {article.rps:,.0f} | {article.p99:.1f} ms | 1 |"]
        for name, path in SEARCHES.items():
            found = wrk(server.url + path, LOAD)
            rows.append(
                f"| `{path}` ({name}) | {found.rps:,.0f} | {found.p99:.1f} ms "
                f"| {found.rps / article.rps:.2f} x |"
            )
        worker = biggest_worker(server.pid)
    rows.append(f"| largest worker, index built | | | {worker.rss:.0f} MB RSS, "
                f"{worker.private:.0f} MB private |")  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", nargs=2, metavar=("CONTENT", "LOCATION"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:  # a child: one case, its figures as JSON on stdout
        with tempfile.TemporaryDirectory() as work:
            print(json.dumps(one_case(Path(args.case[0]), args.case[1], Path(work))))
        return
    print("| articles | index in | from cold | then its pairs | one edit | query p50 | query p99 "
          "| first round p99 | related p50 | related p99 | index size "
          "| RSS before → after indexing |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        worst = 0.0
        for count in SIZES:
            content = Path(work) / f"content-{count}"
            generate(content, count)
            for location in LOCATIONS:
                child = subprocess.run(
                    [sys.executable, __file__, "--case", str(content), location],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                figures = json.loads(child.stdout)
                if count == max(SIZES):
                    worst = max(worst, figures["p99_ms"])
                print(
                    f"| {figures['articles']:,} | {location} | {figures['cold_s']:.2f} s "
                    f"| {figures['pairs_s']:.2f} s "
                    f"| {figures['edit_ms']:.1f} ms | {figures['p50_ms']:.2f} ms "
                    f"| {figures['p99_ms']:.2f} ms | {figures['first_p99_ms']:.2f} ms "
                    f"| {figures['related_p50_ms']:.2f} ms "
                    f"| {figures['related_p99_ms']:.2f} ms | {figures['size_mb']:.1f} MB "
                    f"| {figures['rss_before_mb']:.0f} → {figures['rss_after_mb']:.0f} MB |",
                    flush=True,
                )
        met = "met" if worst < TARGET_P99_MS else "NOT met"
        print(f"\nTarget: query p99 under {TARGET_P99_MS:g} ms at {max(SIZES):,} articles: {met}.")
        print(f"\nOver HTTP (gunicorn, wrk -t{LOAD.threads} -c{LOAD.connections} "
              f"-d{LOAD.duration}s):")  # fmt: skip
        for count in SIZES:
            print(f"\n| {count:,} articles | req/s | p99 | / article |\n|---|---|---|---|")
            print("\n".join(over_http(Path(work) / f"content-{count}")), flush=True)


if __name__ == "__main__":
    main()
