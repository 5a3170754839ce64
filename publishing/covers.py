"""An article's cover image (front matter ``image:`` and ``image_alt:``): a file of its own
folder, or a file under ``static/`` written ``/static/images/x.png``, measured with Pillow.

A cover that cannot be used (no such file, not an image, a path outside ``static/``, an image
Pillow cannot read) is left off and named as a problem; the article is shown without it.
"""

import posixpath
from dataclasses import dataclass
from pathlib import Path

from publishing.article import Article
from publishing.bundles import IMAGE_TYPES, MAX_IMAGE_BYTES, FileData, bundle_name, served, suffix
from publishing.image_variants import Variants, plan_or_none
from publishing.images import ImageFault, measure

STATIC_PREFIX = "/static/"
# Social sites and feed readers show none of the other kinds as a share image.
SHARED_KINDS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


@dataclass(frozen=True)
class Cover:
    in_static: bool  # a file under static/, else a file of the article's folder
    name: str  # its path inside static/ or inside the folder
    width: int
    height: int
    content_type: str
    size: int  # bytes
    alt: str
    # The resized copies of a large cover of the folder, as of its images in the text.
    variants: Variants | None = None

    @property
    def kind(self) -> str:
        return "static" if self.in_static else "bundle"

    @property
    def small(self) -> str | None:
        """The smallest resized copy, relative to the article's URL
        (``_/cover-640-<digest>.webp``): what list entries show."""
        if self.variants is None:
            return None
        files = self.variants.files()
        width, extension = min(files, key=lambda made: (made[0], made[1] != "webp"))
        return self.variants.url(width, extension)


@dataclass(frozen=True)
class Found:
    """What became of an article's ``image``: the cover, or None, and what is wrong with it."""

    cover: Cover | None
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _static_bytes(static_dir: Path, name: str) -> FileData | None:
    root = static_dir.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    size = path.stat().st_size
    return FileData(size, path.read_bytes() if size <= MAX_IMAGE_BYTES else None)


def _static_name(image: str) -> str | None:
    """The path under ``static/`` that ``/static/…`` names, or None for any other path."""
    if not image.startswith(STATIC_PREFIX):
        return None
    name = posixpath.normpath(image[len(STATIC_PREFIX) :])
    return None if name.startswith((".", "/")) else name


def find_cover(article: Article, static_dir: Path) -> Found:
    """The article's cover, measured, or why it has none (``image`` set but unusable)."""
    image = article.image
    if image is None:
        return Found(None)
    said = f"cover image {image}"
    in_static = image.startswith("/")
    name = _static_name(image) if in_static else bundle_name(image)
    if name is None:
        where = "a file of the article's folder" if article.bundle else "a file under static/"
        return Found(None, (f"{said}: must be {where}, written as /static/images/x.png",))
    if not in_static and article.bundle is None:
        return Found(None, (f"{said}: this article has no folder; write /static/images/x.png",))
    if suffix(name) not in IMAGE_TYPES:
        return Found(None, (f"{said}: not an image (use png, jpg, gif or webp)",))
    if suffix(name) not in SHARED_KINDS:
        return Found(None, (f"{said}: {suffix(name)[1:]} cannot be shared; use png, jpg or webp",))
    if in_static:
        data = _static_bytes(static_dir, name)
    else:
        sent = served(article.bundle, name) if article.bundle else None
        data = FileData(len(sent.data), sent.data) if sent else None
    if data is None:
        where = "static/" if in_static else "this article's folder"
        return Found(None, (f"{said}: no such file in {where}",))
    try:
        size = measure(name, data)
    except ImageFault as exc:
        return Found(None, (f"{said}: {exc}",))
    assert size is not None  # every shared kind is one Pillow measures
    alt = article.image_alt or ""
    warnings = () if alt else (f"{said}: no image_alt (say what it shows)",)
    variants = None if in_static or data.data is None else plan_or_none(name, data.data)
    cover = Cover(in_static, name, *size, IMAGE_TYPES[suffix(name)], data.size, alt, variants)
    return Found(cover, (), warnings)
