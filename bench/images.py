"""Benchmark: what an article with five large photos costs a phone, the first time and after.

    .venv/bin/python bench/images.py

One gunicorn (the production config) serves an article in its own folder holding five 3000 x 2000
JPEG photos of about 4 MB each, with variants kept in a fresh folder. A phone (360 px wide, DPR 3)
asks for the page, then for the five images it picks from the page's WebP ``srcset`` as Chromium
does (the narrowest at least 324 x 3 px wide), six at a time as a browser does over HTTP/1.1.
It prints, in ms, the page and then its images for: the first request (the render makes every
variant), the next ones (variants reused, the page from the response cache), and the first
request after a restart with the variants already on disk (the render only finds them).
"""

import io
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import site_env  # noqa: E402
from harness.http import get  # noqa: E402
from harness.servers import gunicorn_process  # noqa: E402

PHOTOS = 5
SIZE = (3000, 2000)
PHONE_PIXELS = (360 - 36) * 3  # the text column of a 360 px phone, at DPR 3
PAGE = "/insights/five-photos/"
NEXT_RUNS = 20
READY = "/healthz"  # renders nothing: "/" would render the article (its card) before we measure
_WEBP_SRCSET = re.compile(r'<source[^>]*srcset="([^"]+)"[^>]*type="image/webp"')


def photo(seed: int) -> bytes:
    """A 4 MB JPEG with a photo's detail in it (noise over a gradient)."""
    gradient = Image.linear_gradient("L").resize(SIZE)
    noise = Image.effect_noise(SIZE, 40 + seed)
    picture = Image.merge("RGB", (gradient, noise, gradient.rotate(90 * seed).resize(SIZE)))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92)
    return out.getvalue()


def write_article(content: Path) -> int:
    """The article and its photos; returns the photos' total bytes."""
    folder = content / "five-photos"
    folder.mkdir(parents=True)
    body = "\n\n".join(f"![Photo {n}](photo-{n}.jpg)\n\nA paragraph of text." for n in range(5))
    (folder / "index.md").write_text(f"---\ntitle: Five photos\ndate: 2026-01-01\n---\n{body}\n")
    total = 0
    for n in range(PHOTOS):
        data = photo(n)
        (folder / f"photo-{n}.jpg").write_bytes(data)
        total += len(data)
    return total


def chosen(srcset: str) -> str:
    """The candidate a phone takes: the narrowest of at least ``PHONE_PIXELS``, else the widest."""
    candidates = sorted((int(width), url) for url, width in re.findall(r"(\S+) (\d+)w", srcset))
    return next((url for width, url in candidates if width >= PHONE_PIXELS), candidates[-1][1])


def visit(base: str) -> tuple[float, float, int]:
    """(page ms, images ms, image bytes) of one visit, as a phone makes it."""
    start = time.perf_counter()
    status, _, body = get(base + PAGE)
    page = time.perf_counter() - start
    assert status == 200, status
    urls = [urljoin(base + PAGE, chosen(srcset)) for srcset in _WEBP_SRCSET.findall(body.decode())]
    assert len(urls) == PHOTOS, urls
    start = time.perf_counter()
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(get, urls))
    images = time.perf_counter() - start
    assert all(status == 200 for status, _, _ in answers)
    return page * 1000, images * 1000, sum(len(data) for _, _, data in answers)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        originals = write_article(work / "content")
        env = site_env(work / "content", INSIGHTS_IMAGE_CACHE_DIR=str(work / "images"))
        rows = []
        with gunicorn_process(env, workers=1, ready=READY) as site:
            rows.append(("first request: variants made", *visit(site.url)))
            runs = [visit(site.url) for _ in range(NEXT_RUNS)]
            rows.append(
                (
                    f"next requests (median of {NEXT_RUNS}): variants reused",
                    *(statistics.median(run[i] for run in runs) for i in range(2)),
                    runs[0][2],
                )
            )
        with gunicorn_process(env, workers=1, ready=READY) as site:
            rows.append(("first request after a restart: variants on disk", *visit(site.url)))
        made = sum(path.stat().st_size for path in (work / "images" / "variants").glob("*.*"))
    print(f"Five {SIZE[0]} x {SIZE[1]} JPEG photos, {originals / 2**20:.1f} MB in all; ", end="")
    print(f"variants made: {made / 2**20:.1f} MB.\n")
    print("| visit | page, ms | 5 images, ms | image bytes |")
    print("|---|---|---|---|")
    for name, page, images, size in rows:
        print(f"| {name} | {page:,.0f} | {images:,.0f} | {size / 1024:,.0f} KB |")


if __name__ == "__main__":
    main()
