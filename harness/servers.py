"""Real server processes for tests: gunicorn running the app, and redis-server."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(check, what: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {seconds} s")


def _answers(base: str) -> bool:
    with contextlib.suppress(urllib.error.HTTPError):  # any HTTP answer: a worker is serving
        urllib.request.urlopen(base + "/", timeout=5).close()
    return True


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], *args: str, workers: int = 2, log: Path | None = None
) -> Iterator[str]:
    """Runs ``app:create_app()`` under gunicorn with the project's config; yields its base URL.

    Its output (access and error log) goes to ``log`` when given.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *args,
        "app:create_app()",
    ]
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=output
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _answers(base), "gunicorn", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log:
            output.close()


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
        _wait_for(
            lambda: socket.create_connection(("127.0.0.1", port), 1).close() or True,
            "redis-server",
            process,
        )
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
