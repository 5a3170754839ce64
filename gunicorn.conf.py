"""gunicorn settings for a small two-core server.

Command-line flags (``--bind``, ``--workers``) and ``GUNICORN_CMD_ARGS`` override these.
"""

import os

bind = os.environ.get("PORT") and f"0.0.0.0:{os.environ['PORT']}" or "127.0.0.1:8000"
workers = 2
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
