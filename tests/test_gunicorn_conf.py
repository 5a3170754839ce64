"""gunicorn.conf.py: loopback unless told otherwise, and a warning when it faces the network."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.http import get
from harness.servers import free_port, gunicorn_process, wait_for
from tests.support.site import ROOT

pytestmark = pytest.mark.server

FACING = "gunicorn faces the network directly"


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=5)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(self.path)


@contextlib.contextmanager
def started(env: dict[str, str], log: Path) -> Iterator[None]:
    """gunicorn with the project's config and no --bind, until its worker has booted."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
               "--workers", "1", "app:create_app()"]  # fmt: skip
    with log.open("ab") as output:
        clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "INSIGHTS_BIND")}
        process = subprocess.Popen(
            command, cwd=ROOT, env={**clean, **env}, stdout=output, stderr=output
        )
    try:
        wait_for(lambda: "Booting worker" in log.read_text(), "gunicorn", process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def answers(port: int, host: str = "127.0.0.1") -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


def non_loopback_address() -> str | None:
    """An address of this host's that is not loopback, if it has one."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        address = probe.getsockname()[0]
        return None if address.startswith("127.") else address
    return None


def test_port_alone_binds_loopback_and_says_nothing(content_dir, tmp_path):
    port, log = free_port(), tmp_path / "gunicorn.log"
    with started({"PORT": str(port), "INSIGHTS_CONTENT_DIR": str(content_dir)}, log):
        assert answers(port)
        outside = non_loopback_address()
        if outside:
            assert not answers(port, outside)
    text = log.read_text()
    assert f"Listening at: http://127.0.0.1:{port}" in text and FACING not in text


def test_a_unix_socket_serves_and_says_nothing(content_dir, tmp_path):
    path, log = tmp_path / "gunicorn.sock", tmp_path / "gunicorn.log"
    env = {"INSIGHTS_BIND": f"unix:{path}", "INSIGHTS_CONTENT_DIR": str(content_dir)}
    with started(env, log):
        connection = UnixConnection(str(path))
        connection.request("GET", "/healthz")
        assert connection.getresponse().status == 200
        connection.close()
    assert FACING not in log.read_text()


def test_flask_debug_is_ignored_under_gunicorn_and_said(content_dir, tmp_path):
    """Debug mode would open the live-reload streams, each holding a worker thread."""
    port, log = free_port(), tmp_path / "gunicorn.log"
    env = {"PORT": str(port), "INSIGHTS_CONTENT_DIR": str(content_dir), "FLASK_DEBUG": "1"}
    with started(env, log):
        status, _, body = get(f"http://127.0.0.1:{port}/_live-reload/site?since=x")
        assert status == 404
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"live-reload" not in body
    assert "FLASK_DEBUG ignored" in log.read_text()


def test_facing_the_network_is_a_choice_the_start_log_names(content_dir, tmp_path):
    port, log = free_port(), tmp_path / "gunicorn.log"
    env = {"INSIGHTS_BIND": f"0.0.0.0:{port}", "INSIGHTS_CONTENT_DIR": str(content_dir)}
    with started(env, log):
        assert answers(port)
    warning = next(line for line in log.read_text().splitlines() if FACING in line)
    assert "[WARNING]" in warning and f"0.0.0.0:{port}" in warning


def test_the_config_serves_a_plain_wsgi_app_too():
    # The bench's Python ceiling is such an app: the start hook must not take it for the site.
    with gunicorn_process({}, app="tests.support.plain_wsgi:app", ready="/") as server:
        status, _, body = get(server.url + "/")
    assert (status, body) == (200, b"plain\n")
