"""Under load, while the author edits files, a worker dies or Redis goes away, every reader still
gets a correct answer."""

import multiprocessing
import os
import random
import re
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
import redis

from harness.servers import free_port, gunicorn, redis_server
from tests.support.site import REFERENCE_SLUG, ROOT
from tests.support.traffic import fetch, load

pytestmark = pytest.mark.server

LIVE = "---\ntitle: Live article\ndate: 2026-01-01\ntags: [ai]\n---\n{body}\n"
STEADY = ["/", "/insights/", f"/insights/{REFERENCE_SLUG}/", "/tags/ai/", "/static/css/site.css"]


def body(n: int) -> str:
    return f"Edit number {n}.\n\n" + "A paragraph of steady prose. " * 40 + "\n\nEND-OF-ARTICLE"


def write_in_two_parts(path: Path, text: str, rng: random.Random) -> None:
    """What many editors do: truncate in place, then write, with a pause in between."""
    cut = rng.randrange(1, len(text))
    with path.open("r+" if path.exists() else "w", encoding="utf-8") as handle:
        handle.truncate(0)
        handle.write(text[:cut])
        handle.flush()
        time.sleep(rng.uniform(0, 0.01))
        handle.write(text[cut:])


def author(content: str, seconds: float, final: int) -> None:
    """Rewrites live.md, adds and deletes added-N.md, for ``seconds``; ends with edit ``final``."""
    rng = random.Random(7)
    folder = Path(content)
    stop = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop:
        n += 1
        write_in_two_parts(folder / "live.md", LIVE.format(body=body(n)), rng)
        if n % 5 == 0:
            text = f"---\ntitle: Added {n}\ndate: 2026-01-02\n---\nAdded article {n}.\n"
            write_in_two_parts(folder / f"added-{n}.md", text, rng)
        if n % 15 == 0:
            (folder / f"added-{n - 10}.md").unlink(missing_ok=True)
        time.sleep(rng.uniform(0, 0.02))
    write_in_two_parts(folder / "live.md", LIVE.format(body=body(final)), rng)


def whole_articles(url: str, status: int, body: bytes) -> bool:
    """A page of the rewritten article is always one whole version of it."""
    return url != "/insights/live/" or (b"Edit number" in body and b"END-OF-ARTICLE" in body)


def served_or_deleted(url: str, status: int) -> bool:
    """200, or the 404 of an added article that the author has deleted (or not yet added)."""
    return status == 200 or (status == 404 and url.startswith("/insights/added-"))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    live = folder / "live.md"
    live.write_text(LIVE.format(body=body(0)))
    an_hour_ago = time.time() - 3600
    os.utime(live, (an_hour_ago, an_hour_ago))  # published long before the test begins
    return folder


def test_nothing_is_lost_while_the_author_rewrites_adds_and_deletes(content, tmp_path):
    env = {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": "http://example.test"}
    rng = random.Random(3)

    def pick() -> str:
        roll = rng.random()
        if roll < 0.4:
            return "/insights/live/"
        if roll < 0.55:
            return f"/insights/added-{rng.randrange(5, 400, 5)}/"
        return rng.choice(STEADY)

    with gunicorn(env, workers=2, log=tmp_path / "gunicorn.log") as base:
        writer = multiprocessing.get_context("fork").Process(
            target=author, args=(str(content), 20, 9999)
        )
        writer.start()
        tally = load(base, pick, seconds=21, clients=16, check=whole_articles)
        writer.join(timeout=30)
        assert writer.exitcode == 0

        assert tally.failures == []
        assert tally.wrong == []  # never half an article
        assert tally.requests > 2000
        assert tally.unexpected(served_or_deleted) == []
        assert tally.statuses[("/insights/live/", 200)] > 500

        # The last edit is what every worker serves once the files are still.
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            pages = [fetch(f"{base}/insights/live/")[1] for _ in range(16)]
            if all("Edit number 9999." in page and "END-OF-ARTICLE" in page for page in pages):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the last edit was not served by every worker")
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in log


def gunicorn_workers(port: int) -> set[int]:
    """Worker pids of the gunicorn listening on ``port``: the children of its master."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if b"gunicorn" in cmdline and f"127.0.0.1:{port}".encode() in cmdline:
            found[int(entry.name)] = ppid
    (master,) = [pid for pid, ppid in found.items() if ppid not in found]
    return {pid for pid, ppid in found.items() if ppid == master}


def two_workers(port: int, seconds: float = 15) -> set[int]:
    """The workers, once both have booted (the server answers as soon as one has)."""
    deadline = time.monotonic() + seconds
    while len(workers := gunicorn_workers(port)) != 2:
        assert time.monotonic() < deadline, f"workers: {workers}"
        time.sleep(0.05)
    return workers


def test_a_worker_killed_mid_load_is_replaced_and_only_its_requests_fail(content):
    env = {"INSIGHTS_CONTENT_DIR": str(content)}
    with gunicorn(env, workers=2) as base:
        port = int(base.rsplit(":", 1)[1])
        victim = sorted(two_workers(port))[0]

        def kill_soon() -> None:
            time.sleep(3)
            os.kill(victim, signal.SIGKILL)

        killer = multiprocessing.get_context("fork").Process(target=kill_soon)
        killer.start()
        clients = 8
        tally = load(base, lambda: random.choice(STEADY), seconds=8, clients=clients)
        killer.join()

        assert len(tally.failures) <= clients, tally.failures  # at most those in flight
        assert tally.unexpected(lambda url, status: status == 200) == []
        assert victim not in two_workers(port)
        assert all(fetch(base + url)[0] == 200 for url in STEADY)


def test_redis_stopping_mid_load_costs_no_error_and_it_is_used_again_when_back(content, tmp_path):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    env = {
        "INSIGHTS_CONTENT_DIR": str(content),
        "INSIGHTS_CACHE_TYPE": "RedisCache",
        "INSIGHTS_CACHE_REDIS_URL": url,
    }
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, workers=2, log=log) as base:
        results = {}
        with redis_server(port):
            assert fetch(f"{base}/insights/{REFERENCE_SLUG}/")[0] == 200
            assert redis.Redis.from_url(url).keys("insights:render:*")
            clients = threading.Thread(
                target=lambda: results.update(
                    tally=load(base, lambda: random.choice(STEADY), seconds=6, clients=8)
                )
            )
            clients.start()
            time.sleep(2)
        # Redis is gone from here on, with the clients still running; an edit forces a render.
        (content / "live.md").write_text(LIVE.format(body=body(1)))
        time.sleep(1)
        assert "Edit number 1." in fetch(f"{base}/insights/live/")[1]
        clients.join()
        tally = results["tally"]
        assert tally.failures == []
        assert tally.unexpected(lambda url, status: status == 200) == []

        with redis_server(port):
            (content / "live.md").write_text(LIVE.format(body=body(2)))
            time.sleep(1)
            assert "Edit number 2." in fetch(f"{base}/insights/live/")[1]
            stored = redis.Redis.from_url(url).keys("insights:render:*live.md*")
            assert len(stored) == 1
    lines = log.read_text().splitlines()
    faults = [line for line in lines if "cache unavailable, " in line]
    assert 1 <= len(faults) <= 4  # a line when each worker meets the fault, not one a request
    assert all(
        re.search(r"\[WARNING\] publishing\.cache_health: cache unavailable, \S+", f)
        for f in faults
    )
    assert any("cache available again" in line for line in lines)
    assert not any("Traceback" in line for line in lines)
