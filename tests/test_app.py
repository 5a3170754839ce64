import re
from pathlib import Path

import pytest

from app import create_app
from settings import DEFAULTS, RANGES, SettingError
from tests.support.site import ROOT


def test_defaults_point_at_the_shipped_content():
    app = create_app()
    assert Path(app.config["CONTENT_DIR"]) == ROOT / "content"
    assert app.config["CACHE_TYPE"] == "SimpleCache"
    assert app.config["SHOW_DRAFTS"] is False


def test_environment_variables_with_the_insights_prefix_override_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHTS_CONTENT_DIR", str(tmp_path))
    monkeypatch.setenv("INSIGHTS_SITE_TITLE", "Field Notes")
    monkeypatch.setenv("INSIGHTS_SHOW_DRAFTS", "true")
    monkeypatch.setenv("INSIGHTS_PER_PAGE", "5")
    monkeypatch.setenv("INSIGHTS_CACHE_TYPE", "RedisCache")
    monkeypatch.setenv("INSIGHTS_CACHE_REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app()
    assert app.config["CONTENT_DIR"] == str(tmp_path)
    assert app.config["SITE_TITLE"] == "Field Notes"
    assert app.config["SHOW_DRAFTS"] is True
    assert app.config["PER_PAGE"] == 5
    assert app.config["CACHE_TYPE"] == "RedisCache"
    assert app.config["CACHE_REDIS_URL"] == "redis://127.0.0.1:1/0"
    assert create_app({"SITE_TITLE": "Test"}).config["SITE_TITLE"] == "Test"


def test_every_default_key_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for key in DEFAULTS:
        assert f"`INSIGHTS_{key}`" in readme, key


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("False", False), ("no", False), ("on", True), ("0", False), ("1", True)],
)
def test_true_or_false_settings_read_every_usual_spelling(monkeypatch, text, expected):
    monkeypatch.setenv("INSIGHTS_SHOW_DRAFTS", text)
    assert create_app().config["SHOW_DRAFTS"] is expected


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
    ],
)
def test_a_setting_of_the_wrong_kind_or_out_of_range_stops_the_start_naming_it(
    monkeypatch, name, text, message
):
    monkeypatch.setenv(f"INSIGHTS_{name}", text)
    with pytest.raises(SettingError, match=re.escape(message)):
        create_app()


def test_every_number_setting_has_a_range_its_default_is_in():
    numbers = {
        key: value
        for key, value in DEFAULTS.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
    assert set(numbers) == set(RANGES)
    for key, value in numbers.items():
        low, high = RANGES[key]
        assert low <= value <= high, key
