"""Articles in their own folders for tests: ``content/<name>/index.md`` and files beside it,
with images made by Pillow."""

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

FRONT_MATTER = "title: {title}\ndate: {date}\nsummary: An article with its own files.\n"


def write_bundle(
    content_dir: Path,
    name: str,
    body: str,
    files: dict[str, bytes],
    title: str = "Bundled",
    *,
    date: str = "2026-01-01",
    front: str = "",
) -> Path:
    """Writes the folder ``name`` with its ``index.md`` and ``files`` (paths may hold '/');
    ``front``: more lines of front matter (``"image: cover.jpg\n"``)."""
    folder = content_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    head = FRONT_MATTER.format(title=title, date=date) + front
    (folder / "index.md").write_text(f"---\n{head}---\n{body}")
    for file_name, data in files.items():
        (folder / file_name).parent.mkdir(parents=True, exist_ok=True)
        (folder / file_name).write_bytes(data)
    return folder


def image_bytes(width: int, height: int, kind: str = "PNG", colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, kind)
    return out.getvalue()


def turned_photo(width: int, height: int) -> bytes:
    """A JPEG stored ``width`` by ``height`` with EXIF orientation 6 (turn a quarter right),
    as a phone saves a portrait photo: shown ``height`` wide and ``width`` high."""
    image = Image.new("RGB", (width, height), "teal")
    image.paste("orange", (0, 0, width // 2, height))  # the left half, the top once turned
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def animated_gif(width: int, height: int) -> bytes:
    frames = [Image.new("RGB", (width, height), colour) for colour in ("teal", "navy")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def broken_animation() -> bytes:
    """A three-frame GIF cut short in its second frame: its first frame reads and measures,
    but counting its frames fails inside Pillow."""
    frames = [Image.new("P", (900, 300), colour) for colour in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()[:939]


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A small PNG made by Pillow whose header then claims ``width`` by ``height`` pixels: what
    a decompression bomb looks like to a reader of its header."""
    data = bytearray(image_bytes(1, 1))
    start = 8 + 4  # the signature, then IHDR's length
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[start + 12 : start + 17])
    data[start : start + 17] = header
    data[start + 17 : start + 21] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def truncated_png(width: int = 3000, height: int = 3000) -> bytes:
    """A PNG whose chunks and checksums are sound but whose pixels stop far short of the
    ``width`` by ``height`` its header claims: it measures, and fails only when decoded."""
    return png_bomb(width, height)


def turned_png(width: int, height: int) -> bytes:
    """A PNG stored ``width`` by ``height`` with an EXIF orientation 6 ahead of its pixels."""
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "PNG", exif=exif)
    return out.getvalue()


SCRIPTED_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
    b'<rect width="40" height="20" fill="teal"/>'
    b"<script>document.title = 'svg script ran'; window.parent.svgRan = true;</script></svg>"
)
