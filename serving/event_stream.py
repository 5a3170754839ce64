"""A server-sent event stream that tells a page when what it shows has changed.

The page names the state it was drawn from (``since``, an opaque token); the stream checks the
current token every ``poll`` seconds and sends one ``reload`` event the moment it differs, then
ends. Meanwhile a comment line goes out every ``heartbeat`` seconds: proxies and browsers keep an
idle stream open, and a write to a client that has gone away fails, so the server closes this
generator (``GeneratorExit`` at its ``yield``) instead of holding a thread for a dead page.
"""

import json
from collections.abc import Callable, Iterator

MEDIA_TYPE = "text/event-stream"
# How long the browser's EventSource waits before it opens a stream again after one ends.
RETRY_MS = 1000


def event(name: str, data: object) -> bytes:
    """One event, its data as a line of JSON."""
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def changes(
    current: Callable[[], str],
    since: str,
    watching: str,
    *,
    monotonic: Callable[[], float],
    sleep: Callable[[float], None],
    poll: float,
    heartbeat: float,
) -> Iterator[bytes]:
    """The stream: ``watching`` first (what is watched, at which token), then heartbeats until
    ``current()`` differs from ``since``, then ``reload`` with the new token."""
    yield f"retry: {RETRY_MS}\n".encode() + event(
        "watching", {"watching": watching, "since": since, "now": current()}
    )
    next_beat = monotonic() + heartbeat
    while (now := current()) == since:
        if monotonic() >= next_beat:
            yield b": heartbeat\n\n"
            next_beat = monotonic() + heartbeat
        sleep(poll)
    yield event("reload", {"watching": watching, "now": now})
