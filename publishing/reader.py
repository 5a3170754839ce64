"""Reads one Markdown file with YAML front matter into an ``Article``."""

import hashlib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from frontmatter.default_handlers import YAMLHandler

from publishing import bounded_yaml
from publishing.article import Article
from publishing.bundles import Bundle
from publishing.metadata import MetadataError, coerce, slugify

_YAML = YAMLHandler()  # only to find the front matter: the YAML is read with limits
MAX_FRONT_MATTER_CHARS = 65_536
MAX_FRONT_MATTER_VALUES = 2_000


class ArticleError(ValueError):
    """A content file that cannot become an article; the message says why."""


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not _YAML.detect(text):
        raise ArticleError("no YAML front matter (the file must start with a '---' line)")
    try:
        raw_yaml, body = _YAML.split(text)
    except ValueError:
        raise ArticleError("front matter is not closed by a '---' line") from None
    if len(raw_yaml) > MAX_FRONT_MATTER_CHARS:
        raise ArticleError(
            f"front matter is {len(raw_yaml):,} characters; at most "
            f"{MAX_FRONT_MATTER_CHARS:,} are read"
        )
    try:
        meta = bounded_yaml.load(raw_yaml, max_nodes=MAX_FRONT_MATTER_VALUES)
    except bounded_yaml.YAMLDataError as exc:
        raise ArticleError(exc.described("broken YAML front matter")) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError(f"front matter must be a mapping of fields, not {type(meta).__name__}")
    return meta, body


def read_article(
    path: Path, data: bytes, *, author: str, tz: ZoneInfo, bundle: Bundle | None = None
) -> Article:
    """Parse ``data`` (the bytes of ``path``) or raise ``ArticleError`` naming what is wrong.

    An article in its own folder (``bundle``) is named after the folder, and its version
    covers the folder's files: changing one is an edit of the article.
    """
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
        fields["slug"] = slugify(path.parent.name if bundle is not None else path.stem)
        if not fields["slug"]:
            raise ArticleError("the file name gives no usable slug; set 'slug' in the front matter")
    fields.setdefault("author", author)
    digest = hashlib.blake2b(data, digest_size=16)
    if bundle is not None:
        digest.update(repr(bundle.fingerprint).encode())
    version = digest.hexdigest()
    return Article(path=path, version=version, body=body.strip("\n"), bundle=bundle, **fields)
