"""Benchmark: what rendering in a child process under a time budget costs.

    .venv/bin/python bench/render_budget.py

Prints, in ms, the median of a render here and of the same render sent to a child of
``publishing.time_budget.ChildPool`` (the path every cache miss takes), for the reference article
and one about 5,000 words long; then the one-off costs: the first call (the forkserver starts),
stopping a render at its budget, and the next call (a fresh child).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publishing.rendering import rendered_markdown  # noqa: E402
from publishing.time_budget import ChildPool, OverBudget  # noqa: E402

REFERENCE = (ROOT / "content/why-open-source-ai-models-are-winning-in-2026.md").read_text()
BODY = REFERENCE.split("---", 2)[2]
RUNS = 60


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def median_seconds(render) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    pool = ChildPool(preload=["publishing.rendering"])
    start = time.perf_counter()
    pool.run(30, rendered_markdown, BODY)
    first = time.perf_counter() - start

    print("| article | here, ms | in a child, ms | overhead, ms |")
    print("|---|---|---|---|")
    long_body = "\n\n".join([BODY] * 12)
    for name, body in (("reference, ~400 words", BODY), ("~5,000 words", long_body)):
        rendered_markdown(body)
        here = median_seconds(lambda body=body: rendered_markdown(body))
        child = median_seconds(lambda body=body: pool.run(30, rendered_markdown, body))
        print(f"| {name} | {ms(here)} | {ms(child)} | {ms(child - here)} |")

    budget = 0.2
    start = time.perf_counter()
    try:
        pool.run(budget, rendered_markdown, "[" * 30_000)
    except OverBudget:
        stopped = time.perf_counter() - start - budget
    else:
        raise SystemExit("30,000 '[' rendered within the budget")
    start = time.perf_counter()
    pool.run(30, rendered_markdown, BODY)
    after = time.perf_counter() - start
    print()
    print(f"first call, forkserver starting: {ms(first)} ms")
    print(f"stopping a render past its budget: {ms(stopped)} ms after the budget")
    print(f"next call, after the kill: {ms(after)} ms")


if __name__ == "__main__":
    main()
