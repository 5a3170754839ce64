"""Servers for the benchmarks: gunicorn under the project's config, HTTP GETs, worker memory."""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "http://insights.example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    check: Callable[[], bool], what: str, process: subprocess.Popen, seconds: float = 20
) -> None:
    """Poll ``check`` until it is true; fail when ``process`` exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{what} did not start within {seconds} s")


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def site_env(content: Path, **extra: str) -> dict[str, str]:
    """The environment of a site over ``content``, plus ``extra`` settings."""
    return {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": SITE_URL, **extra}


@contextlib.contextmanager
def gunicorn(
    spec: str, env: dict[str, str], *flags: str, ready: str = "/healthz"
) -> Iterator[tuple[str, int]]:
    """gunicorn with the project's gunicorn.conf.py (plus ``flags``), once ``ready`` answers
    below 500; yields (URL, master pid)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", *flags, spec],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(base + ready)[0] < 500, spec, process, seconds=120)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def workers_of(master: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{master}/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


@dataclass
class Memory:
    rss: float  # MB resident, shared pages (libraries, preloaded code) included
    private: float  # MB resident in this process only: what one more worker costs


def memory(pid: int) -> Memory:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    kb = {name: int(value) for name, value in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
    return Memory(kb["Rss"] / 1024, (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024)


def biggest_worker(master: int) -> Memory:
    return max((memory(pid) for pid in workers_of(master)), key=lambda m: m.rss)
