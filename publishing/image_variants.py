"""Smaller copies of an article's large raster images, so a phone downloads what it shows.

A bundle image wider than the text column gets variants 640, 1280 and 1920 px wide (those
narrower than it) in WebP and in its own format, offered through ``srcset`` and ``sizes``.
WebP gets one more at the original's own width when that is at most 1920 px, so a browser that
takes WebP never has to pick a smaller picture than the one it would have had.

Variants are named by a digest of the source's bytes (``<digest>-<width>.<ext>`` on disk,
``_/<name>-<width>-<digest>.<ext>`` in URLs, relative to the article's page), so a changed image
gets new names and an unchanged one is never made again, by any worker or after a restart.
Each source is made under a file lock, every file written to a temporary name and renamed: two
workers never make the same file twice, and nobody reads half of one.
"""

import fcntl
import logging
import math
import os
import posixpath
import re
import tempfile
import threading
import xml.etree.ElementTree as etree
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path
from urllib.parse import quote

from PIL import Image, ImageOps

from publishing.bundles import (
    MAX_SERVED_BYTES,
    RESERVED,
    Bundle,
    BundleFile,
    FileData,
    read_file,
    served,
    suffix,
)
from publishing.images import MAX_RESIZED_PIXELS, ImageFault, measure, opened

log = logging.getLogger(__name__)

WIDTHS = (640, 1280, 1920)
# The text column of static/css/site.css: main is 44rem wide with 1rem of padding each side, at
# the root's 18 px. ``sizes`` is read in CSS pixels of the default 16 px font, hence px here.
COLUMN_PX = 756
SIZES = "(min-width: 792px) 756px, calc(100vw - 36px)"
# The formats that get variants, and the extension of theirs. AVIF is left as it is: the
# Pillow wheels in use cannot be counted on to write it.
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
_SOURCES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}  # what may be in one of those formats
_SAVE_OPTIONS = {
    # method 2: within 1 % of the default's size, in less than half its time.
    "webp": {"format": "WEBP", "quality": 80, "method": 2},
    "jpg": {"format": "JPEG", "quality": 82, "progressive": True},
    "png": {"format": "PNG"},
    "gif": {"format": "GIF"},
}
_URL = re.compile(r"(?P<stem>.+)-(?P<width>[1-9]\d{0,4})-(?P<digest>[0-9a-f]{20})\.(?P<ext>\w+)")


@dataclass(frozen=True)
class Variants:
    """The variants of one bundle image: what to make, and the URLs that name them."""

    name: str  # the image's path in its bundle
    digest: str  # of its bytes
    width: int
    height: int
    extension: str  # of its own format's variants
    webp: tuple[int, ...]  # widths made in WebP (none when the original is WebP)
    fallback: tuple[int, ...]  # widths made in the original's format, all narrower than it

    def files(self) -> list[tuple[int, str]]:
        """(width, extension) of every variant."""
        return [(w, "webp") for w in self.webp] + [(w, self.extension) for w in self.fallback]

    def file_name(self, width: int, extension: str) -> str:
        return f"{self.digest}-{width}.{extension}"

    def url(self, width: int, extension: str) -> str:
        """The variant's URL relative to the article's page, quoted for a ``srcset``."""
        stem = posixpath.splitext(self.name)[0]
        return quote(f"{RESERVED}/{stem}-{width}-{self.digest}.{extension}")

    def srcset(self, extension: str, original: str | None = None) -> str:
        """The ``srcset`` of the variants in ``extension``, then ``original`` at full width."""
        candidates = [f"{self.url(w, ext)} {w}w" for w, ext in self.files() if ext == extension]
        if original is not None:
            candidates.append(f"{original} {self.width}w")
        return ", ".join(candidates)

    def picture(self, image: etree.Element) -> etree.Element:
        """A ``<picture>`` holding a WebP ``<source>`` and ``image``, which is given the
        variants in its own format and the original itself as its ``srcset``."""
        picture = etree.Element("picture")
        if self.webp:
            source = {"type": "image/webp", "srcset": self.srcset("webp"), "sizes": SIZES}
            etree.SubElement(picture, "source", source)
        image.set("srcset", self.srcset(self.extension, quote(self.name)))
        image.set("sizes", SIZES)
        picture.append(image)
        return picture


# Part of every variant's name: bump it when variants are made differently (the EXIF turn,
# the save options), or files made by the older code would be served as immutable for a year.
MAKING_VERSION = b"2"
_DECODING = threading.BoundedSemaphore(2)  # images decoded at once by one process
_MAX_REMEMBERED = 10_000  # digests remembered of each kind, a bound on a process's memory


def digest(data: bytes) -> str:
    return blake2b(MAKING_VERSION + data, digest_size=10).hexdigest()


def plan(name: str, data: bytes) -> Variants | None:
    """The variants the bundle image ``name`` gets, None when it gets none (a kind without
    variants, an animation, an image no wider than the text column), or ``ImageFault``."""
    size = measure(name, FileData(len(data), data))
    if size is None or size[0] <= COLUMN_PX or size[0] * size[1] > MAX_RESIZED_PIXELS:
        return None
    with opened(data) as image:
        try:
            extension = _EXTENSIONS.get(image.format or "")
            animated = getattr(image, "is_animated", False)  # reads the frames: may fail
        except Exception as exc:  # a frame past the first that Pillow cannot read
            raise ImageFault(f"a corrupt image ({type(exc).__name__}: {exc})") from None
    if extension is None or animated:
        return None
    width, height = size
    steps = tuple(w for w in WIDTHS if w < width)
    webp = () if extension == "webp" else steps + ((width,) if width <= WIDTHS[-1] else ())
    return Variants(name, digest(data), width, height, extension, webp, steps)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _save(image: Image.Image, target: Path, extension: str) -> None:
    """Writes ``image`` to ``target`` through a temporary file renamed over it."""
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            image.save(handle, **_SAVE_OPTIONS[extension])
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _mode(image: Image.Image, extension: str) -> str:
    """The mode to resize ``image`` in for a variant in ``extension``: RGBA only when it has
    transparency that the format can keep."""
    transparent = "A" in image.getbands() or "transparency" in image.info
    return "RGBA" if transparent and extension != "jpg" else "RGB"


def _draft(image: Image.Image, variants: Variants, widest: int) -> None:
    """Asks a JPEG to decode at the smallest of 1/2, 1/4 or 1/8 of its size that still holds
    the widest variant wanted: a phone's 4,032 px photo decodes at 2,016 px for its 1,920 px
    copy, a quarter of the pixels. (The image as stored: a turned photo's width is its
    height.)"""
    if image.format != "JPEG":
        return
    tall = max(1, round(variants.height * widest / variants.width))
    turned = (image.width, image.height) != (variants.width, variants.height)
    image.draft(None, (tall, widest) if turned else (widest, tall))


class ImageVariants:
    """The variants on disk under ``root`` (None when there is no usable folder: then no image
    gets variants)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._failed: set[str] = set()  # digests of images whose variants could not be made
        self._complete: set[str] = set()  # digests of images whose variants were all found

    def path(self, variants: Variants, width: int, extension: str) -> Path | None:
        return None if self.root is None else self.root / variants.file_name(width, extension)

    def make(self, variants: Variants, data: bytes) -> None:
        """Writes the variants of ``data`` not already on disk; raises what fails."""
        if self.root is None:
            raise OSError("no folder to keep them in")
        with _locked(self.root / f".{variants.digest}.lock"):
            missing = [
                (w, ext)
                for w, ext in variants.files()
                if not (self.root / variants.file_name(w, ext)).exists()
            ]
            if not missing:
                return
            # A decoded photo takes its pixels times 3 or 4 bytes: a few at a time per process.
            with _DECODING, opened(data) as image:
                _draft(image, variants, max(width for width, _ in missing))
                image.load()
                # Variants carry no EXIF: its orientation is applied to their pixels instead
                # (in place: a copy of a large photo would double what it holds).
                ImageOps.exif_transpose(image, in_place=True)
                # Widest first, each made from the last one in its mode: a 1280 px copy of the
                # 1920 px one looks the same and costs a fraction of one from a 6,000 px original.
                last: dict[str, Image.Image] = {}
                for width, extension in sorted(missing, reverse=True):
                    mode = _mode(image, extension)
                    if mode in last:
                        source = last[mode]
                    else:
                        source = image if image.mode == mode else image.convert(mode)
                    if source.width != width:
                        height = max(1, round(variants.height * width / variants.width))
                        source = source.resize((width, height), Image.Resampling.LANCZOS)
                    last[mode] = source
                    _save(source, self.root / variants.file_name(width, extension), extension)

    def prepare(
        self, files: Mapping[str, FileData], seconds: float = math.inf
    ) -> dict[str, Variants | str]:
        """For each bundle image that gets variants, its ``Variants`` once they are all on
        disk, or why they could not be made. Images that cannot be measured are left to the
        render, which names their fault.

        Waits at most ``seconds`` (the render budget): an article of a hundred photos must not
        hold its first visitor for minutes. The images still being made then are offered all
        the same; their making goes on, and a request for one of their variants waits for it
        under the image's lock (``find``).
        """
        if self.root is None:
            return {}
        wanted = {name: file.data for name, file in files.items() if file.data is not None}
        # Pillow lets go of the GIL while it decodes, resizes and encodes: images in parallel.
        pool = ThreadPoolExecutor(os.cpu_count() or 1)
        making = {name: pool.submit(self._prepared, name, data) for name, data in wanted.items()}
        pool.shutdown(wait=False)
        wait(making.values(), timeout=None if math.isinf(seconds) else seconds)
        found = {
            name: future.result() if future.done() else plan_or_none(name, wanted[name])
            for name, future in making.items()
        }
        return {name: result for name, result in found.items() if result}

    def _prepared(self, name: str, data: bytes) -> Variants | str | None:
        try:
            variants = plan(name, data)
            if variants is not None:
                self.make(variants, data)
            return variants
        except ImageFault:
            return None
        except Exception as exc:  # whatever fails costs this image its variants only
            log.warning("image %s: no variants: %s: %s", name, type(exc).__name__, exc)
            return f"{type(exc).__name__}: {exc}"

    def ready(self, variants: Variants) -> bool:
        """Whether every variant of ``variants`` is on disk (made, and not swept since); never
        without a folder to keep them in."""
        root = self.root
        if root is None:
            return False
        if variants.digest in self._complete:  # a list page asks for each cover it shows
            return True
        found = all((root / variants.file_name(w, e)).exists() for w, e in variants.files())
        if found and len(self._complete) < _MAX_REMEMBERED:  # one swept later is made on request
            self._complete.add(variants.digest)
        return found

    def _remade(self, bundle: Bundle, file: BundleFile, variants: Variants) -> bool:
        """Makes the variants of ``file`` again for a request: its rendering was made by another
        host (a shared Redis), or the cache folder was swept. False when they cannot be made;
        each image that fails is tried once per process, so its URLs cannot be used to make a
        worker decode it over and over."""
        if variants.digest in self._failed:
            return False
        source = served(bundle, file.name)
        if source is None or digest(source.data) != variants.digest:
            return False
        try:
            self.make(variants, source.data)
        except Exception as exc:  # a truncated photo, a full disk: a 404, never a 500
            log.warning("image %s: no variants: %s: %s", file.name, type(exc).__name__, exc)
            if len(self._failed) < _MAX_REMEMBERED:
                self._failed.add(variants.digest)
            return False
        return True

    def find(self, bundle: Bundle, name: str) -> Path | None:
        """The file of the variant ``name`` (the URL's path after ``_/``) of an image of
        ``bundle`` as it is now, made again if it went missing; None for any other name."""
        found = _URL.fullmatch(name)
        if found is None or self.root is None:
            return None
        width, extension = int(found["width"]), found["ext"]
        for file in bundle.files:
            if posixpath.splitext(file.name)[0] != found["stem"]:
                continue
            variants = _planned(file)
            if (
                variants is None
                or variants.digest != found["digest"]
                or (width, extension) not in variants.files()
            ):
                continue
            path = self.root / variants.file_name(width, extension)
            if not path.exists() and not self._remade(bundle, file, variants):
                return None
            return path
        return None


def digests(bundle: Bundle) -> set[str]:
    """The digests of the bundle's images that get variants: the names of their files."""
    return {found.digest for file in bundle.files if (found := _planned(file))}


def plan_or_none(name: str, data: bytes) -> Variants | None:
    """``plan``, with None for an image it cannot read (the render names its fault)."""
    try:
        return plan(name, data)
    except ImageFault:
        return None


@lru_cache(maxsize=1024)
def _planned(file: BundleFile) -> Variants | None:
    """The plan of one version of a bundle file (its size and mtime are in the key, not the
    rest of its folder), so a request for a variant reads and hashes the source once per
    version and worker."""
    if suffix(file.name) not in _SOURCES:
        return None  # a PDF or a CSV of the same name: not read at all
    data = read_file(file, MAX_SERVED_BYTES)
    return None if data is None else plan_or_none(file.name, data)
