"""The reload stream: what it names, its heartbeat, and its one ``reload`` event."""

import json

from serving.event_stream import changes, event
from tests.support.clock import FakeClock


def parse(chunk: bytes) -> tuple[str, dict]:
    """(event name, data) of one event chunk."""
    fields = dict(
        line.split(": ", 1)
        for line in chunk.decode().splitlines()
        if line.startswith(("event", "data"))
    )
    return fields["event"], json.loads(fields["data"])


def stream(tokens: list[str], clock: FakeClock, since: str = "v1"):
    """A stream whose current token is the head of ``tokens``; each pause moves ``clock``."""
    return changes(
        lambda: tokens[0],
        since,
        "article a",
        monotonic=clock.monotonic,
        sleep=clock.advance,
        poll=1.0,
        heartbeat=10.0,
    )


def test_it_names_what_it_watches_then_reloads_once_the_token_changes():
    tokens, clock = ["v1"], FakeClock()
    events = stream(tokens, clock)
    first = next(events)
    assert first.startswith(b"retry: ")
    assert parse(first) == ("watching", {"watching": "article a", "since": "v1", "now": "v1"})
    tokens[0] = "v2"
    assert parse(next(events)) == ("reload", {"watching": "article a", "now": "v2"})
    assert list(events) == [], "the stream ends after its reload"


def test_a_page_drawn_from_an_older_state_reloads_at_once():
    events = stream(["v2"], FakeClock(), since="v1")
    assert [parse(chunk)[0] for chunk in events] == ["watching", "reload"]


def test_an_idle_stream_sends_a_heartbeat_every_interval_and_nothing_else():
    tokens, clock = ["v1"], FakeClock()
    events = stream(tokens, clock)
    next(events)
    start = clock.monotonic()
    beats = [next(events), next(events)]
    assert beats == [b": heartbeat\n\n"] * 2
    assert clock.monotonic() - start == 20.0  # one per 10 s of the clock, with polls between


def test_event_data_is_one_line_of_json_whatever_it_holds():
    chunk = event("reload", {"now": "a\nb"})
    assert chunk == b'event: reload\ndata: {"now": "a\\nb"}\n\n'
