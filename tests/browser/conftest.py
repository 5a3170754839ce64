"""Browser fixtures: one gunicorn and one Chromium for the whole session, watched pages per test.

The server reads a private copy of ``content/`` with hostile test articles added, so the sample
articles are tested as shipped and the hostile ones sit beside them on every list page.
"""

import io
import re
import shutil
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Page, Response, sync_playwright

from harness.servers import gunicorn
from tests.browser.chromium import Watch, launch, watch
from tests.support.bundles import SCRIPTED_SVG
from tests.support.site import ROOT

SCREENSHOTS = ROOT / "screenshots"
MISSING_PATH = "/insights/no-such-article/"

# Each hostile value would set one of the HOSTILE_GLOBALS on window if it ever ran as code.
HOSTILE_SLUG = "hostile-labels"
HOSTILE_GLOBALS = ("x", "y", "z", "w", "t")
HOSTILE_ARTICLE = """---
title: "<script>window.t=1</script>Hostile labels"
date: 2025-06-01
tags: [Hostile]
series: "Field notes <b>&</b> odd inputs"
---

Every label below is text that would run as code if it were ever treated as HTML.

```chart
{
  "type": "bar",
  "data": {
    "labels": ["</script><script>window.x=1</script>", "plain"],
    "datasets": [{"label": "<img src=x onerror=\\"window.y=1\\">", "data": [3, 5]}]
  }
}
```

```mermaid
graph TD
  A["<img src=x onerror=window.z=1>"] --> B[Safe node]
  click A href "javascript:window.w=1"
```
"""


# Beside the samples: what a reader can meet but the samples lack, a diagram wider than a phone,
# one Mermaid cannot parse, and a code line longer than any screen.
ROUGH_SLUG = "rough-edges"
ROUGH_ARTICLE = """---
title: Rough edges
date: 2025-05-01
tags: [Hostile]
series: "Field notes <b>&</b> odd inputs"
---

A pipeline drawn left to right is wider than a phone:

```mermaid
flowchart LR
  A[Request arrives] --> B[Check the key] --> C[Pick a replica]
  C --> D[Run the model] --> E[Stream the tokens] --> F[Log the usage]
```

This one is broken on purpose:

```mermaid
flowchart TD
  A[Opened but never closed --> B
```

A line of code longer than any screen:

```python
budget = {"dns": 12, "tls": 38, "ttfb": 96, "download": 41, "render": 113, "total": 300}
```
"""


# An article in its own folder whose chart is drawn from a CSV file beside it.
CSV_CHART_SLUG = "gpu-spend"
CSV_CHART_FILE = "data/spend.csv"
CSV_CHART_DATA = b"month,training,inference\nJan,42,18\nFeb,47,\nMar,55,26\nApr,61,31\n"
CSV_CHART_ARTICLE = """---
title: Monthly GPU spend
date: 2025-04-01
---

The figures live in a spreadsheet beside this article; the chart reads them from it.

```chart
type: line
data: data/spend.csv
x: month
y: [training, inference]
title: Monthly GPU spend (k$)
```
"""


# An article in its own folder with a photo far wider than the text column (so it gets
# variants), a caption, a second photo further down, and an SVG that would run a script.
PHOTO_SLUG = "field-photos"
PHOTO_SIZE = (2400, 1600)
PHOTO_ARTICLE = """---
title: Photos from the field
date: 2025-03-01
---

![Racks of GPUs in a cold aisle](aisle.jpg "The cold aisle, as the tour began")

The photo above is far wider than the text column: a phone gets one of its smaller copies.

![A diagram of the cooling loop](cooling.png)

[The floor plan](floor-plan.svg) is a drawing of its own.
"""


def _photo(size: tuple[int, int], kind: str) -> bytes:
    """A picture with detail in it (noise over a gradient), so it weighs what a photo does."""
    gradient = Image.linear_gradient("L").resize(size)
    noise = Image.effect_noise(size, 48)
    picture = Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.ROTATE_180)))
    out = io.BytesIO()
    picture.save(out, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return out.getvalue()


# An article whose front matter names a cover of its folder: shown above it and beside its
# title on list pages.
COVER_SLUG = "cover-story"
COVER_SIZE = (1600, 900)
COVER_ARTICLE = """---
title: A cover above the text
date: 2025-05-01
tags: [Covers]
image: cover.jpg
image_alt: A band of light across a teal and blue gradient
summary: An article with a cover image, shown above it and beside its title in lists.
---

The picture above is the article's own file, named by `image` in its front matter.
"""


def _cover(size: tuple[int, int]) -> bytes:
    """A calm picture (a diagonal gradient in the site's blues), as a cover might be."""
    down, across = Image.linear_gradient("L"), Image.linear_gradient("L").rotate(90)
    ramp = ImageChops.add(down, across, scale=2).resize(size)
    picture = Image.merge(
        "RGB",
        (
            ramp.point(lambda v: v // 5),
            ramp.point(lambda v: 90 + v // 2),
            Image.new("L", size, 190),
        ),
    )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()


def _slug(path: Path) -> str:
    return str(frontmatter.load(path).get("slug") or path.stem)


SAMPLE_SLUGS = sorted(_slug(path) for path in (ROOT / "content").glob("*.md"))


@pytest.fixture(scope="session")
def browser_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("browser") / "content"
    shutil.copytree(ROOT / "content", target)
    (target / f"{HOSTILE_SLUG}.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (target / f"{ROUGH_SLUG}.md").write_text(ROUGH_ARTICLE, encoding="utf-8")
    (target / CSV_CHART_SLUG / CSV_CHART_FILE).parent.mkdir(parents=True)
    (target / CSV_CHART_SLUG / "index.md").write_text(CSV_CHART_ARTICLE, encoding="utf-8")
    (target / CSV_CHART_SLUG / CSV_CHART_FILE).write_bytes(CSV_CHART_DATA)
    photos = {
        "index.md": PHOTO_ARTICLE.encode(),
        "aisle.jpg": _photo(PHOTO_SIZE, "JPEG"),
        "cooling.png": _photo((1200, 500), "PNG"),
        "floor-plan.svg": SCRIPTED_SVG,
    }
    (target / COVER_SLUG).mkdir()
    (target / COVER_SLUG / "index.md").write_text(COVER_ARTICLE, encoding="utf-8")
    (target / COVER_SLUG / "cover.jpg").write_bytes(_cover(COVER_SIZE))
    (target / PHOTO_SLUG).mkdir()
    for name, data in photos.items():
        (target / PHOTO_SLUG / name).write_bytes(data)
    return target


@pytest.fixture(scope="session")
def live_site(browser_content: Path) -> Iterator[str]:
    """The base URL of a real gunicorn serving the browser content."""
    with gunicorn({"INSIGHTS_CONTENT_DIR": str(browser_content)}) as base:
        yield base


@pytest.fixture(scope="session")
def site_pages(live_site: str) -> dict[str, str]:
    """Name -> path of every kind of page: lists, a tag page, each sample article, the rough
    edges article, the article with a CSV chart, the one with photos, search with results and
    without, the archive, the 404."""
    with urllib.request.urlopen(live_site + "/tags/", timeout=10) as answer:
        tag = re.search(r'href="(/tags/[^"/]+/)"', answer.read().decode())
    assert tag, "the tags page links no tag page"
    return {
        "home": "/",
        "index": "/insights/",
        "tags": "/tags/",
        "tag": tag.group(1),
        **{
            f"article-{slug}": f"/insights/{slug}/"
            for slug in [*SAMPLE_SLUGS, ROUGH_SLUG, CSV_CHART_SLUG, PHOTO_SLUG, COVER_SLUG]
        },
        "search": "/search/?q=latency+budget",
        "search-nothing": "/search/?q=%22no+such+words%22",
        "archive": "/archive/",
        "series": "/series/field-notes-b-b-odd-inputs/",
        "not-found": MISSING_PATH,
    }


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """``screenshots/`` at the repository root, emptied of the last run's pictures."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page in its own browser context, with a record of what it did."""

    page: Page
    watch: Watch

    def goto(self, path: str, status: int = 200, wait_until: str = "load") -> Response:
        """Opens ``path``; with ``wait_until="commit"`` it returns while the page still loads,
        so several pages can load at once."""
        url = self.watch.origin + path
        if status >= 400:
            self.watch.expect_error_status(url)
        response = self.page.goto(url, wait_until=wait_until)
        assert response is not None and response.status == status, f"{path}: {response.status}"
        return response


OpenPage = Callable[..., Watched]


@pytest.fixture
def open_page(browser: Browser, live_site: str) -> Iterator[OpenPage]:
    """Opens a watched page in a fresh context; keyword arguments override the context options.

    Animations are off (reduced motion), so a chart's pixels are final once it has drawn.
    """
    contexts = []

    def open_(**options) -> Watched:
        settings = {
            "viewport": {"width": 1280, "height": 900},
            "color_scheme": "light",
            "reduced_motion": "reduce",
            **options,
        }
        context = browser.new_context(**settings)
        contexts.append(context)
        page = context.new_page()
        return Watched(page, watch(page, live_site))

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def watched_page(open_page: OpenPage) -> Watched:
    """A desktop-sized page in light theme that records errors and requests."""
    return open_page()
