"""Built-in configuration defaults; every key can be overridden by an ``INSIGHTS_`` variable."""

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

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
    "QUIET_SECONDS": 0.2,
    "PAGE_MAX_AGE": 60,
    "MAX_ARTICLE_BYTES": 2_097_152,
    "HSTS_SECONDS": 0,
    "FEED_SIZE": 20,
    "FEED_MAX_AGE": 300,
    "WORDS_PER_MINUTE": 220,
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": 7 * 24 * 3600,
    "CACHE_KEY_PREFIX": "insights:",
    "CACHE_REDIS_TIMEOUT": 0.1,
    "RESPONSE_CACHE_BYTES": 64 * 1024 * 1024,
    "STATIC_CACHE_DIR": "",
}


_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


class SettingError(ValueError):
    """A setting whose value cannot be used; the message names the variable."""


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(value)
    return int(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    return float(value)


def typed(config: MutableMapping[str, Any]) -> None:
    """Give each setting with a true/false or numeric default that type, in place.

    Environment variables arrive as text, or as whatever JSON they parse as: ``False``,
    ``no`` or ``"1"`` must not be taken as true, nor ``"10"`` be left a string.
    """
    for key, default in DEFAULTS.items():
        if isinstance(default, bool):
            convert, kind = _boolean, "true or false"
        elif isinstance(default, int):
            convert, kind = _integer, "a whole number"
        elif isinstance(default, float):
            convert, kind = _number, "a number"
        else:
            continue
        try:
            config[key] = convert(config[key])
        except (TypeError, ValueError):
            raise SettingError(f"INSIGHTS_{key} must be {kind}, not {config[key]!r}") from None


def cache_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Flask-Caching's settings on top of ``config``: a Redis backend gets short socket
    timeouts (unless ``CACHE_OPTIONS`` sets its own), so a dead Redis costs milliseconds."""
    if "redis" not in str(config["CACHE_TYPE"]).lower():
        return {}
    timeout = float(config["CACHE_REDIS_TIMEOUT"])
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    return {"CACHE_OPTIONS": {**options, **(config.get("CACHE_OPTIONS") or {})}}


def static_cache_dir(config: Mapping[str, Any]) -> Path:
    """Where the builds of static files are kept between restarts: by default in this user's
    cache directory, never the shared temporary one, where another user could create it first
    and plant files that would be served as ours."""
    if config["STATIC_CACHE_DIR"]:
        return Path(config["STATIC_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"  # as the XDG spec says
    return base / "insights" / "static"
