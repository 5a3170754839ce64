"""Settings: read from the defaults, the environment and the app's test_config, typed, checked,
and documented by the README's table."""

import contextlib
import dataclasses
import re
import socket
import tempfile
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_caching import Cache

from app import create_app
from settings import (
    FIELDS,
    SettingError,
    Settings,
    default_static_cache_dir,
    load,
    other_keys,
    readme_table,
)
from tests.support.site import ROOT


def test_defaults_are_used_when_nothing_is_given():
    config = load(environ={})
    assert config == Settings()
    assert config.content_dir == ROOT / "content" and config.timezone == ZoneInfo("UTC")
    assert (config.per_page, config.rescan_interval, config.show_drafts) == (10, 0.5, False)


def test_test_config_overrides_the_environment_which_overrides_the_defaults():
    environ = {"INSIGHTS_PER_PAGE": "5", "INSIGHTS_FEED_SIZE": "7", "HOME": "/x"}
    config = load({"PER_PAGE": 3}, environ)
    assert (config.per_page, config.feed_size, config.words_per_minute) == (3, 7, 220)


def test_values_take_the_type_of_their_setting():
    environ = {
        "INSIGHTS_SITE_TITLE": "2024",  # text stays text, never read as JSON
        "INSIGHTS_RENDER_TIMEOUT": "2",
        "INSIGHTS_TIMEZONE": "Europe/Paris",
        "INSIGHTS_CONTENT_DIR": "/srv/articles",
    }
    config = load(environ=environ)
    assert config.site_title == "2024"
    assert config.render_timeout == 2.0 and isinstance(config.render_timeout, float)
    assert config.timezone == ZoneInfo("Europe/Paris")
    assert config.content_dir == Path("/srv/articles")


def test_the_settings_cannot_be_changed_once_made():
    with pytest.raises(dataclasses.FrozenInstanceError):
        load(environ={}).per_page = 5  # type: ignore[misc]


def test_other_keys_are_kept_for_flask_and_flask_caching(monkeypatch):
    monkeypatch.setenv("INSIGHTS_CACHE_REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("INSIGHTS_PER_PAGE", "5")
    keys = other_keys({"TESTING": True, "SITE_TITLE": "x"})
    assert keys["CACHE_REDIS_URL"] == "redis://cache:6379/0" and keys["TESTING"] is True
    assert not set(keys) & set(FIELDS)


def test_debug_mode_cannot_come_from_an_insights_variable(monkeypatch, tmp_path):
    """Only the development server's FLASK_DEBUG turns it on: under gunicorn it would open
    the live-reload streams and list the files kept off the site on the 404 page."""
    monkeypatch.setenv("INSIGHTS_DEBUG", "true")
    assert "DEBUG" not in other_keys()
    app = create_app({"CONTENT_DIR": str(tmp_path)})
    assert not app.debug and "live_reload" not in app.blueprints


def test_flask_caching_gets_the_cache_settings_and_redis_short_timeouts():
    config = load({"CACHE_TYPE": "RedisCache", "CACHE_REDIS_TIMEOUT": 0.5}, {})
    given = {"CACHE_REDIS_URL": "redis://cache/0", "CACHE_OPTIONS": {"socket_timeout": 2}}
    caching = config.cache_config(given)
    assert caching["CACHE_TYPE"] == "RedisCache" and caching["CACHE_KEY_PREFIX"] == "insights:"
    assert caching["CACHE_REDIS_URL"] == "redis://cache/0"
    options = caching["CACHE_OPTIONS"]
    assert options["socket_timeout"] == 2 and options["socket_connect_timeout"] == 0.5
    assert "CACHE_OPTIONS" not in load(environ={}).cache_config({})


@pytest.mark.parametrize("named_by", ["url", "host and port"])
def test_a_dead_redis_is_tried_once_a_lookup_however_it_is_named(named_by):
    # A listener that hangs up at once, counting how often the cache's client knocks.
    knocks = []
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def answer() -> None:
            server.settimeout(2)
            with contextlib.suppress(OSError):
                while True:
                    connection, _ = server.accept()
                    knocks.append(1)
                    connection.close()

        threading.Thread(target=answer, daemon=True).start()
        given = (
            {"CACHE_REDIS_URL": f"redis://127.0.0.1:{port}/0"}
            if named_by == "url"
            else {"CACHE_REDIS_HOST": "127.0.0.1", "CACHE_REDIS_PORT": port}
        )
        config = load({"CACHE_TYPE": "RedisCache"}, {}).cache_config(given)
        cache = Cache(Flask(__name__), config=config)
        with contextlib.suppress(Exception):  # the page then renders the article itself
            cache.cache.get("some-key")
    assert len(knocks) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("False", False), ("no", False), ("on", True), ("0", False), ("1", True)],
)
def test_true_or_false_settings_read_every_usual_spelling(text, expected):
    assert load(environ={"INSIGHTS_SHOW_DRAFTS": text}).show_drafts is expected


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("SHOW_DRAFTS", "maybe", "INSIGHTS_SHOW_DRAFTS must be true or false, not 'maybe'"),
        ("PER_PAGE", "ten", "INSIGHTS_PER_PAGE must be a whole number, not 'ten'"),
        ("PER_PAGE", "2.5", "INSIGHTS_PER_PAGE must be a whole number, not 2.5"),
        ("RESCAN_INTERVAL", "soon", "INSIGHTS_RESCAN_INTERVAL must be a number, not 'soon'"),
        ("PER_PAGE", "0", "INSIGHTS_PER_PAGE must be between 1 and 1000, not 0"),
        ("WORDS_PER_MINUTE", "0", "INSIGHTS_WORDS_PER_MINUTE must be between 50 and 2000, not 0"),
        ("FEED_SIZE", "-1", "INSIGHTS_FEED_SIZE must be between 1 and 1000, not -1"),
        ("RESCAN_INTERVAL", "NaN", "INSIGHTS_RESCAN_INTERVAL must be between 0 and 3600, not nan"),
        ("RESPONSE_CACHE_BYTES", "1e30", "INSIGHTS_RESPONSE_CACHE_BYTES must be between 0 and"),
        ("PAGE_MAX_AGE", "Infinity", "INSIGHTS_PAGE_MAX_AGE must be a whole number, not inf"),
        ("TIMEZONE", "Mars/Olympus", "INSIGHTS_TIMEZONE must be a time zone name"),
        ("TIMEZONE", "../../etc/passwd", "INSIGHTS_TIMEZONE must be a time zone name"),
        ("SITE_URL", "insights.example.org", "INSIGHTS_SITE_URL must be empty or an absolute"),
        ("SITE_URL", "ftp://insights.example.org", "INSIGHTS_SITE_URL must be empty or an"),
        ("SITE_URL", "https://ex.org/blog", "INSIGHTS_SITE_URL must have no path, query or"),
        ("SITE_LANGUAGE", "en_US", "INSIGHTS_SITE_LANGUAGE must be a BCP 47 language tag"),
    ],
)
def test_a_setting_of_the_wrong_kind_or_out_of_range_stops_the_start_naming_it(
    monkeypatch, name, text, message
):
    monkeypatch.setenv(f"INSIGHTS_{name}", text)
    with pytest.raises(SettingError, match=re.escape(message)):
        create_app()


def test_a_site_url_below_the_root_of_its_host_is_refused_and_one_at_the_root_is_not():
    """Routes start at "/": a path would be doubled in feeds and the export, and missing from
    the pages' links; a query or fragment would land inside every URL."""
    for url in [
        "https://ex.org/blog",
        "https://ex.org/blog/",
        "https://ex.org/?",
        "http://ex.org#",
    ]:
        root = url.split(":")[0] + "://ex.org"
        message = (
            f"INSIGHTS_SITE_URL must have no path, query or fragment, not {url!r}: the site must "
            f"be served at the root of its host, as {root} (a trailing slash is fine)"
        )
        with pytest.raises(SettingError, match=re.escape(message)):
            load({"SITE_URL": url}, {})
    for url in ["https://ex.org", "https://ex.org/", "http://ex.org:8080/", ""]:
        assert load({"SITE_URL": url}, {}).site_url == url


def test_a_site_language_that_is_no_bcp_47_tag_is_refused_and_a_bcp_47_tag_is_not():
    """It becomes Atom's xml:lang, RSS <language> and JSON Feed's language, which take only
    such a tag (RFC 4287: letters, digits and hyphens); a locale name is told its tag."""
    must = "INSIGHTS_SITE_LANGUAGE must be a BCP 47 language tag such as en or en-US, not"
    for tag, hint in [
        ("en_US", ": write 'en-US'"),
        ("pt_BR", ": write 'pt-BR'"),
        ("english (UK)", ""),
        ("", ""),
        ("en-", ""),
        ("en-US-", ""),
        ("1en", ""),
        ("en-verylongsub", ""),
        ("fr-x", ""),
    ]:
        with pytest.raises(SettingError) as refused:
            load({"SITE_LANGUAGE": tag}, {})
        assert str(refused.value) == f"{must} {tag!r}{hint}"
    for tag in ["en", "en-US", "EN-gb", "es-419", "zh-Hant-TW", "de-CH-1901", "en-u-ca-gregory"]:
        assert load({"SITE_LANGUAGE": tag}, {}).site_language == tag


def test_a_test_config_value_is_checked_as_the_environment_is():
    with pytest.raises(SettingError, match="INSIGHTS_PER_PAGE must be between 1 and 1000, not 0"):
        create_app({"PER_PAGE": 0})
    with pytest.raises(SettingError, match="INSIGHTS_SITE_TITLE must be text, not 5"):
        load({"SITE_TITLE": 5}, {})


def test_every_number_setting_has_a_range_its_default_is_in():
    defaults = Settings()
    for name, field in FIELDS.items():
        if field.type in (int, float):
            low, high = field.metadata["range"]
            assert low <= getattr(defaults, field.name) <= high, name
        else:
            assert field.metadata["range"] is None, name


def test_every_setting_says_what_it_means():
    assert all(field.metadata["meaning"].endswith((".", "…")) for field in FIELDS.values())


def _readme_table() -> str:
    readme = (ROOT / "README.md").read_text()
    configuration = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    start = configuration.index("| variable |")
    end = configuration.index("\n\n", start)
    return configuration[start : end + 1]


def test_the_readme_table_is_the_settings_table():
    # Every setting with its default, range and meaning, and nothing that is not a setting:
    # regenerate it with `python scripts/settings_table.py` after changing a setting.
    assert _readme_table() == readme_table()


def test_the_readme_table_names_every_setting_with_its_default():
    rows = [line.split(" | ") for line in _readme_table().splitlines()[2:]]
    assert [row[0].removeprefix("| `INSIGHTS_").rstrip("`") for row in rows] == list(FIELDS)
    defaults = Settings()
    for row, field in zip(rows, FIELDS.values(), strict=True):
        value = getattr(defaults, field.name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            assert row[1].startswith(f"`{value:g}`" if isinstance(value, float) else f"`{value}`")


def test_static_builds_default_to_the_users_cache_dir_never_the_shared_temp_dir(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/srv/cache")
    assert default_static_cache_dir() == Path("/srv/cache/insights/static")
    assert load(environ={}).static_cache_dir == Path("/srv/cache/insights/static")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG spec says to ignore it
    home = Path.home() / ".cache/insights/static"
    assert default_static_cache_dir() == home
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_static_cache_dir() == home
    assert not home.is_relative_to(tempfile.gettempdir())
    assert load(environ={"INSIGHTS_STATIC_CACHE_DIR": ""}).static_cache_dir == home
    configured = load(environ={"INSIGHTS_STATIC_CACHE_DIR": "/var/cache/x"})
    assert configured.static_cache_dir == Path("/var/cache/x")
