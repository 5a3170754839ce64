"""A failing cache is logged when it fails and when it comes back, not on every request."""

import logging

import pytest

from publishing.cache_health import CacheHealth


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="publishing.cache_health")
    return caplog


def test_a_cache_that_keeps_failing_is_logged_once_while_it_stays_down(log):
    health = CacheHealth()
    health.worked()
    for _ in range(50):
        health.failed("rendering a.md locally", ConnectionError("refused"))
    assert log.messages == ["cache unavailable, rendering a.md locally: refused"]


def test_a_cache_down_longer_than_the_quiet_time_is_logged_again(log):
    health = CacheHealth()
    health.QUIET_SECONDS = 0.0
    health.failed("rendering a.md locally", ConnectionError("refused"))
    health.failed("b.md not stored", ConnectionError("refused"))
    assert log.messages == [
        "cache unavailable, rendering a.md locally: refused",
        "cache unavailable, b.md not stored: refused",
    ]


def test_the_cache_coming_back_is_logged_once(log):
    health = CacheHealth()
    health.failed("rendering a.md locally", ConnectionError("refused"))
    health.worked()
    health.worked()
    assert len(log.messages) == 2 and log.messages[1].startswith("cache available again after ")


def test_each_health_names_what_it_follows(log):
    health = CacheHealth("cache writes")
    health.failed("a.md not stored", ConnectionError("OOM"))
    health.worked()
    assert log.messages[0] == "cache writes unavailable, a.md not stored: OOM"
    assert log.messages[1].startswith("cache writes available again after ")
