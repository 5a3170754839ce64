"""The files an article kept in its own folder (``content/<name>/index.md``) brings beside it.

Only files of known kinds are part of a bundle, each listed by its path inside the folder
(``photo.png``, ``data/spend.csv``). A request names a file by that path and is answered only
when the name is one the last scan listed: the lookup is a dictionary's, so no spelling of
``..`` or of an absolute path can reach anything else. Reading or opening the listed file does
not follow a symlink, so one swapped in since the scan is refused.
"""

import posixpath
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from publishing.listed_files import open_listed, read_listed

INDEX = "index.md"
# The top-level folder of every bundle's URL space that holds what the site makes itself (image
# variants, share cards): an author's folder of that name would shadow them.
RESERVED = "_"
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
}
DATA_TYPES = {".csv": "text/csv", ".tsv": "text/tab-separated-values", ".json": "application/json"}
CONTENT_TYPES = {**IMAGE_TYPES, **DATA_TYPES, ".pdf": "application/pdf"}
# A script in an SVG opened on its own would run on the site's origin: it gets no rights at all.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

MAX_FILES = 1_000  # files a bundle may hold; a scan lists every one of them each time
MAX_DEPTH = 8  # folder levels inside a bundle
MAX_SERVED_BYTES = 64 * 1024 * 1024  # a larger file is named by ``check`` and not served
MAX_IMAGE_BYTES = 16 * 1024 * 1024  # larger images are shown as they are, unmeasured
MAX_DATA_BYTES = 1024 * 1024  # a chart holds 5,000 values: far less than this
MAX_RENDER_BYTES = 64 * 1024 * 1024  # what one render may be handed of its bundle, in all
OVER_BUDGET = (
    f"not read: the article's folder holds more than the {MAX_RENDER_BYTES // 2**20} MB of "
    "images and data one render is handed; move some into another article's folder"
)


def content_type(name: str) -> str | None:
    """The content type of a file of a kind a bundle may hold, else None."""
    return CONTENT_TYPES.get(suffix(name))


def suffix(name: str) -> str:
    """The file name's extension, lower-cased: ``Photo.JPG`` is a JPEG."""
    return posixpath.splitext(name)[1].lower()


@dataclass(frozen=True)
class BundleFile:
    name: str  # its path inside the bundle, with '/' between folders
    source: str  # what to open: the file, or the target of its symlink
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Bundle:
    folder: Path
    files: tuple[BundleFile, ...]  # sorted by name

    @cached_property
    def by_name(self) -> dict[str, BundleFile]:
        return {file.name: file for file in self.files}

    @property
    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Changes with any file added, removed or written (its size or mtime)."""
        return tuple((file.name, file.size, file.mtime_ns) for file in self.files)


def bundle_name(url: str) -> str | None:
    """The bundle path a link of the article's Markdown names (``photo.png``, ``./a/b.csv``,
    ``a%20b.png``), or None when it points elsewhere (another site, a path from the root, a
    parent folder)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    name = posixpath.normpath(unquote(parts.path))
    if name.startswith("..") or name == ".":
        return None
    return name


@dataclass(frozen=True)
class FileData:
    """A bundle file as a render receives it: its bytes, or None and why it was not sent."""

    size: int
    data: bytes | None
    withheld: str = "it could not be read"  # why ``data`` is None, for whoever needed it


def read_file(file: BundleFile, limit: int) -> bytes | None:
    """The file's bytes, or None when it is no longer the regular file of at most ``limit``
    bytes the scan listed."""
    try:
        _, data, _ = read_listed(file.source, limit)
    except OSError:  # gone, swapped for a symlink, a FIFO or a device
        return None
    return data if len(data) <= limit else None


def render_inputs(bundle: Bundle) -> dict[str, FileData]:
    """What a render needs of the bundle: each image and data file, with its bytes while they
    stay within the limits of their kind and of the render."""
    inputs: dict[str, FileData] = {}
    budget = MAX_RENDER_BYTES
    for file in bundle.files:
        kind = suffix(file.name)
        limit = MAX_DATA_BYTES if kind in DATA_TYPES else MAX_IMAGE_BYTES
        if kind not in DATA_TYPES and kind not in IMAGE_TYPES:
            continue
        if file.size > budget:
            inputs[file.name] = FileData(file.size, None, OVER_BUDGET)
            continue
        data = read_file(file, limit) if file.size <= limit else None
        budget -= len(data or b"")
        inputs[file.name] = FileData(file.size, data)
    return inputs


@dataclass(frozen=True)
class Served:
    """The bytes of one bundle file, for what the site makes of it (a share card, variants)."""

    data: bytes
    content_type: str


def served(bundle: Bundle, name: str) -> Served | None:
    """The file ``name`` of the bundle as it is now, or None: not a file of the bundle (any
    other name, a traversal in any spelling), or no longer readable as the one listed."""
    file = bundle.by_name.get(name)
    kind = content_type(name)
    if file is None or kind is None:
        return None
    data = read_file(file, MAX_SERVED_BYTES)
    if data is None:
        return None
    return Served(data, kind)


@dataclass(frozen=True)
class Opened:
    """A bundle file opened to be sent, described by the open file itself, not by the scan, so
    its size and version are those of the bytes that will be read from ``handle``."""

    handle: BinaryIO  # whoever sends it closes it
    size: int
    mtime_ns: int
    content_type: str

    @property
    def version(self) -> str:
        """Changes whenever the file is written, yet is had without reading it: a 60 MB file
        would otherwise be read and hashed for every revalidation."""
        return f"{self.size:x}-{self.mtime_ns:x}"

    @property
    def modified(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns // 1_000_000_000, UTC)

    @property
    def is_svg(self) -> bool:
        return self.content_type == IMAGE_TYPES[".svg"]


def opened(bundle: Bundle, name: str) -> Opened | None:
    """The file ``name`` of the bundle opened as it is now, or None as for ``served``: not a
    file of the bundle, no longer a regular file (swapped for a symlink, a FIFO), or grown
    past ``MAX_SERVED_BYTES``."""
    file = bundle.by_name.get(name)
    kind = content_type(name)
    if file is None or kind is None:
        return None
    try:
        handle, found = open_listed(file.source)
    except OSError:
        return None
    if found.st_size > MAX_SERVED_BYTES:
        handle.close()
        return None
    return Opened(handle, found.st_size, found.st_mtime_ns, kind)
