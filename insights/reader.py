"""Reads one Markdown file with YAML front matter into an ``Article``."""

import hashlib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from frontmatter.default_handlers import YAMLHandler

from insights.article import Article
from insights.metadata import MetadataError, coerce, slugify

_YAML = YAMLHandler()


class ArticleError(ValueError):
    """A content file that cannot become an article; the message says why."""


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not _YAML.detect(text):
        raise ArticleError("no YAML front matter (the file must start with a '---' line)")
    try:
        raw_yaml, body = _YAML.split(text)
    except ValueError:
        raise ArticleError("front matter is not closed by a '---' line") from None
    try:
        meta = _YAML.load(raw_yaml)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ArticleError(f"broken YAML front matter{where}: {problem}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError(f"front matter must be a mapping of fields, not {type(meta).__name__}")
    return meta, body


def read_article(path: Path, data: bytes, *, author: str, tz: ZoneInfo) -> Article:
    """Parse ``data`` (the bytes of ``path``) or raise ``ArticleError`` naming what is wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ArticleError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at line {line}, column {column}"
        ) from None
    meta, body = _front_matter(text)
    try:
        fields = coerce(meta, tz)
    except MetadataError as exc:
        raise ArticleError(str(exc)) from None
    if not body.strip():
        raise ArticleError("no content after the front matter")
    if "slug" not in fields:
        fields["slug"] = slugify(path.stem)
        if not fields["slug"]:
            raise ArticleError("the file name gives no usable slug; set 'slug' in the front matter")
    fields.setdefault("author", author)
    version = hashlib.blake2b(data, digest_size=16).hexdigest()
    return Article(path=path, version=version, body=body.strip("\n"), **fields)
