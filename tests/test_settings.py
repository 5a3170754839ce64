"""Settings read from the environment."""

import tempfile
from pathlib import Path

from settings import static_cache_dir


def test_static_builds_default_to_the_users_cache_dir_never_the_shared_temp_dir(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/srv/cache")
    assert static_cache_dir({"STATIC_CACHE_DIR": ""}) == Path("/srv/cache/insights/static")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG spec says to ignore it
    home = Path.home() / ".cache/insights/static"
    assert static_cache_dir({"STATIC_CACHE_DIR": ""}) == home
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert static_cache_dir({"STATIC_CACHE_DIR": ""}) == home
    assert not home.is_relative_to(tempfile.gettempdir())
    assert static_cache_dir({"STATIC_CACHE_DIR": "/var/cache/x"}) == Path("/var/cache/x")
