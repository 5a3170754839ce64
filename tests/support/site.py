"""What the tests know of the site: where it lives, its URL, the reference article, settings."""

from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://insights.example.org"
REFERENCE_SLUG = "why-open-source-ai-models-are-winning-in-2026"
# A test writes a file and asks for it at once: no wait between scans, none for a quiet file.
INSTANT = {"RESCAN_INTERVAL": 0, "QUIET_SECONDS": 0}
# The ``write_article`` fixture: (name, front matter, body, *, raw=bytes) -> the file written.
ArticleWriter = Callable[..., Path]
