"""Fixtures: an app over a private copy of the content, its test client, and article files."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app

pytest_plugins = ["tests.conftest_browser"]

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://insights.example.org"
REFERENCE_SLUG = "why-open-source-ai-models-are-winning-in-2026"
# A test writes a file and asks for it at once: no wait between scans, none for a quiet file.
INSTANT = {"RESCAN_INTERVAL": 0, "QUIET_SECONDS": 0}


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


ArticleWriter = Callable[..., Path]


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
