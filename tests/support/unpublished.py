"""A preview app (SHOW_DRAFTS on) over a draft and a scheduled article, both tagged AI and Hidden.

Feeds and the sitemap are public: they must show neither article, nor the Hidden tag.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask.testing import FlaskClient

from app import create_app
from tests.support.site import INSTANT, SITE_URL


def preview_with_unpublished(content_dir: Path, write_article: Callable[..., Path]) -> FlaskClient:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    write_article("a-draft", "title: A draft\ndate: 2026-01-01\ndraft: true\ntags: [AI, Hidden]\n")
    write_article("scheduled", f"title: Scheduled\ndate: {tomorrow}\ntags: [AI, Hidden]\n")
    app = create_app(
        {**INSTANT, "CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL, "SHOW_DRAFTS": True}
    )
    client = app.test_client()
    # The preview itself does show them.
    assert client.get("/insights/a-draft/").status_code == 200
    assert client.get("/tags/hidden/").status_code == 200
    return client
