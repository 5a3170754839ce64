"""gunicorn settings for a small two-core server, chosen by measurement (``bench/run.py --tune``;
the figures are in the README).

Two gthread workers, one per core (more measured no faster), with four threads each. On cached
pages they answer about a third faster than sync workers: a keep-alive connection waits in the
worker's poller without holding a thread, and a thread waiting on Redis leaves the core to the
others. Eight threads measured no faster than four, with a worse p99.

The app is loaded, and the content directory read, once in the master before the workers fork:
workers start at once, share that memory, and one that dies is replaced in milliseconds. (So a
code change needs a restart, not a HUP.)

It listens on loopback only (``127.0.0.1:8000``, or ``127.0.0.1:$PORT``): 16 clients sending
their headers a byte at a time stop it, so it belongs behind nginx (``deploy/nginx.conf``), which
reads each request whole first. ``INSIGHTS_BIND`` chooses other addresses (comma-separated), a
Unix socket (``unix:/run/insights/gunicorn.sock``) or, as a deliberate choice, the network; the
start log then says it faces the network directly.

Command-line flags (``--bind``, ``--workers``) and ``GUNICORN_CMD_ARGS`` override these.
"""

import gc
import ipaddress
import os
import socket

from flask import Flask
from gunicorn.arbiter import Arbiter

from extensions import library

# Flask's debug mode turns on the author's live reload, whose event streams would each hold a
# worker thread for as long as a page stays open: never under gunicorn, whatever the shell set.
_debug_dropped = os.environ.pop("FLASK_DEBUG", "").lower() not in ("", "0", "false", "no")

bind = [
    address.strip()
    for address in (
        os.environ.get("INSIGHTS_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"
    ).split(",")
    if address.strip()
]
workers = 2
worker_class = "gthread"
threads = 4
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"

# Everything to stdout, one line per event: gunicorn's messages and the app's warnings (a skipped
# article, a cache fault) with their level and logger name. The access log is left to gunicorn,
# so --access-logfile still chooses where it goes.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        }
    },
    "handlers": {
        "line": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"level": "INFO", "handlers": ["line"]},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["line"], "propagate": False}},
}


def _facing_the_network(server: Arbiter) -> list[str]:
    """The addresses gunicorn listens on that are not loopback (Unix sockets never are)."""
    found = []
    for listener in server.LISTENERS:
        if listener.sock.family in (socket.AF_INET, socket.AF_INET6):
            host = listener.sock.getsockname()[0]
            if not ipaddress.ip_address(host.split("%")[0]).is_loopback:
                found.append(str(listener))
    return found


def when_ready(server: Arbiter) -> None:
    """Warn when facing the network. Then, before the first fork: read the articles, and keep
    what the master built out of the garbage collector's sight, so collections in the workers do
    not copy the shared pages."""
    if _debug_dropped:
        server.log.warning(
            "FLASK_DEBUG ignored: debug mode (and live reload) is for the development server "
            "(scripts/run), not gunicorn"
        )
    if exposed := _facing_the_network(server):
        server.log.warning(
            "gunicorn faces the network directly at %s: slow clients can take every worker "
            "thread; put nginx in front (deploy/nginx.conf) and bind to loopback or a Unix "
            "socket (INSIGHTS_BIND)",
            ", ".join(exposed),
        )
    if not server.cfg.preload_app:
        return
    app = server.app.wsgi()
    if isinstance(app, Flask):  # not for a plain WSGI app, such as the bench's ceiling
        library(app).snapshot()
    gc.freeze()
