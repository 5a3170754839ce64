"""Front matter fields and how each is coerced to its type (a Pelican-style table).

Each coercer takes the raw YAML value and the site's time zone and returns the typed value,
or raises ``MetadataError`` with a message that names the field and what was wrong with it.
"""

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from publishing.bounded_yaml import short

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 120
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+$")  # no spaces, no controls
# Feeds write a date with its own offset: RSS as RFC 822's +HHMM, Atom as XML Schema's dateTime
# (+HH:MM, at most 14 hours). Seconds cannot be written, and every time zone in use lies
# within -12:00 and +14:00.
MIN_OFFSET, MAX_OFFSET = timedelta(hours=-12), timedelta(hours=14)
# RSS writes the year with strftime's %Y, which does not pad a year before 1000 to the four
# digits RFC 822 asks for; Python has no year after 9999.
MIN_YEAR, MAX_YEAR = 1000, 9999


class MetadataError(ValueError):
    """A front matter value that cannot be used."""


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; text with no ASCII form is dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_SLUG_LENGTH].strip("-")


_TAG_SIGNS = {"+": " plus ", "#": " sharp "}  # so C, C++ and C# stay three tags


# A site has a few hundred tags over thousands of articles: each is slugged once, not at every
# article that carries it (60,000 calls at start with 10,000 articles of three tags).
@functools.lru_cache(maxsize=4096)
def tag_slug(tag: str) -> str:
    """A tag's URL segment: lower-case letters and digits of any script, joined by hyphens."""
    text = unicodedata.normalize("NFKC", tag).casefold()
    for sign, word in _TAG_SIGNS.items():
        text = text.replace(sign, word)
    return "-".join(re.findall(r"[^\W_]+", text))[:MAX_SLUG_LENGTH].strip("-")


def _text(name: str, value: Any, _tz: ZoneInfo) -> str:
    if isinstance(value, bool):
        # YAML 1.1 reads an unquoted yes, no, on or off as a boolean (tags: [NO, On]); the word
        # itself is gone by now, so the author is told which words those are and how to keep one.
        words = "yes, on or true" if value else "no, off or false"
        example = "yes" if value else "no"
        raise MetadataError(
            f"'{name}' must be text, but YAML read an unquoted {words} in it as "
            f'{str(value).lower()}; put the word in quotes to keep it ("{example}")'
        )
    if not isinstance(value, str | int | float):
        raise MetadataError(f"'{name}' must be text, not {type(value).__name__} {short(value)}")
    text = str(value).strip()
    if not text:
        raise MetadataError(f"'{name}' is empty")
    return text


_YAML_TIMESTAMP = yaml.constructor.SafeConstructor.timestamp_regexp
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _parse_date(name: str, text: str) -> date:
    """ISO 8601 as Python reads it, or YAML's looser timestamps (``2026-1-5 9:30:00 +2``)."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    if not _YAML_TIMESTAMP.match(text):
        raise MetadataError(
            f"'{name}' is not a date: {short(text)} (use 2026-01-31 or 2026-01-31T09:30:00+02:00)"
        )
    node = yaml.ScalarNode(_TIMESTAMP_TAG, text)
    try:
        return yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as exc:
        raise MetadataError(f"'{name}': {text} is not a real date ({exc})") from None


def _in_feed_years(moment: datetime) -> bool:
    """Whether ``moment`` falls in a year feeds can write, both as it is and in UTC (pages,
    feeds and HTTP headers show one or the other)."""
    try:
        in_utc = moment.astimezone(UTC)
    except OverflowError:  # before year 1 or after 9999 in UTC
        return False
    return all(MIN_YEAR <= each.year <= MAX_YEAR for each in (moment, in_utc))


def _datetime(name: str, value: Any, tz: ZoneInfo) -> datetime:
    if isinstance(value, str):
        value = _parse_date(name, value.strip())
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        raise MetadataError(f"'{name}' must be a date, not {type(value).__name__} {short(value)}")
    zoned = moment.tzinfo is None
    moment = moment.replace(tzinfo=tz) if zoned else moment
    offset = moment.utcoffset()
    if offset is None or offset % timedelta(minutes=1) or not MIN_OFFSET <= offset <= MAX_OFFSET:
        # A zone has such an offset only before it kept standard time (Paris: +00:09:21).
        whose = f", the one {tz} had then (write the date with an offset)" if zoned else ""
        raise MetadataError(
            f"'{name}': {moment.isoformat()} has a UTC offset feeds cannot write{whose}; "
            "offsets are whole minutes from -12:00 to +14:00"
        )
    if not _in_feed_years(moment):
        raise MetadataError(
            f"'{name}': {moment.isoformat()} is out of range: feeds write the years "
            f"{MIN_YEAR} to {MAX_YEAR}, in UTC too"
        )
    return moment


def _bool(name: str, value: Any, _tz: ZoneInfo) -> bool:
    if not isinstance(value, bool):
        raise MetadataError(f"'{name}' must be true or false, not {short(value)}")
    return value


def _tags(name: str, value: Any, tz: ZoneInfo) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = [part for part in value.split(",") if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise MetadataError(
            f"'{name}' must be a list of words, not {type(value).__name__} {short(value)}"
        )
    tags: dict[str, str] = {}
    for item in items:
        tag = _text(name, item, tz)
        if not tag_slug(tag):
            raise MetadataError(f"tag {short(tag)} has no letters or digits usable in a URL")
        tags.setdefault(tag_slug(tag), tag)
    return tuple(tags.values())


def _series(name: str, value: Any, tz: ZoneInfo) -> str:
    series = _text(name, value, tz)
    if not tag_slug(series):  # its page lives at /series/<slug>/, slugged as tags are
        raise MetadataError(f"'{name}' {short(series)} has no letters or digits usable in a URL")
    return series


def _whole_number(name: str, value: Any, _tz: ZoneInfo) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MetadataError(f"'{name}' must be a whole number, not {short(value)}")
    return value


def _slug(name: str, value: Any, tz: ZoneInfo) -> str:
    slug = _text(name, value, tz)
    if len(slug) > MAX_SLUG_LENGTH or not SLUG_RE.match(slug):
        raise MetadataError(
            f"'{name}' {short(slug)} must be lower-case letters, digits and single hyphens "
            f"(at most {MAX_SLUG_LENGTH} characters)"
        )
    return slug


def _uri(name: str, value: Any, tz: ZoneInfo) -> str:
    # Atom requires an entry id to be an IRI; feeds use this one in place of the built tag: URI.
    uri = _text(name, value, tz)
    if not URI_RE.match(uri):
        raise MetadataError(
            f"'{name}' {short(uri)} must be a URI without spaces, such as "
            "tag:example.org,2026-01-15:my-article or urn:uuid:…"
        )
    return uri


Coercer = Callable[[str, Any, ZoneInfo], Any]

FIELDS: dict[str, Coercer] = {
    "title": _text,
    "date": _datetime,
    "updated": _datetime,
    "author": _text,
    "summary": _text,
    "tags": _tags,
    "draft": _bool,
    "toc": _bool,
    "slug": _slug,
    "id": _uri,
    "series": _series,
    "series_order": _whole_number,
    # Whether the file exists and is an image is judged later (publishing/covers.py): a cover
    # that cannot be used costs the article its cover, not its page.
    "image": _text,
    "image_alt": _text,
}
REQUIRED = ("title", "date")


def coerce(raw: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    """Typed values for the known fields present in ``raw``; unknown keys are left out."""
    missing = [field for field in REQUIRED if raw.get(field) in (None, "")]
    if missing:
        raise MetadataError("no " + " and no ".join(f"'{field}'" for field in missing))
    return {
        field: coercer(field, raw[field], tz)
        for field, coercer in FIELDS.items()
        if raw.get(field) is not None
    }
