"""Real server processes: gunicorn running the app (or any WSGI app), and redis-server."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from harness.http import get

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    check: Callable[[], object], what: str, process: subprocess.Popen, seconds: float = 60
) -> None:
    """Poll ``check`` until it is true; fail when ``process`` exits or time runs out.

    Polls every 10 ms: the bench times cold starts by it.
    """
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


@dataclass(frozen=True)
class Gunicorn:
    url: str  # http://127.0.0.1:<port>
    pid: int  # the master's


@contextlib.contextmanager
def gunicorn_process(
    env: dict[str, str],
    *args: str,
    app: str = "app:create_app()",
    workers: int = 2,
    log: Path | None = None,
    ready: str = "/",
) -> Iterator[Gunicorn]:
    """Runs ``app`` under gunicorn with the project's config (plus ``args``) once ``ready``
    answers, whatever the status: a worker is serving.

    Its output (access and error log) goes to ``log`` when given.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *args, app,
    ]  # fmt: skip
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=output
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(url + ready), app, process)
        yield Gunicorn(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log:
            output.close()


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], *args: str, workers: int = 2, log: Path | None = None
) -> Iterator[str]:
    """``app:create_app()`` under gunicorn (see ``gunicorn_process``); yields its base URL."""
    with gunicorn_process(env, *args, workers=workers, log=log) as server:
        yield server.url


@contextlib.contextmanager
def flask_debug_server(env: dict[str, str]) -> Iterator[str]:
    """``flask --app app run --debug`` on a free port, as ``scripts/run`` starts it (Werkzeug's
    reloader and debugger included); yields its base URL once ``/`` answers. The reloader runs
    the app in a child process, so the server gets a session of its own and the whole group is
    ended."""
    port = free_port()
    command = [sys.executable, "-m", "flask", "--app", "app", "run", "--debug", "--port", str(port)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(url + "/"), "flask run --debug", process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@contextlib.contextmanager
def redis_server(port: int | None = None) -> Iterator[str]:
    """A throw-away redis-server on ``port`` (or a free one); yields its URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = port or free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(
            lambda: socket.create_connection(("127.0.0.1", port), 1).close() or True,
            "redis-server",
            process,
        )
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def file_server(root: Path, port: int | None = None) -> Iterator[str]:
    """``python -m http.server`` over ``root`` (on ``port``, or a free one); yields its URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(base + "/"), "http.server", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
