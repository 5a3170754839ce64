"""Every setting of the site: its type, default, range and meaning, in one frozen ``Settings``
made once by ``create_app`` from the defaults, the ``INSIGHTS_`` environment variables and the
app's ``test_config``. The README's configuration table is made from it (``readme_table``)."""

import dataclasses
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Config

PROJECT_DIR = Path(__file__).resolve().parent
PREFIX = "INSIGHTS_"


class SettingError(ValueError):
    """A setting whose value cannot be used; the message names the variable."""


def _user_cache_dir() -> Path:
    """This user's cache directory, never the shared temporary one, where another user could
    create our folders first and plant files that would be served as ours."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"  # as the XDG spec says
    return base / "insights"


def default_static_cache_dir() -> Path:
    """Where the builds of static files are kept between restarts."""
    return _user_cache_dir() / "static"


def default_image_cache_dir() -> Path:
    """Where image variants and share cards are kept between restarts."""
    return _user_cache_dir() / "images"


class _Unfit(ValueError):
    """A check's refusal that says more than the setting's kind: ``rule`` follows the variable's
    name (``must be …``), ``hint`` follows the value refused."""

    def __init__(self, rule: str, hint: str = "") -> None:
        super().__init__(rule)
        self.rule = rule
        self.hint = hint


def _site_url(value: str) -> str:
    url = urlsplit(value)
    if value and not (url.scheme in ("http", "https") and url.hostname):
        raise ValueError(value)
    # Every route and url_for() path starts at "/": a path here would be written before them in
    # feeds and the export (https://ex.org/blog/blog/insights/…) but not in the pages' links. A
    # "?" or "#" with nothing after it is refused too: it would end up inside every URL.
    if url.path not in ("", "/") or "?" in value or "#" in value:
        root = f"{url.scheme}://{url.netloc}"
        raise _Unfit(
            "must have no path, query or fragment",
            f": the site must be served at the root of its host, as {root} (a trailing slash "
            "is fine)",
        )
    return value


# A well-formed BCP 47 tag (RFC 5646 section 2.1, without its grandfathered tags such as
# i-klingon, kept there only for old data): language, script, region, variants, extensions and
# a private use part, or a private use tag alone. Pages' lang, RSS <language>, Atom xml:lang
# (RFC 4287 allows only letters, digits and hyphens) and JSON Feed's language all take one.
_LANGUAGE_TAG = re.compile(
    r"""
    (?: [A-Za-z]{2,3} (?:-[A-Za-z]{3}){0,3} | [A-Za-z]{4,8} )  # language, extended subtags
    (?: -[A-Za-z]{4} )?                                         # script
    (?: -[A-Za-z]{2} | -[0-9]{3} )?                             # region
    (?: -[A-Za-z0-9]{5,8} | -[0-9][A-Za-z0-9]{3} )*             # variants
    (?: -[A-WYZa-wyz0-9] (?:-[A-Za-z0-9]{2,8})+ )*              # extensions
    (?: -[Xx] (?:-[A-Za-z0-9]{1,8})+ )?                         # private use
    | [Xx] (?:-[A-Za-z0-9]{1,8})+                               # private use alone
    """,
    re.VERBOSE,
)


def _language(value: str) -> str:
    if not _LANGUAGE_TAG.fullmatch(value):
        hyphens = value.replace("_", "-")  # a POSIX locale name (en_US) is the usual mistake
        hint = (
            f": write {hyphens!r}" if hyphens != value and _LANGUAGE_TAG.fullmatch(hyphens) else ""
        )
        raise _Unfit("must be a BCP 47 language tag such as en or en-US", hint)
    return value


def setting(
    default: Any,
    meaning: str,
    *,
    between: tuple[float, float] | None = None,
    shown: str = "",
    check: Callable[[Any], Any] | None = None,
    kind: str = "",
) -> Any:
    """A field of ``Settings``. ``shown`` is the README's default cell when the value alone
    would not say it (a computed default, an empty one), or an aside after it in brackets
    (``2 MiB``) when it starts with ``(``; ``check`` validates further, failing as ``kind``."""
    metadata = {"meaning": meaning, "range": between, "shown": shown, "check": check, "kind": kind}
    if callable(default):
        return dataclasses.field(default_factory=default, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Settings:
    """The site's settings, checked and typed; each field is the variable ``INSIGHTS_<NAME>``."""

    # RUF009 asks for defaults of immutable types; a Path or a ZoneInfo is one.
    content_dir: Path = setting(  # noqa: RUF009
        PROJECT_DIR / "content",
        "Folder of the Markdown articles.",
        shown="`content/` beside `app.py`",
    )
    site_url: str = setting(
        "",
        "Absolute base URL for canonical links, Open Graph and feeds, e.g. "
        "`https://insights.example.org`. Set it in production. The site is served at the root "
        "of its host: a path (`https://example.org/blog`), query or fragment is refused.",
        shown="empty: the URL the request came in on",
        check=_site_url,
        kind="empty or an absolute http(s) URL such as https://insights.example.org",
    )
    allowed_hosts: str = setting(
        "",
        "Host names the site answers for, separated by commas or spaces (a leading dot, "
        "`.example.org`, allows every subdomain; `*` allows any host). The host of "
        "`INSIGHTS_SITE_URL` and the loopback names (`localhost`, `127.0.0.1`) are always "
        "allowed. A request for any other host gets a plain `400` before it reaches the "
        "response cache, so random `Host` headers cannot fill memory; `/healthz` answers "
        "whatever the host, for probes by address. With this and `INSIGHTS_SITE_URL` both "
        "empty, any host is answered and each one is a separate cache entry.",
        shown="empty: the host of `INSIGHTS_SITE_URL`",
    )
    site_title: str = setting("Insights", "Site name in titles, headers and feeds.")
    site_description: str = setting(
        "Articles with live charts and diagrams.", "Description of list pages and feeds."
    )
    site_language: str = setting(
        "en",
        "`lang` of pages, language of feeds: a BCP 47 tag, such as `en` or `en-US` (with a "
        "hyphen: `en_US` is refused).",
        check=_language,
    )
    author: str = setting("Vin Patel", "Author of articles that name none.")
    timezone: ZoneInfo = setting(  # noqa: RUF009
        ZoneInfo("UTC"),
        "Time zone of dates written without an offset (an IANA name such as `Europe/Paris`).",
        kind="a time zone name such as Europe/Paris",
    )
    show_drafts: bool = setting(
        False,
        "Preview drafts and scheduled articles (marked `noindex`). Never on in production. Read "
        "as `true`/`false`, `yes`/`no`, `on`/`off` or `1`/`0`; any other value stops the start "
        "with a message naming the variable (as does a number setting that is not a number).",
    )
    per_page: int = setting(10, "Articles per list page.", between=(1, 1000))
    rescan_interval: float = setting(
        0.5,
        "Seconds between two scans of the content directory in one worker. An edit, addition "
        "or deletion shows in every worker within `RESCAN_INTERVAL` + `QUIET_SECONDS`, with no "
        "restart.",
        between=(0, 3600),
    )
    quiet_seconds: float = setting(
        0.2,
        "A changed file is read only once it has not been written to for this long, so a file "
        "caught half-saved is never shown: until then its previous version stays up (and a new "
        "file stays off). An edit shows within `RESCAN_INTERVAL` + `QUIET_SECONDS`.",
        between=(0, 60),
    )
    page_max_age: int = setting(
        60,
        "`Cache-Control: max-age` of pages, in seconds; every page also carries `ETag` and "
        "`Last-Modified`.",
        between=(0, 31_536_000),
    )
    hsts_seconds: int = setting(
        0,
        "When above 0, every response carries `Strict-Transport-Security: max-age=N; "
        "includeSubDomains`. Set it only when the site is served over HTTPS.",
        between=(0, 63_072_000),
    )
    feed_size: int = setting(20, "Number of newest articles in each feed.", between=(1, 1000))
    feed_max_age: int = setting(
        300, "`Cache-Control: max-age` of feeds, in seconds.", between=(0, 31_536_000)
    )
    max_article_bytes: int = setting(
        2_097_152,
        "A larger file is not read: it is skipped, logged and reported by `flask check`.",
        between=(1024, 67_108_864),
        shown="(2 MiB)",
    )
    render_timeout: float = setting(
        3.0,
        "Seconds an article's Markdown may take to render (see [A slow article]"
        "(#a-slow-article-costs-its-own-page)). Past it the render is killed and the article "
        "shows an error box naming this limit.",
        between=(0.1, 600),
    )
    search_timeout: float = setting(
        1.0,
        "Seconds a search may run. Past it the search is stopped and its page (503) asks for "
        "fewer or longer words; no query comes near it at 10,000 articles.",
        between=(0.001, 60),
    )
    words_per_minute: int = setting(
        220, 'Reading speed for "N words · M mins".', between=(50, 2000)
    )
    cache_type: str = setting(
        "SimpleCache",
        "[Flask-Caching](https://flask-caching.readthedocs.io/) backend of rendered articles: "
        "`SimpleCache` (per worker), `RedisCache` (shared by every worker and host), "
        "`NullCache`, …",
    )
    cache_default_timeout: int = setting(
        7 * 24 * 3600,
        "Seconds a rendering stays cached. Keys change with the file, so nothing goes stale; "
        "the timeout only lets a shared Redis forget old versions. `0` keeps them forever.",
        between=(0, 31_536_000),
        shown="(a week)",
    )
    cache_key_prefix: str = setting(
        "insights:", "Prefix of every cache key (lets several sites share one Redis)."
    )
    cache_redis_timeout: float = setting(
        0.1,
        "Seconds a Redis backend may take to connect or answer before the page is rendered "
        "locally (sets `socket_timeout` and `socket_connect_timeout`; keys of "
        "`INSIGHTS_CACHE_OPTIONS` win).",
        between=(0.001, 60),
    )
    response_cache_bytes: int = setting(
        64 * 1024 * 1024,
        "Memory each worker may use to keep whole responses (pages and feeds, with their gzip "
        "and brotli forms), least recently used dropped first. An entry is counted for all it "
        "holds in memory: its key, status, headers and every coding, measured as Python stores "
        "them, so the bound holds even when the entries are tiny; `0` turns the response cache "
        "off.",
        between=(0, 17_179_869_184),
        shown="(64 MiB)",
    )
    static_cache_dir: Path = setting(  # noqa: RUF009
        default_static_cache_dir,
        "Where the builds of the static files (each file with its gzip and brotli forms) are "
        "written once per change of `static/` and reused by every worker and restart. It must "
        "belong to the user the app runs as and be writable by no one else, or the app refuses "
        "to start (see *Static files* below).",
        shown="`$XDG_CACHE_HOME/insights/static`, else `~/.cache/insights/static`",
    )
    image_cache_dir: Path = setting(  # noqa: RUF009
        default_image_cache_dir,
        "Where the resized variants of articles' images (`variants/`) and the generated share "
        "cards (`cards/`) are written once and reused by every worker and restart. Private like "
        "the static builds: one others can write stops the start; one the app cannot write "
        "means originals only and no cards, said in the log.",
        shown="`$XDG_CACHE_HOME/insights/images`, else `~/.cache/insights/images`",
    )

    def cache_config(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Flask-Caching's configuration: these settings over the other ``CACHE_*`` keys
        ``given`` (``CACHE_REDIS_URL``, say). A Redis backend gets short socket timeouts
        and one try (unless ``CACHE_OPTIONS`` sets its own), so a dead Redis costs milliseconds."""
        config = {**given, "CACHE_TYPE": self.cache_type}
        config["CACHE_DEFAULT_TIMEOUT"] = self.cache_default_timeout
        config["CACHE_KEY_PREFIX"] = self.cache_key_prefix
        if "redis" in self.cache_type.lower():
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            timeout = self.cache_redis_timeout
            # One try: a client made from host and port (not from a URL) retried ten times by
            # default, so a dead Redis cost 4 s a lookup and a feed of 20 articles 78 s.
            options = {
                "socket_timeout": timeout,
                "socket_connect_timeout": timeout,
                "retry": Retry(NoBackoff(), 0),
            }
            config["CACHE_OPTIONS"] = {**options, **(given.get("CACHE_OPTIONS") or {})}
        return config


FIELDS = {field.name.upper(): field for field in dataclasses.fields(Settings)}
_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


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


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def _path(value: Any) -> Path:
    return Path(_text(value) if not isinstance(value, os.PathLike) else value)


def _zone(value: Any) -> ZoneInfo:
    if isinstance(value, ZoneInfo):
        return value
    try:
        return ZoneInfo(_text(value))
    except ZoneInfoNotFoundError:
        raise ValueError(value) from None


# type -> (how a given value becomes one, what the message says it must be)
_READERS: dict[Any, tuple[Callable[[Any], Any], str]] = {
    bool: (_boolean, "true or false"),
    int: (_integer, "a whole number"),
    float: (_number, "a number"),
    str: (_text, "text"),
    Path: (_path, "a path"),
    ZoneInfo: (_zone, "a time zone name"),
}
# Settings whose variable is taken as it is written, never read as JSON: a title "2024" stays
# text and a time zone "null" is refused by name.
_AS_WRITTEN = {name for name, field in FIELDS.items() if field.type in (str, Path, ZoneInfo)}


def _value(name: str, given: Any) -> Any:
    field = FIELDS[name]
    read, kind = _READERS[field.type]
    check = field.metadata["check"] or (lambda value: value)
    try:
        value = check(read(given))
    except _Unfit as unfit:
        raise SettingError(f"{PREFIX}{name} {unfit.rule}, not {given!r}{unfit.hint}") from None
    except (TypeError, ValueError, OverflowError):
        kind = field.metadata["kind"] or kind
        raise SettingError(f"{PREFIX}{name} must be {kind}, not {given!r}") from None
    if (between := field.metadata["range"]) and not between[0] <= value <= between[1]:
        low, high = map(_figure, between)  # a NaN is outside every range too
        raise SettingError(f"{PREFIX}{name} must be between {low} and {high}, not {value!r}")
    return value


def _figure(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings named by ``INSIGHTS_`` variables, numbers and true/false read as JSON."""
    found: dict[str, Any] = {}
    for key, text in environ.items():
        name = key.removeprefix(PREFIX)
        if key.startswith(PREFIX) and name in FIELDS:
            found[name] = text if name in _AS_WRITTEN else _json_or_text(text)
    return found


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def load(
    test_config: Mapping[str, Any] | None = None, environ: Mapping[str, str] = os.environ
) -> Settings:
    """The settings: the defaults, overridden by the ``INSIGHTS_`` variables of ``environ``,
    overridden by the setting names in ``test_config`` (``{"PER_PAGE": 5}``).

    Raises ``SettingError`` naming the first value that is of the wrong kind or out of range.
    """
    given = {**_environment(environ), **(test_config or {})}
    empty_means_default = {name for name, field in FIELDS.items() if field.type is Path}
    values = {
        name.lower(): _value(name, value)
        for name, value in given.items()
        if name in FIELDS and not (name in empty_means_default and value == "")
    }
    return Settings(**values)


def other_keys(test_config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every key given that is no setting, read as Flask reads them: Flask's own (``TESTING``)
    and Flask-Caching's (``CACHE_REDIS_URL``, ``CACHE_OPTIONS``), which go to ``app.config``."""
    given = Config(PROJECT_DIR)
    given.from_prefixed_env(prefix=PREFIX.rstrip("_"))
    # Debug mode belongs to the development server (``flask run --debug``, through
    # FLASK_DEBUG): INSIGHTS_DEBUG would turn on live reload under gunicorn.
    given.pop("DEBUG", None)
    given.update(test_config or {})
    return {key: value for key, value in given.items() if key not in FIELDS}


def _shown_default(field: dataclasses.Field) -> str:
    shown = field.metadata["shown"]
    if shown and not shown.startswith("("):
        return shown
    value = field.default
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, float):
        text = _figure(value)
    return f"`{text}`" + (f" {shown}" if shown else "")


def readme_table() -> str:
    """The README's configuration table: every setting, its default, range and meaning."""
    rows = ["| variable | default | range | meaning |", "|---|---|---|---|"]
    for name, field in FIELDS.items():
        between = field.metadata["range"]
        shown_range = f"{_figure(between[0])} to {_figure(between[1])}" if between else ""
        meaning = field.metadata["meaning"]
        rows.append(f"| `{PREFIX}{name}` | {_shown_default(field)} | {shown_range} | {meaning} |")
    return "\n".join(rows) + "\n"
