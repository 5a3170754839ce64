"""The images of an article: bundle images measured with Pillow, so the page reserves their
space (``width``, ``height``) and loads them without blocking (``decoding``, ``loading``); an
image alone in its paragraph with a title becomes a ``<figure>`` with that caption.

A bad image never costs the page: a corrupt file, one whose extension lies, a decompression
bomb or one too large to measure keeps its plain ``<img>`` and becomes a problem naming it.
"""

import io
import warnings
import xml.etree.ElementTree as etree
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from PIL import ExifTags, Image, UnidentifiedImageError

from publishing.bundles import IMAGE_TYPES, MAX_IMAGE_BYTES, FileData, bundle_name, suffix

if TYPE_CHECKING:  # image_variants builds on this module's measuring
    from publishing.image_variants import Variants

# What Pillow calls the format each extension promises.
_FORMATS = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".webp": "WEBP",
    ".avif": "AVIF",
}

# Larger images get no smaller copies (``image_variants``): decoding one takes 200 MB or more.
# They are shown as they are, and ``check`` says so.
MAX_RESIZED_PIXELS = 50_000_000

# EXIF orientations that turn the picture a quarter (5 to 8: transposed, rotated 90 or 270).
_QUARTER_TURNS = {5, 6, 7, 8}


class ImageFault(ValueError):
    """An image that cannot be measured; the message says why."""


def _fault(exc: Exception) -> ImageFault:
    """What a reader is told of an exception Pillow raised reading an image."""
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return ImageFault(
            f"refused as a decompression bomb: more pixels than Pillow's limit of "
            f"{Image.MAX_IMAGE_PIXELS:,} ({exc})"
        )
    if isinstance(exc, UnidentifiedImageError):
        return ImageFault("not an image Pillow can read (a corrupt file, or not an image)")
    return ImageFault(f"a corrupt image ({type(exc).__name__}: {exc})")


# Between its pixel limit and twice that, Pillow only warns; ``opened`` refuses all of them
# itself, so the warning would say nothing more. Set once here: ``catch_warnings`` is not
# thread-safe, and images are measured and resized in threads.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


@contextmanager
def opened(data: bytes) -> Iterator[Image.Image]:
    """The image ``data`` holds, open, or ``ImageFault`` when Pillow refuses it (a corrupt
    file, a decompression bomb: more pixels than Pillow's limit, whatever the file's size)."""
    try:
        image = Image.open(io.BytesIO(data))
    except Exception as exc:  # whatever a broken file makes Pillow raise
        raise _fault(exc) from None
    with image:
        if image.width * image.height > Image.MAX_IMAGE_PIXELS:
            raise ImageFault(
                f"refused as a decompression bomb: more pixels than Pillow's limit of "
                f"{Image.MAX_IMAGE_PIXELS:,} ({image.width} by {image.height})"
            )
        yield image


def measure(name: str, file: FileData) -> tuple[int, int] | None:
    """(width, height) of the bundle image ``name``, None for a kind Pillow does not read
    (SVG), or ``ImageFault``."""
    expected = _FORMATS.get(suffix(name))
    if expected is None:
        return None
    if file.size > MAX_IMAGE_BYTES:
        raise ImageFault(
            f"{file.size / 2**20:.1f} MB, more than the {MAX_IMAGE_BYTES // 2**20} MB an image"
            " may be to be measured; make it smaller"
        )
    if file.data is None:
        raise ImageFault(file.withheld)
    with opened(file.data) as image:
        found, size = image.format, image.size
        try:
            image.verify()
        except Exception as exc:  # whatever a broken file makes Pillow raise
            raise _fault(exc) from None
    # A phone stores a portrait photo as a landscape one plus an EXIF orientation, which
    # browsers obey: the page must reserve the box the photo is shown in. (Read from a second
    # opening: verify() must come first and leaves the image unusable.)
    with opened(file.data) as image:
        if _orientation(image) in _QUARTER_TURNS:
            size = size[::-1]
    if found != expected:
        raise ImageFault(f"holds a {found} image, not the {expected} its extension says")
    return size


def _orientation(image: Image.Image) -> int | None:
    """The EXIF orientation of ``image``, read without decoding its pixels: Pillow looks for a
    PNG's EXIF after the pixels by decoding them all (1.8 s for 9,400 pixels square, and an
    exception for a truncated file), so a PNG's is read only where it comes before them."""
    try:
        if image.format != "PNG":
            return image.getexif().get(ExifTags.Base.Orientation)
        exif = Image.Exif()
        if raw := image.info.get("exif"):
            exif.load(raw)
        return exif.get(ExifTags.Base.Orientation)
    except Exception as exc:  # whatever a broken file makes Pillow raise
        raise _fault(exc) from None


def _only_child(parent: etree.Element, image: etree.Element) -> bool:
    return len(parent) == 1 and not (parent.text or "").strip() and not (image.tail or "").strip()


def process_images(
    root: etree.Element,
    files: Mapping[str, FileData] | None,
    problems: list[str],
    warnings_found: list[str],
    variants: "Mapping[str, Variants | str] | None" = None,
) -> None:
    """Measures, marks and captions every ``<img>`` under ``root`` in place, and offers the
    ``variants`` made of a bundle image (or names why they could not be made); faults go to
    ``problems``, images without alt text to ``warnings_found``."""
    first = True
    for parent in list(root.iter()):
        for image in [child for child in parent if child.tag == "img"]:
            src = image.get("src", "")
            if not image.get("alt", "").strip():
                warnings_found.append(f"image {src}: no alt text (say what it shows)")
            name = bundle_name(src)
            measured = False
            if files is not None and name is not None and suffix(name) in IMAGE_TYPES:
                measured = _measured(image, name, files, (problems, warnings_found), not first)
            first = False
            title = image.get("title")
            if title and parent.tag == "p" and _only_child(parent, image):
                parent.tag = "figure"
                del image.attrib["title"]
                caption = etree.SubElement(parent, "figcaption")
                caption.text = title
            if measured and name in (variants or {}):
                _offer_variants(parent, image, name, variants[name], problems)


def _offer_variants(
    parent: etree.Element,
    image: etree.Element,
    name: str,
    found: "Variants | str",
    problems: list[str],
) -> None:
    """Puts ``image`` in a ``<picture>`` offering its variants, in its place in ``parent``."""
    if isinstance(found, str):
        problems.append(f"image {name}: its smaller variants could not be made ({found})")
        return
    index = list(parent).index(image)
    parent.remove(image)
    picture = found.picture(image)
    picture.tail, image.tail = image.tail, None
    parent.insert(index, picture)


def _measured(
    image: etree.Element,
    name: str,
    files: Mapping[str, FileData],
    faults: tuple[list[str], list[str]],
    lazy: bool,
) -> bool:
    """Marks ``image`` with what measuring its file found; False when it could not be. Its
    faults go to ``faults``: (problems, warnings)."""
    problems, warnings_found = faults
    file = files.get(name)
    if file is None:
        problems.append(f"image {name}: no such file in this article's folder")
        return False
    try:
        size = measure(name, file)
    except ImageFault as exc:
        problems.append(f"image {name}: {exc}")
        return False
    if size is not None:
        image.set("width", str(size[0]))
        image.set("height", str(size[1]))
        if size[0] * size[1] > MAX_RESIZED_PIXELS:
            warnings_found.append(
                f"image {name}: {size[0]} by {size[1]} pixels, more than the "
                f"{MAX_RESIZED_PIXELS // 1_000_000} million smaller copies are made from; every "
                "screen downloads it whole: resize it"
            )
    image.set("decoding", "async")
    if lazy:
        image.set("loading", "lazy")
    return True


class _Images(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        notes = self.md.insights_notes  # type: ignore[attr-defined]
        files = self.md.insights_files  # type: ignore[attr-defined]
        variants = self.md.insights_variants  # type: ignore[attr-defined]
        process_images(root, files, notes.problems, notes.warnings, variants)


class Images(Extension):
    """Runs after the inline patterns and attribute lists have made every ``<img>``. The
    converting code sets ``md.insights_files`` (the bundle's files, None for a flat article),
    ``md.insights_variants`` (those made of its images) and ``md.insights_notes``."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Images(md), "insights_images", 1)
