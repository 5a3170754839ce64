"""The application factory: what it builds from the settings, and where the settings reach."""

import stat
from pathlib import Path

import pytest
from flask_caching.backends import RedisCache, SimpleCache

from app import create_app
from extensions import library, renderer, settings, share_images, static_build
from serving.static_assets import UnsafeCacheDir
from tests.support.site import INSTANT, ROOT


def test_defaults_point_at_the_shipped_content():
    app = create_app()
    assert library(app).content_dir == ROOT / "content"
    assert isinstance(renderer(app).store, SimpleCache)
    assert settings(app).show_drafts is False


def test_environment_variables_with_the_insights_prefix_override_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHTS_CONTENT_DIR", str(tmp_path))
    monkeypatch.setenv("INSIGHTS_SITE_TITLE", "Field Notes")
    monkeypatch.setenv("INSIGHTS_SHOW_DRAFTS", "true")
    monkeypatch.setenv("INSIGHTS_PER_PAGE", "5")
    monkeypatch.setenv("INSIGHTS_CACHE_TYPE", "RedisCache")
    monkeypatch.setenv("INSIGHTS_CACHE_REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app()
    config = settings(app)
    assert library(app).content_dir == tmp_path
    assert (config.site_title, config.show_drafts, config.per_page) == ("Field Notes", True, 5)
    # Flask-Caching's own keys reach it: the backend is Redis, at the URL given
    store = renderer(app).store
    assert isinstance(store, RedisCache)
    assert store._write_client.connection_pool.connection_kwargs["port"] == 1
    assert settings(create_app({"SITE_TITLE": "Test"})).site_title == "Test"


def test_keys_that_are_no_setting_go_to_flask_and_settings_stay_out_of_its_config(tmp_path):
    app = create_app({"TESTING": True, "CONTENT_DIR": str(tmp_path), "PER_PAGE": 3})
    assert app.testing is True
    assert "PER_PAGE" not in app.config and "CONTENT_DIR" not in app.config
    assert settings(app).per_page == 3


def test_the_singletons_are_made_once_per_app(tmp_path):
    first, second = create_app({"CONTENT_DIR": str(tmp_path)}), create_app()
    with first.app_context():
        assert library() is library(first) and renderer() is renderer(first)
        assert static_build() is static_build(first)
    assert library(first) is not library(second)
    assert library(first).content_dir == Path(tmp_path)


def test_image_variants_are_kept_in_a_private_folder_of_the_image_cache(tmp_path):
    config = {"CONTENT_DIR": str(tmp_path), "IMAGE_CACHE_DIR": str(tmp_path / "images")}
    app = create_app(config)
    variants = tmp_path / "images" / "variants"
    assert renderer(app).images.root == variants
    assert stat.S_IMODE(variants.stat().st_mode) == 0o700
    variants.chmod(0o777)
    with pytest.raises(UnsafeCacheDir, match=r"refusing image cache dir .*others can write"):
        create_app(config)


def test_an_image_cache_others_can_write_to_stops_the_start(tmp_path):
    """Whoever may write to it could swap the folders of variants and cards for their own."""
    (tmp_path / "images").mkdir(mode=0o700)
    (tmp_path / "images").chmod(0o777)
    config = {"CONTENT_DIR": str(tmp_path), "IMAGE_CACHE_DIR": str(tmp_path / "images")}
    with pytest.raises(UnsafeCacheDir, match=r"images: others can write"):
        create_app(config)


def test_without_a_folder_to_write_images_go_without_variants(tmp_path, caplog):
    (tmp_path / "images").write_text("a file where the folder of variants should be")
    app = create_app({"CONTENT_DIR": str(tmp_path), "IMAGE_CACHE_DIR": str(tmp_path / "images")})
    assert renderer(app).images.root is None
    assert "images get no smaller variants: cannot write" in caplog.text


def test_share_cards_are_kept_in_a_private_folder_of_the_image_cache(tmp_path):
    config = {"CONTENT_DIR": str(tmp_path), "IMAGE_CACHE_DIR": str(tmp_path / "images")}
    app = create_app(config)
    cards = tmp_path / "images" / "cards"
    assert share_images(app).cards_dir == cards
    assert stat.S_IMODE(cards.stat().st_mode) == 0o700
    cards.chmod(0o777)
    with pytest.raises(UnsafeCacheDir, match=r"refusing share card dir .*others can write"):
        create_app(config)


def test_without_a_folder_to_write_articles_go_without_cards(tmp_path, caplog):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("---\ntitle: A\ndate: 2026-01-01\n---\nText.\n")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "cards").write_text("a file where the folder of cards should be")
    config = {"CONTENT_DIR": str(content), "IMAGE_CACHE_DIR": str(tmp_path / "images"), **INSTANT}
    app = create_app(config)
    assert share_images(app).cards_dir is None
    assert "articles get no share cards: cannot write" in caplog.text
    response = app.test_client().get("/insights/a/")
    assert response.status_code == 200 and b"og:image" not in response.data
