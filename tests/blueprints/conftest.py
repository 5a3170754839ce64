"""Fixtures the view tests share."""

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from app import create_app
from tests.support.bundles import image_bytes, write_bundle
from tests.support.site import INSTANT, SITE_URL


@pytest.fixture
def covered_client(content_dir: Path) -> FlaskClient:
    """The shipped articles (shared with their cards) and one with a JPEG cover of its folder."""
    cover = image_bytes(1600, 900, "JPEG")
    front = "image: cover.jpg\nimage_alt: A field\n"
    files = {"cover.jpg": cover}
    write_bundle(
        content_dir, "photo-story", "Text.\n", files, "Photo", date="2026-12-01", front=front
    )
    app = create_app({"CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL, **INSTANT})
    return app.test_client()
