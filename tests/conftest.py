"""Fixtures: an app over a private copy of the content, its test client, and article files."""

import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from tests.support.site import INSTANT, ROOT, SITE_URL, ArticleWriter

SLOW_MARKERS = {"browser", "server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser and server tests form the slow tier: ``pytest -m "not slow"`` leaves them out."""
    for item in items:
        if SLOW_MARKERS & {mark.name for mark in item.iter_markers()}:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A copy of the shipped articles that a test may change freely."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.fixture
def app(content_dir: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": str(content_dir),
            "SITE_URL": SITE_URL,
            **INSTANT,
            "CACHE_TYPE": "SimpleCache",
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def write_article(content_dir: Path) -> ArticleWriter:
    """Writes ``content/<name>.md`` from front matter text and a body; returns its path."""

    def write(
        name: str, front_matter: str = "", body: str = "Some text.\n", *, raw: bytes | None = None
    ) -> Path:
        path = content_dir / f"{name}.md"
        path.write_bytes(raw if raw is not None else f"---\n{front_matter}---\n{body}".encode())
        return path

    return write
