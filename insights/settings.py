"""Built-in configuration defaults; every key can be overridden by an ``INSIGHTS_`` variable."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "CONTENT_DIR": str(PROJECT_DIR / "content"),
    "SITE_URL": "",
    "SITE_TITLE": "Insights",
    "SITE_DESCRIPTION": "Articles with live charts and diagrams.",
    "SITE_LANGUAGE": "en",
    "AUTHOR": "Vin Patel",
    "TIMEZONE": "UTC",
    "SHOW_DRAFTS": False,
    "PER_PAGE": 10,
    "RESCAN_INTERVAL": 0.5,
    "PAGE_MAX_AGE": 60,
    "MAX_ARTICLE_BYTES": 2_097_152,
    "HSTS_SECONDS": 0,
    "FEED_SIZE": 20,
    "FEED_MAX_AGE": 300,
    "WORDS_PER_MINUTE": 220,
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": 0,
    "CACHE_KEY_PREFIX": "insights:",
}
