"""The Python ceiling: the same gunicorn serving a page's exact bytes and headers, no framework.

``BENCH_RESPONSE`` names a JSON file {"headers": [[name, value], ...], "body": <latin-1 text>}
saved from the site, so both send the same bytes.
"""

import json
import os

with open(os.environ["BENCH_RESPONSE"], encoding="utf-8") as saved:
    _RESPONSE = json.load(saved)
_BODY = _RESPONSE["body"].encode("latin-1")
_HEADERS = [(name, value) for name, value in _RESPONSE["headers"]]


def app(environ: dict, start_response) -> list[bytes]:
    start_response("200 OK", _HEADERS)
    return [_BODY]
