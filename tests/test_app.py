import re
from pathlib import Path

import pytest

from app import create_app
from insights.settings import DEFAULTS, SettingError


def test_defaults_point_at_the_shipped_content():
    app = create_app()
    assert Path(app.config["CONTENT_DIR"]) == Path(__file__).resolve().parent.parent / "content"
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
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
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
    ],
)
def test_a_setting_of_the_wrong_kind_stops_the_start_with_its_name(
    monkeypatch, name, text, message
):
    monkeypatch.setenv(f"INSIGHTS_{name}", text)
    with pytest.raises(SettingError, match=re.escape(message)):
        create_app()
