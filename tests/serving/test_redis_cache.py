"""Scale-out: with RedisCache, an article rendered by one app process is served from Redis by
another; a Redis that dies or hangs costs a local render and a log line, never an error."""

import contextlib
import dataclasses
import logging
import socket
import threading
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from flask import Flask

from app import create_app
from extensions import library, renderer
from harness.servers import gunicorn, redis_server
from publishing.render_cache import Renderer, cache_key
from publishing.rendering import Rendered
from tests.support.site import REFERENCE_SLUG, SITE_URL

ARTICLE = f"/insights/{REFERENCE_SLUG}/"
OTHER = "/insights/reading-the-latency-budget/"
SENTINEL = "Served from Redis, never rendered here"


def redis_app(content_dir: Path, url: str) -> Flask:
    return create_app(
        {
            "CONTENT_DIR": str(content_dir),
            "SITE_URL": SITE_URL,
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": url,
        }
    )


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_one_app_renders_and_another_serves_the_rendering_from_redis(content_dir, monkeypatch):
    renders: list[str] = []
    real = Renderer.render_uncached
    monkeypatch.setattr(
        Renderer, "render_uncached", lambda self, a: renders.append(a.slug) or real(self, a)
    )
    with redis_server() as url:
        first, second = redis_app(content_dir, url), redis_app(content_dir, url)
        page = first.test_client().get(ARTICLE)
        assert renders == [REFERENCE_SLUG]
        assert second.test_client().get(ARTICLE).data == page.data
        assert renders == [REFERENCE_SLUG]  # the second app only read Redis
        assert redis.Redis.from_url(url).keys("insights:render:*")


def test_the_redis_client_gets_short_timeouts(content_dir):
    store = renderer(redis_app(content_dir, "redis://127.0.0.1:1/0")).store
    settings = store._write_client.connection_pool.connection_kwargs
    assert settings["socket_timeout"] == settings["socket_connect_timeout"] == 0.1


def test_a_redis_that_hangs_costs_a_local_render_not_a_hung_request(content_dir, caplog):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        app = redis_app(content_dir, f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        answers: list = []
        worker = threading.Thread(
            target=lambda: answers.append(app.test_client().get(ARTICLE)), daemon=True
        )
        worker.start()
        worker.join(timeout=20)
    assert answers, "the request hung on a Redis that does not answer"
    assert answers[0].status_code == 200 and b"Open-source AI models" in answers[0].data
    assert "cache unavailable, rendering" in caplog.text


def test_a_full_redis_is_logged_once_and_its_return_once(content_dir, caplog):
    # Full under noeviction, Redis answers every read and refuses every write: each render
    # used to log its write failing and its read working, two lines an article a request.
    with redis_server() as url:
        admin = redis.Redis.from_url(url)
        admin.config_set("maxmemory-policy", "noeviction")
        admin.config_set("maxmemory", 1)
        app = redis_app(content_dir, url)
        client = app.test_client()
        with caplog.at_level(logging.WARNING, logger="publishing.cache_health"):
            for feed in ["/feed.xml", "/atom.xml", "/feed.json"]:
                assert client.get(feed).status_code == 200
            admin.config_set("maxmemory", 0)
            assert client.get(ARTICLE).status_code == 200  # rendered again, and now stored
        assert admin.keys("insights:render:*")
    full, back = [r.getMessage() for r in caplog.records]
    assert full.startswith("cache writes unavailable, ") and "not allowed when used memory" in full
    assert back.startswith("cache writes available again after ")


@pytest.mark.server
def test_gunicorn_hosts_share_renderings_and_keep_serving_when_redis_stops(content_dir, tmp_path):
    log = tmp_path / "second.log"
    with contextlib.ExitStack() as redis_running:
        url = redis_running.enter_context(redis_server())
        env = {
            "INSIGHTS_CONTENT_DIR": str(content_dir),
            "INSIGHTS_SITE_URL": SITE_URL,
            "INSIGHTS_CACHE_TYPE": "RedisCache",
            "INSIGHTS_CACHE_REDIS_URL": url,
        }
        with gunicorn(env, workers=1) as first:
            assert get(first + ARTICLE)[0] == 200
        # Swap the stored rendering for a sentinel: only a reader of Redis can show it.
        app = redis_app(content_dir, url)
        key = cache_key(library(app).snapshot().get(REFERENCE_SLUG, datetime.now(UTC)))
        stored = renderer(app).store.get(key)
        assert isinstance(stored, Rendered)
        renderer(app).store.set(key, dataclasses.replace(stored, html=f"<p>{SENTINEL}</p>"))

        with gunicorn(env, workers=1, log=log) as second:
            assert SENTINEL in get(second + ARTICLE)[1]
            redis_running.close()  # Redis stops mid-test
            status, other = get(second + OTHER)
            assert status == 200 and "Where 300 ms Goes" in other
            status, page = get(second + ARTICLE)  # from this worker's response cache
            assert status == 200 and SENTINEL in page
    assert "cache unavailable, rendering reading-the-latency-budget.md locally" in log.read_text()
