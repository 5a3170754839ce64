"""What slow clients do to the site: a bare gunicorn against the nginx front of deploy/.

    .venv/bin/python bench/slow_clients.py     # about 4 minutes

Each slow client sends a request line, then one header byte every two seconds, and is replaced
as soon as the server cuts it; a probe asks for a page (or /healthz) every round and counts as
answered within 5 s. Everything runs on 127.0.0.1 under the production gunicorn.conf.py, for a
fixed time per row, and stops by itself.
"""

import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.nginx import nginx
from harness.servers import ROOT, gunicorn
from harness.slow_clients import Outcome, allow_open_files, attack
from settings import default_static_cache_dir

SECONDS = 20
BARE = (4, 8, 16, 32, 64)
FRONTED = (1_000, 4_000, 8_000, 15_000)
PROBES = ("/insights/why-open-source-ai-models-are-winning-in-2026/", "/healthz")


def row(setup: str, clients: int, outcome: Outcome) -> str:
    slowest = f"{outcome.slowest * 1000:.0f}" if outcome.slowest is not None else "-"
    held = f"{outcome.longest:.1f}" if outcome.cut else "never cut"
    return (
        f"| {setup} | {clients:,} | {outcome.answered} of {len(outcome.probes)} | {slowest} "
        f"| {held} | {outcome.refused} |"
    )


def main() -> None:
    allow_open_files(max(FRONTED) + 1_000)
    work = Path(tempfile.mkdtemp(prefix="insights-slow-"))
    env = {"INSIGHTS_CONTENT_DIR": str(ROOT / "content")}
    print("| server | slow clients | probes answered | slowest probe ms | a slow client held, s "
          "| connections refused |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    try:
        for clients in BARE:
            with gunicorn(env) as app_url:
                port = int(app_url.rsplit(":", 1)[1])
                urls = [app_url + path for path in PROBES]
                outcome = attack(port, urls, connections=clients, seconds=SECONDS)
                print(row("bare gunicorn", clients, outcome), flush=True)
        for clients in FRONTED:
            with contextlib.ExitStack() as stack:
                app_url = stack.enter_context(gunicorn(env))
                values = {
                    "INSIGHTS_UPSTREAM": app_url.removeprefix("http://"),
                    "INSIGHTS_STATIC_CACHE_DIR": str(default_static_cache_dir()),
                    "INSIGHTS_NGINX_CACHE": str(work / f"cache-{clients}"),
                }
                base = stack.enter_context(nginx("nginx.conf", values, work / f"ngx-{clients}"))
                port = int(base.rsplit(":", 1)[1])
                urls = [base + path for path in PROBES]
                outcome = attack(port, urls, connections=clients, seconds=SECONDS)
                print(row("nginx front", clients, outcome), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
