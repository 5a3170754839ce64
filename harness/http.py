"""Plain HTTP GETs against the servers the harness starts, whatever the status."""

import urllib.error
import urllib.request


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
