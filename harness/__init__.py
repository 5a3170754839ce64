"""Real server processes and load for the tests and the benchmarks: gunicorn, redis-server,
nginx, slow clients. Neither side imports the other; both import this."""
