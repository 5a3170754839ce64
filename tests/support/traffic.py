"""Bounded HTTP load on loopback for the hardening tests: many keep-alive clients, every answer
recorded."""

import gzip
import http.client
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)  # (url, status) -> count
    failures: list[str] = field(default_factory=list)  # dropped connections, timeouts
    wrong: list[str] = field(default_factory=list)  # answers the check refused
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def unexpected(self, allowed: Callable[[str, int], bool]) -> list[tuple[str, int]]:
        return [(url, status) for (url, status) in self.statuses if not allowed(url, status)]


Check = Callable[[str, int, bytes], bool]


def _client(base: str, pick: Callable[[], str], stop: float, tally: Tally, check: Check) -> None:
    host, port = urlsplit(base).hostname, urlsplit(base).port
    connection = http.client.HTTPConnection(host, port, timeout=15)
    rng = random.Random()
    while time.monotonic() < stop:
        url = pick()
        try:
            connection.request("GET", url, headers={"Accept-Encoding": rng.choice(["gzip", ""])})
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            with tally.lock:
                tally.failures.append(f"{url}: {type(exc).__name__}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=15)
            continue
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        with tally.lock:
            tally.statuses[(url, response.status)] += 1
            if not check(url, response.status, body):
                tally.wrong.append(f"{url}: {response.status}, {len(body)} bytes")
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=15)
    connection.close()


def fetch(url: str) -> tuple[int, str]:
    """(status, body) of one GET; an HTTP error status is an answer, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def load(
    base: str,
    pick: Callable[[], str],
    seconds: float,
    clients: int = 16,
    check: Check = lambda url, status, body: True,
) -> Tally:
    """Runs ``clients`` threads, each asking for ``pick()`` URLs back to back for ``seconds``;
    ``check(url, status, body)`` judges each answer."""
    tally = Tally()
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(base, pick, stop, tally, check), daemon=True)
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return tally
