"""gunicorn settings for a small two-core server, chosen by measurement (``bench/run.py --tune``;
the figures are in the README).

Two gthread workers, one per core (more measured no faster), with four threads each. On cached
pages they answer about a third faster than sync workers: a keep-alive connection waits in the
worker's poller without holding a thread, and a thread waiting on Redis leaves the core to the
others. Eight threads measured no faster than four, with a worse p99.

The app is loaded, and the content directory read, once in the master before the workers fork:
workers start at once, share that memory, and one that dies is replaced in milliseconds. (So a
code change needs a restart, not a HUP.)

Command-line flags (``--bind``, ``--workers``) and ``GUNICORN_CMD_ARGS`` override these.
"""

import gc
import os

from gunicorn.arbiter import Arbiter

bind = f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000"
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


def when_ready(server: Arbiter) -> None:
    """Before the first fork: read the articles, then keep what the master built out of the
    garbage collector's sight, so collections in the workers do not copy the shared pages."""
    if not server.cfg.preload_app:
        return
    extensions = getattr(server.app.wsgi(), "extensions", {})
    if "insights.library" in extensions:
        extensions["insights.library"].snapshot()
    gc.freeze()
