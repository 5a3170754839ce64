"""Child processes under a time budget: killed past it, and never the cause of a failed page."""

import errno
import multiprocessing.forkserver
import multiprocessing.process
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publishing.time_budget import ChildDied, ChildLost, ChildPool, NoChildStarted, OverBudget
from tests.support.site import ROOT


def _exit_at_once() -> None:
    os._exit(3)


def test_a_child_past_its_budget_is_killed():
    pool = ChildPool()
    started = time.monotonic()
    with pytest.raises(OverBudget, match=r"stopped after 0\.5 s"):
        pool.run(0.5, time.sleep, 30)
    assert time.monotonic() - started < 10
    assert pool.run(5, sum, [1, 2, 3]) == 6, "the next call gets a new child"


def test_a_child_that_dies_is_named_with_its_exit_code():
    pool = ChildPool()
    assert pool.run(5, os.getpid) != os.getpid()
    with pytest.raises(ChildDied, match="exit code 3"):
        pool.run(5, _exit_at_once)


def killed(pid: int) -> None:
    """Kills ``pid`` (a forkserver's child, not ours to wait for) and waits until it is gone."""
    os.kill(pid, signal.SIGKILL)
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return
        except (FileNotFoundError, ProcessLookupError):  # reaped before or while it was read
            return
        time.sleep(0.01)
    raise AssertionError(f"{pid} outlived SIGKILL")


def test_an_idle_child_killed_from_outside_is_replaced_not_handed_out():
    # kill -9 or the out-of-memory killer on an idle child: the next call must not fail for it.
    pool = ChildPool()
    idle = pool.run(5, os.getpid)
    killed(idle)
    assert pool.run(5, sum, [1, 2, 3]) == 6
    assert pool.run(5, os.getpid) not in {idle, os.getpid()}


def test_a_refused_fork_is_a_lost_child_not_a_fault_of_the_work(monkeypatch):
    def refused(self: multiprocessing.process.BaseProcess) -> None:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    with pytest.raises(NoChildStarted, match="Resource temporarily unavailable") as raised:
        ChildPool().run(5, sum, [1, 2, 3])
    assert isinstance(raised.value, ChildLost)


def test_a_fork_refused_to_the_forkserver_is_a_lost_child_too(monkeypatch):
    # The forkserver re-raises the refused fork and ends; the process asking for a child then
    # reads the end of the pipe the new pid would have come on.
    def ended(fd: int) -> int:
        raise EOFError("unexpected EOF")

    monkeypatch.setattr(multiprocessing.forkserver, "read_signed", ended)
    with pytest.raises(NoChildStarted, match="unexpected EOF") as raised:
        ChildPool().run(5, sum, [1, 2, 3])
    assert isinstance(raised.value, ChildLost)


def test_pages_are_served_where_children_cannot_start():
    # A main module read from stdin cannot be imported again, so every child dies at start:
    # the articles are rendered in the process itself, said once in the log.
    script = """
import tempfile, pathlib
from app import create_app
folder = pathlib.Path(tempfile.mkdtemp())
(folder / "a.md").write_text("---\\ntitle: A\\ndate: 2026-01-01\\n---\\nHello *there*.\\n")
(folder / "b.md").write_text("---\\ntitle: B\\ndate: 2026-01-02\\n---\\nAgain.\\n")
app = create_app({"CONTENT_DIR": str(folder), "RESCAN_INTERVAL": 0, "QUIET_SECONDS": 0})
client = app.test_client()
for url in ["/insights/a/", "/insights/b/", "/feed.xml"]:
    response = client.get(url)
    print(url, response.status_code, b"there" in response.data)
"""
    result = subprocess.run(
        [sys.executable, "-"], input=script, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.splitlines() == [
        "/insights/a/ 200 True",
        "/insights/b/ 200 False",
        "/feed.xml 200 True",
    ], result.stderr
    assert result.stderr.count("rendering in this process, with no time budget") == 1
