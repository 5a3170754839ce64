"""Benchmark: the site under its production gunicorn config, measured with wrk in one sitting.

    .venv/bin/python bench/run.py            # the whole run, a few minutes
    .venv/bin/python bench/run.py --tune     # first compare gunicorn worker/thread settings
    .venv/bin/python bench/run.py --scale    # only 1,000 against 10,000 articles (bench/scale.py)
    .venv/bin/python bench/run.py --images   # only an article of large photos (bench/images.py)
    .venv/bin/python bench/run.py --search   # only the search index and /search/ (bench/search.py)

Every server listens on 127.0.0.1 and every wrk run is short (``--duration``, 5 s by default).
Throughput runs go round-robin over the scenarios ``--rounds`` times and report the median, so a
slow moment of the machine does not land on one scenario only. It prints req/s, p50 and p99 per
scenario, cold starts, worker memory and render times, then the ratios against the targets of
issue 5, as Markdown.
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import images, search  # noqa: E402
from bench.articles import generate, prose  # noqa: E402
from bench.scale import scale  # noqa: E402
from bench.serving import Memory, biggest_worker, memory, site_env, workers_of  # noqa: E402
from bench.wrk import Result, wrk  # noqa: E402
from harness.http import get  # noqa: E402
from harness.nginx import nginx  # noqa: E402
from harness.servers import gunicorn_process  # noqa: E402
from settings import default_static_cache_dir  # noqa: E402

REFERENCE = "/insights/why-open-source-ai-models-are-winning-in-2026/"


def warm(base: str, paths: list[str]) -> None:
    for _ in range(8):  # reaches every worker, whatever the accept order
        for path in paths:
            for coding in ("", "gzip", "br"):
                get(base + path, **{"Accept-Encoding": coding})


def throughput(args: argparse.Namespace, work: Path) -> dict[str, Result]:
    content = work / "content"
    generate(content, 40)
    env = site_env(content)
    with contextlib.ExitStack() as stack:
        site = stack.enter_context(gunicorn_process(env)).url
        _, headers, body = get(site + REFERENCE)
        saved = work / "response.json"
        dropped = ("Date", "Server", "Connection")
        saved.write_text(
            json.dumps(
                {
                    "headers": [[k, v] for k, v in headers.items() if k not in dropped],
                    "body": body.decode("latin-1"),
                }
            )
        )
        ceiling = stack.enter_context(
            gunicorn_process({"BENCH_RESPONSE": str(saved)}, app="bench.ceiling:app")
        ).url
        uncached = stack.enter_context(
            gunicorn_process(
                site_env(
                    content, INSIGHTS_CACHE_TYPE="NullCache", INSIGHTS_RESPONSE_CACHE_BYTES="0"
                ),
            )
        ).url
        export_dir = work / "export"
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "export", str(export_dir)],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
        exported = stack.enter_context(
            nginx("nginx-export.conf", {"INSIGHTS_EXPORT_DIR": str(export_dir)}, work / "ngx1")
        )
        front = stack.enter_context(
            nginx(
                "nginx.conf",
                {
                    "INSIGHTS_UPSTREAM": site.removeprefix("http://"),
                    "INSIGHTS_STATIC_CACHE_DIR": str(default_static_cache_dir()),
                    "INSIGHTS_NGINX_CACHE": str(work / "ngx2/cache"),
                },
                work / "ngx2",
            )
        )
        assert get(ceiling + REFERENCE)[2] == body and get(exported + REFERENCE)[2] == body
        assert get(front + REFERENCE)[2] == body and get(uncached + REFERENCE)[2] == body
        warm(site, [REFERENCE, "/", "/feed.xml"])
        etag = headers["ETag"]
        has_rss = get(site + "/feed.xml")[0] == 200
        scenarios = {
            "cached article": (site + REFERENCE, {}),
            "list page /": (site + "/", {}),
            **({"RSS /feed.xml": (site + "/feed.xml", {})} if has_rss else {}),
            "304 revalidation": (site + REFERENCE, {"If-None-Match": etag}),
            "gzip article": (site + REFERENCE, {"Accept-Encoding": "gzip"}),
            "Python ceiling (fixed bytes)": (ceiling + REFERENCE, {}),
            "rendered every request": (uncached + REFERENCE, {}),
            "nginx serving the export": (exported + REFERENCE, {}),
            "nginx front, micro-cached": (front + REFERENCE, {}),
        }
        runs: dict[str, list[Result]] = {name: [] for name in scenarios}
        for _ in range(args.rounds):
            for name, (url, headers_) in scenarios.items():
                runs[name].append(wrk(url, args, headers_))
    return {name: median(results) for name, results in runs.items()}


def median(results: list[Result]) -> Result:
    middle = sorted(results, key=lambda r: r.rps)[len(results) // 2]
    return Result(middle.rps, middle.p50, middle.p99, sum(r.bad for r in results))


def cold_start(work: Path, count: int) -> tuple[float, Memory]:
    """Seconds from starting gunicorn to the first 200 of an article, with ``count`` articles,
    and the biggest worker's memory then."""
    content = work / f"content-{count}"
    generate(content, count)
    article = f"/insights/generated-{count // 2:05d}/"
    start = time.monotonic()
    with gunicorn_process(site_env(content), ready=article) as server:
        seconds = time.monotonic() - start
        return seconds, biggest_worker(server.pid)


def memory_with_everything_cached(work: Path, count: int) -> tuple[float, float]:
    """One worker's memory (MB) after serving ``count`` articles once each, and after serving
    each of them in identity, gzip and brotli plus every list page."""
    content = work / f"content-{count}"
    env = site_env(content)
    with gunicorn_process(env, workers=1) as server:
        base, worker = server.url, workers_of(server.pid)[0]
        baseline = memory(worker)
        for n in range(count):
            get(f"{base}/insights/generated-{n:05d}/")
        for page in range(1, count // 10 + 2):
            get(f"{base}/insights/page/{page}/" if page > 1 else f"{base}/insights/")
        for n in range(count):
            for coding in ("gzip", "br"):
                get(f"{base}/insights/generated-{n:05d}/", **{"Accept-Encoding": coding})
        return baseline, memory(worker)


RENDER_ONCE = """
import sys, time
from datetime import UTC, datetime
from app import create_app
from extensions import library
from publishing.rendering import rendered_markdown
app = create_app({"CONTENT_DIR": sys.argv[1]})
article = library(app).snapshot().get(sys.argv[2], datetime.now(UTC), True)
times = []
for _ in range(2):
    start = time.perf_counter()
    rendered_markdown(article.body)
    times.append((time.perf_counter() - start) * 1000)
print(*times)
"""


def render_times(work: Path) -> dict[str, tuple[float, float, float]]:
    """(renderer in a fresh process: first call, second call; first HTTP response for it from a
    running server) in ms, for a short and a 5,000-word article."""
    content = work / "render-content"
    shutil.copytree(ROOT / "content", content)
    (content / "long.md").write_text(
        f"---\ntitle: Long\ndate: 2024-01-01\n---\n{prose(random.Random(1), 5000)}"
    )
    found = {}
    with gunicorn_process(site_env(content)) as server:
        base = server.url
        for name, slug in (
            ("short (reference, ~400 words)", REFERENCE.split("/")[2]),
            ("5,000 words", "long"),
        ):
            alone = subprocess.run(
                [sys.executable, "-c", RENDER_ONCE, str(content), slug],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            start = time.monotonic()
            assert get(f"{base}/insights/{slug}/")[0] == 200
            cold, warm_ = (float(ms) for ms in alone.split())
            found[name] = (cold, warm_, (time.monotonic() - start) * 1000)
    return found


TUNE_SETTINGS = [
    ("sync", 2, 1),
    ("gthread", 2, 1),
    ("gthread", 2, 2),
    ("gthread", 2, 4),
    ("gthread", 2, 8),
    ("gthread", 3, 2),
    ("gthread", 3, 4),
    ("gthread", 4, 4),
]


def tune(args: argparse.Namespace, work: Path) -> None:
    """The cached article under each worker setting; all servers up at once, runs interleaved."""
    content = work / "tune-content"
    generate(content, 40)
    runs: dict[tuple[str, int, int], list[Result]] = {setting: [] for setting in TUNE_SETTINGS}
    with contextlib.ExitStack() as stack:
        bases = {}
        for setting in TUNE_SETTINGS:
            worker_class, workers, threads = setting
            flags = ["--worker-class", worker_class, "--threads", str(threads)]
            bases[setting] = stack.enter_context(
                gunicorn_process(site_env(content), *flags, workers=workers)
            ).url
            warm(bases[setting], [REFERENCE])
        for _ in range(args.rounds):
            for setting, base in bases.items():
                runs[setting].append(wrk(base + REFERENCE, args))
    print("| worker class | workers | threads | req/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for (worker_class, workers, threads), results in runs.items():
        r = median(results)
        print(
            f"| {worker_class} | {workers} | {threads} | {r.rps:,.0f} | {r.p50:.1f} | {r.p99:.1f} |"
        )


def table(header: list[str], rows: list[list[str]]) -> None:
    print("\n| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def target(name: str, value: float, goal: float, unit: str, below: bool = False) -> list[str]:
    met = value < goal if below else value >= goal
    sign = "<" if below else "≥"
    return [name, f"{value:.2f}{unit}", f"{sign} {goal:g}{unit}", "yes" if met else "**no**"]


def report(args: argparse.Namespace, results, colds, memory_cached, renders) -> None:
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s on 127.0.0.1, "
        f"median of {args.rounds} interleaved rounds; {os.cpu_count()} cores"
    )
    table(
        ["scenario", "req/s", "p50 ms", "p99 ms", "errors"],
        [
            [name, f"{r.rps:,.0f}", f"{r.p50:.2f}", f"{r.p99:.2f}", str(r.bad)]
            for name, r in results.items()
        ],
    )
    rows = [
        [
            f"cold start to the first article page, {count:,} articles",
            f"{seconds:.2f} s",
            f"{m.rss:.0f} MB / {m.private:.0f} MB",
        ]
        for count, (seconds, m) in colds.items()
    ]
    started, cached = memory_cached
    rows += [
        [
            "one worker, 1,000 articles: started",
            "",
            f"{started.rss:.0f} MB / {started.private:.0f} MB",
        ],
        [
            "one worker, 1,000 articles: all served in 3 codings",
            "",
            f"{cached.rss:.0f} MB / {cached.private:.0f} MB",
        ],
    ]
    table(["start-up", "time", "worker RSS / private"], rows)
    table(
        ["first render", "renderer, fresh process", "renderer, warm", "first HTTP response"],
        [
            [name, f"{cold:.0f} ms", f"{warm_:.0f} ms", f"{http:.0f} ms"]
            for name, (cold, warm_, http) in renders.items()
        ],
    )

    def ratio(a: str, b: str) -> float:
        return results[a].rps / results[b].rps

    table(
        ["target", "measured", "goal", "met"],
        [
            target(
                "cached article / Python ceiling",
                ratio("cached article", "Python ceiling (fixed bytes)"),
                0.9,
                " x",
            ),
            target(
                "cached article / rendered every request",
                ratio("cached article", "rendered every request"),
                15,
                " x",
            ),
            target("gzip / identity", ratio("gzip article", "cached article"), 0.9, " x"),
            target(
                "nginx front / nginx serving the export",
                ratio("nginx front, micro-cached", "nginx serving the export"),
                0.8,
                " x",
            ),
            target("cold start, 10,000 articles", colds[10_000][0], 2, " s", below=True),
            target("worker with 1,000 articles cached (RSS)", cached.rss, 80, " MB", below=True),
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--rounds", type=int, default=5, help="runs per scenario (median kept)")
    parser.add_argument("--tune", action="store_true", help="compare gunicorn settings first")
    parser.add_argument(
        "--scale", action="store_true", help="only the 1,000 against 10,000 articles run"
    )
    parser.add_argument(
        "--images", action="store_true", help="only the article of five large photos run"
    )
    parser.add_argument("--search", action="store_true", help="only the search run")
    args = parser.parse_args()
    if args.images:
        images.main()
        return
    if args.search:
        search.main([])
        return
    with tempfile.TemporaryDirectory(prefix="insights-bench-") as tmp:
        work = Path(tmp)
        if args.scale:
            scale(work)
            return
        if args.tune:
            tune(args, work)
        results = throughput(args, work)
        colds = {count: cold_start(work, count) for count in (1_000, 10_000)}
        memory = memory_with_everything_cached(work, 1_000)
        renders = render_times(work)
    report(args, results, colds, memory, renders)
    print("\n**An article of five large photos** (bench/images.py)\n")
    images.main()
    print("\n**Search at 1,000 and 10,000 articles** (bench/search.py)\n")
    search.main([])


if __name__ == "__main__":
    main()
