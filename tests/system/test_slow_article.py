"""Under gunicorn, an article Python-Markdown takes minutes over costs its own page, never the
site: hammered with its feeds by 16 clients, cached pages keep answering."""

import shutil
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from harness.servers import gunicorn
from tests.support.site import REFERENCE_SLUG, ROOT
from tests.support.traffic import fetch, load

pytestmark = pytest.mark.server

SLOW = "---\ntitle: Slow\ndate: 2026-01-03\ntags: [ai]\n---\n" + "[" * 30_000 + "\n"
HAMMERED = ["/insights/slow/", "/feed.xml", "/atom.xml", "/feed.json", "/tags/ai/feed.xml"]
CACHED = f"/insights/{REFERENCE_SLUG}/"


def probe(url: str) -> float:
    """Seconds one fresh connection takes to get ``url`` whole (10 when it fails)."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
    except OSError:
        return 10.0
    return time.monotonic() - start


def test_a_slow_article_hammered_with_the_feeds_leaves_cached_pages_answering(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "slow.md").write_text(SLOW)
    log = tmp_path / "gunicorn.log"
    with gunicorn({"INSIGHTS_CONTENT_DIR": str(content)}, workers=2, log=log) as base:
        for _ in range(20):  # cached in both workers
            assert fetch(base + CACHED)[0] == 200
        results = {}
        hammer = threading.Thread(
            target=lambda: results.update(
                tally=load(base, lambda: HAMMERED[int(time.monotonic() * 97) % 5], 25, 16)
            )
        )
        hammer.start()
        times = []
        while hammer.is_alive():
            times.append(probe(base + CACHED))
            time.sleep(0.25)
        hammer.join()
        tally = results["tally"]
        status, page = fetch(base + "/insights/slow/")

    quick = sum(seconds < 2 for seconds in times) / len(times)
    print(f"{len(times)} probes, {quick:.0%} within 2 s, slowest {max(times):.1f} s")
    assert quick >= 0.8, sorted(times)
    assert tally.failures == []
    assert tally.unexpected(lambda url, status: status == 200) == []
    assert tally.requests > 1000  # the error box was cached, not the budget paid per request
    assert status == 200 and "rendering took longer than the 3 s limit" in page
    text = log.read_text()
    assert "Traceback" not in text
    assert "WORKER TIMEOUT" not in text
    # one render of it per worker, not one per request
    assert 1 <= text.count("slow.md: rendering took longer than") <= 2


def processes() -> dict[int, tuple[int, bytes]]:
    """pid -> (parent pid, command line) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                found[int(entry.name)] = (
                    int(stat.rsplit(")", 1)[1].split()[1]),
                    (entry / "cmdline").read_bytes(),
                )
            except OSError:
                continue
    return found


def below_gunicorn(port: int) -> set[int]:
    """The gunicorn on ``port`` and every process below it (its forkservers and their children)."""
    table = processes()
    mine = {pid for pid, (_, cmdline) in table.items() if f"127.0.0.1:{port}".encode() in cmdline}
    grew = True
    while grew:
        below = {pid for pid, (parent, _) in table.items() if parent in mine}
        grew = not below <= mine
        mine |= below
    return mine


def test_the_render_children_end_with_the_server(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    with gunicorn({"INSIGHTS_CONTENT_DIR": str(content)}, workers=1) as base:
        assert fetch(base + CACHED)[0] == 200
        family = below_gunicorn(int(base.rsplit(":", 1)[1]))
        assert len(family) >= 4  # master, worker, its forkserver, a render child
    deadline = time.monotonic() + 10
    while alive := [pid for pid in family if Path(f"/proc/{pid}").exists()]:
        assert time.monotonic() < deadline, f"outlived the server: {alive}"
        time.sleep(0.1)
