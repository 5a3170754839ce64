"""Built-in configuration defaults; every key can be overridden by an ``INSIGHTS_`` variable."""

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_DIR = Path(__file__).resolve().parent

DEFAULTS: dict[str, object] = {
    "CONTENT_DIR": str(PROJECT_DIR / "content"),
    "SITE_URL": "",
    "ALLOWED_HOSTS": "",
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
    "RENDER_TIMEOUT": 3.0,
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


# The range of every number setting: a value outside it stops the start, naming the variable,
# instead of a site that starts and then fails on every page (0 per page, 0 words a minute).
RANGES: dict[str, tuple[float, float]] = {
    "PER_PAGE": (1, 1000),
    "RESCAN_INTERVAL": (0, 3600),
    "QUIET_SECONDS": (0, 60),
    "PAGE_MAX_AGE": (0, 31_536_000),
    "MAX_ARTICLE_BYTES": (1024, 67_108_864),
    "HSTS_SECONDS": (0, 63_072_000),
    "FEED_SIZE": (1, 1000),
    "FEED_MAX_AGE": (0, 31_536_000),
    "WORDS_PER_MINUTE": (50, 2000),
    "CACHE_DEFAULT_TIMEOUT": (0, 31_536_000),
    "CACHE_REDIS_TIMEOUT": (0.001, 60),
    "RESPONSE_CACHE_BYTES": (0, 17_179_869_184),
    "RENDER_TIMEOUT": (0.1, 600),
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
    """Give each setting with a true/false or numeric default that type, in place, and check
    that each is in its range and that the time zone and site URL are usable.

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
            value = config[key] = convert(config[key])
        except (TypeError, ValueError, OverflowError):
            raise SettingError(f"INSIGHTS_{key} must be {kind}, not {config[key]!r}") from None
        low, high = RANGES.get(key, (value, value))
        if not low <= value <= high:  # a NaN fails this too
            raise SettingError(
                f"INSIGHTS_{key} must be between {low:g} and {high:g}, not {value!r}"
            )
    _check_words(config)


def _check_words(config: Mapping[str, Any]) -> None:
    try:
        ZoneInfo(str(config["TIMEZONE"]))
    except (ValueError, ZoneInfoNotFoundError):
        raise SettingError(
            f"INSIGHTS_TIMEZONE must be a time zone name such as Europe/Paris, "
            f"not {config['TIMEZONE']!r}"
        ) from None
    url = urlsplit(str(config["SITE_URL"]))
    if config["SITE_URL"] and not (url.scheme in ("http", "https") and url.hostname):
        raise SettingError(
            f"INSIGHTS_SITE_URL must be empty or an absolute http(s) URL such as "
            f"https://insights.example.org, not {config['SITE_URL']!r}"
        )


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
