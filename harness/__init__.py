"""Real server processes, HTTP helpers and load for the tests and the benchmarks: gunicorn,
redis-server, nginx, slow clients, plain GETs. Neither side imports the other; both import this."""
