"""Live reload exists only in debug mode: there every page names the stream of what it shows,
and the stream reports a reload once the library has read a saved change (never during the
quiet period of a save in progress); outside debug mode its URLs answer 404 and no page loads
its script."""

import json
import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

import blueprints.live_reload
from app import create_app
from serving import event_stream
from tests.support.bundles import write_bundle
from tests.support.clock import FakeClock
from tests.support.site import REFERENCE_SLUG, SITE_URL

ARTICLE = f"/insights/{REFERENCE_SLUG}/"
QUIET = 1.0
SCRIPT = re.compile(r'<script src="[^"]*/js/live-reload\.js" data-events="([^"]+)" defer>')


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def debug_app(content_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Flask:
    # A heartbeat after every check of the library and no pause between checks: each chunk
    # the test reads is one look at the content, taken after the test has moved the clock.
    monkeypatch.setattr(blueprints.live_reload, "HEARTBEAT_SECONDS", 0.0)
    monkeypatch.setattr(blueprints.live_reload, "POLL_SECONDS", 0.0)
    config = {
        "DEBUG": True,
        "CONTENT_DIR": str(content_dir),
        "SITE_URL": SITE_URL,
        "RESCAN_INTERVAL": 0,
        "QUIET_SECONDS": QUIET,
        "CACHE_TYPE": "SimpleCache",
    }
    return create_app(config, clock=clock)


@pytest.fixture
def debug_client(debug_app: Flask) -> FlaskClient:
    return debug_app.test_client()


def events_url(client: FlaskClient, path: str, status: int = 200) -> str:
    page = client.get(path)
    assert page.status_code == status
    found = SCRIPT.findall(page.text)
    assert len(found) == 1, "every page in debug mode loads the script once"
    return found[0].replace("&amp;", "&")


class Stream:
    """An open event stream, read one chunk at a time."""

    def __init__(self, client: FlaskClient, url: str) -> None:
        self.response = client.get(url, buffered=False)
        assert self.response.status_code == 200
        self.chunks: Iterator[bytes] = iter(self.response.response)

    def next(self) -> tuple[str, dict | None]:
        """(event name, data); a heartbeat is ("heartbeat", None)."""
        chunk = next(self.chunks).decode()
        if chunk.startswith(": heartbeat"):
            return "heartbeat", None
        fields = dict(line.split(": ", 1) for line in chunk.splitlines() if ": " in line)
        return fields["event"], json.loads(fields["data"])

    def close(self) -> None:
        self.response.close()


@pytest.fixture
def streams() -> Iterator[list[Stream]]:
    opened: list[Stream] = []
    yield opened
    for stream in opened:
        stream.close()


def open_stream(client: FlaskClient, url: str, streams: list[Stream]) -> Stream:
    stream = Stream(client, url)
    streams.append(stream)
    return stream


def saved(path: Path, clock: FakeClock, text: str) -> float:
    """Writes ``path`` as an editor saves it; puts the clock at the moment of the save."""
    path.write_text(text, encoding="utf-8")
    clock.now = os.stat(path).st_mtime
    return clock.now


def test_outside_debug_mode_the_stream_is_404_and_no_page_loads_the_script(client):
    for url in ("/_live-reload/site", f"/_live-reload{ARTICLE}", f"/_live-reload{ARTICLE}?since=x"):
        assert client.get(url).status_code == 404, url
    for path, status in (("/", 200), (ARTICLE, 200), ("/tags/", 200), ("/insights/nope/", 404)):
        page = client.get(path)
        assert page.status_code == status
        assert "live-reload" not in page.text and "data-events" not in page.text


def test_flask_run_debug_turns_it_on_before_the_app_is_made(content_dir, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `flask run --debug` sets before loading the app
    made = create_app({"CONTENT_DIR": str(content_dir)})
    assert made.debug
    assert made.test_client().get("/_live-reload/site").status_code == 200
    assert 'data-events="/_live-reload/site?since=' in made.test_client().get("/").text


def test_an_article_page_watches_its_article_and_other_pages_the_content(debug_client, streams):
    url = events_url(debug_client, ARTICLE)
    assert url.startswith(f"/_live-reload{ARTICLE}?since=")
    stream = open_stream(debug_client, url, streams)
    assert stream.response.mimetype == "text/event-stream"
    assert stream.response.headers["Cache-Control"] == "no-store"
    name, data = stream.next()
    assert name == "watching"
    assert data["watching"] == f"article {REFERENCE_SLUG}"
    assert data["since"] == data["now"], "the page names the version it was drawn from"
    for path in ("/", "/tags/", "/archive/", "/insights/nope/"):
        status = 404 if "nope" in path else 200
        assert events_url(debug_client, path, status).startswith("/_live-reload/site?since=")


def test_a_saved_edit_reloads_the_article_only_after_its_quiet_period(
    debug_client, content_dir, clock, streams
):
    stream = open_stream(debug_client, events_url(debug_client, ARTICLE), streams)
    assert stream.next()[0] == "watching"
    path = content_dir / f"{REFERENCE_SLUG}.md"
    text = path.read_text(encoding="utf-8")
    saved_at = saved(path, clock, text + "\nEdited while open.\n")
    clock.now = saved_at + QUIET / 2  # the editor may still be writing
    assert stream.next() == ("heartbeat", None)
    clock.now = saved_at + QUIET * 2
    name, data = stream.next()
    assert name == "reload"
    page = debug_client.get(ARTICLE)
    assert "Edited while open." in page.text
    assert events_url(debug_client, ARTICLE).endswith(f"since={data['now']}")
    with pytest.raises(StopIteration):
        stream.next()


def test_an_edit_of_another_article_does_not_reload_an_article(
    debug_client, content_dir, clock, streams
):
    stream = open_stream(debug_client, events_url(debug_client, ARTICLE), streams)
    stream.next()
    saved_at = saved(
        content_dir / "other.md", clock, "---\ntitle: Other\ndate: 2025-01-01\n---\nx\n"
    )
    clock.now = saved_at + QUIET * 2
    assert stream.next() == ("heartbeat", None)
    assert debug_client.get("/insights/other/").status_code == 200


def test_a_bundle_file_edit_reloads_its_article(debug_client, content_dir, clock, streams):
    folder = write_bundle(content_dir, "gpu-spend", "See [the data](spend.csv).\n", {
        "spend.csv": b"month,spend\nJan,1\n",
    })  # fmt: skip
    clock.now = os.stat(folder / "spend.csv").st_mtime + QUIET * 2
    stream = open_stream(debug_client, events_url(debug_client, "/insights/gpu-spend/"), streams)
    stream.next()
    saved_at = saved(folder / "spend.csv", clock, "month,spend\nJan,1\nFeb,2\n")
    clock.now = saved_at + QUIET / 2
    assert stream.next() == ("heartbeat", None)
    clock.now = saved_at + QUIET * 2
    assert stream.next()[0] == "reload"


def test_a_deleted_article_reloads_into_the_404_page_which_watches_the_content(
    debug_client, content_dir, streams
):
    stream = open_stream(debug_client, events_url(debug_client, ARTICLE), streams)
    stream.next()
    (content_dir / f"{REFERENCE_SLUG}.md").unlink()
    assert stream.next() == ("reload", {"watching": f"article {REFERENCE_SLUG}", "now": "gone"})
    assert events_url(debug_client, ARTICLE, 404).startswith("/_live-reload/site?since=")


def test_an_article_that_breaks_reloads_into_a_page_naming_its_problem(
    debug_client, content_dir, clock, streams
):
    stream = open_stream(debug_client, events_url(debug_client, ARTICLE), streams)
    stream.next()
    saved_at = saved(content_dir / f"{REFERENCE_SLUG}.md", clock, "---\ntitle: [unclosed\n---\nx\n")
    clock.now = saved_at + QUIET * 2  # quiet, but young: its last good version stays a while
    assert stream.next() == ("heartbeat", None)
    clock.now = saved_at + 10  # settled: the file is broken, not half-written
    assert stream.next()[0] == "reload"
    page = debug_client.get(ARTICLE)
    assert page.status_code == 404
    assert f"<code>{REFERENCE_SLUG}.md: broken YAML front matter" in page.text


def test_the_list_reloads_when_an_article_is_added(debug_client, content_dir, clock, streams):
    stream = open_stream(debug_client, events_url(debug_client, "/"), streams)
    assert stream.next()[1]["watching"] == "content"
    saved_at = saved(content_dir / "new.md", clock, "---\ntitle: New\ndate: 2025-01-01\n---\nx\n")
    clock.now = saved_at + QUIET / 2
    assert stream.next() == ("heartbeat", None)
    clock.now = saved_at + QUIET * 2
    assert stream.next()[0] == "reload"


def test_a_stream_ends_when_its_client_goes_away(debug_app, monkeypatch):
    ended = threading.Event()
    changes = event_stream.changes

    def tracked(*args, **kwargs):
        try:
            yield from changes(*args, **kwargs)
        finally:
            ended.set()

    monkeypatch.setattr(event_stream, "changes", tracked)
    monkeypatch.setattr(blueprints.live_reload, "POLL_SECONDS", 0.01)
    url = events_url(debug_app.test_client(), "/")  # the current version: nothing to report
    server = make_server("127.0.0.1", 0, debug_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
            client.sendall(f"GET {url} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            received = b""
            while b"event: watching" not in received:  # through the response cache, unbuffered
                received += client.recv(4096)
        assert ended.wait(10), "the server still runs the stream of a client that has gone"
    finally:
        server.shutdown()


def test_in_debug_mode_export_is_refused(debug_app, tmp_path):
    result = debug_app.test_cli_runner().invoke(args=["export", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert "debug mode is on" in result.output
    assert not (tmp_path / "site").exists()
