"""Helpers for driving the site in the Debian Chromium through Playwright.

The browser is launched once per test session (see ``tests/conftest_browser.py``); every page it
opens is watched for console errors, page errors, failed requests and requests that leave the
site's own origin, so a test can assert that a page loaded cleanly.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, Response

CHROMIUM = "/usr/bin/chromium"
# Keep the browser off the network: nothing but 127.0.0.1 resolves, and none of Chromium's own
# background traffic (updates, sync, field trials) starts.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def launch(playwright: Playwright) -> Browser:
    """The Debian Chromium, headless, without network access beyond 127.0.0.1."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Watch:
    """Everything a page did that a clean page load must not do."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    expected_errors: set[str] = field(default_factory=set)

    def expect_error_status(self, url: str) -> None:
        """``url`` answers with an error status on purpose (the 404 page, say)."""
        self.expected_errors.add(url)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if origin_of(url) != self.origin]

    def problems(self) -> list[str]:
        """One line per problem; empty when the page loaded cleanly."""
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"failed request: {text}" for text in self.failed_requests]
            + [f"request to another origin: {url}" for url in self.foreign_requests()]
            + [f"dialog opened: {text}" for text in self.dialogs]
        )

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium logs every error status as a console error, the page's own 404 included.
        url = message.location.get("url", "")
        if url in self.expected_errors and message.text.startswith("Failed to load resource"):
            return
        self.console_errors.append(f"{message.text} ({url}:{message.location.get('lineNumber')})")

    def _response(self, response: Response) -> None:
        if response.status >= 400 and response.url not in self.expected_errors:
            self.failed_requests.append(f"{response.status} {response.url}")

    def _failed(self, request: Request) -> None:
        # Chromium cancels an image it no longer wants (another srcset candidate after the
        # viewport grows for a full-page screenshot, a lazy image scrolled past): not a fault of
        # the page. An image the server fails is an error status (``_response``) or another
        # network error, still recorded.
        if request.resource_type == "image" and request.failure == "net::ERR_ABORTED":
            return
        self.failed_requests.append(f"{request.failure} {request.url}")


def watch(page: Page, origin: str) -> Watch:
    """Starts recording what ``page`` does; dialogs are recorded and dismissed."""
    seen = Watch(origin)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", seen._console)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("response", seen._response)
    page.on("requestfailed", seen._failed)

    def dialog(opened) -> None:
        seen.dialogs.append(f"{opened.type}: {opened.message}")
        opened.dismiss()

    page.on("dialog", dialog)
    return seen


# Counts the pixels a chart drew: Chart.js leaves the rest of its canvas transparent.
_PAINTED = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return painted;
}"""

# A fingerprint of a canvas's pixels (FNV-1a), to tell that a redraw changed them.
_DIGEST = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let hash = 2166136261;
  for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ data[i], 16777619) >>> 0;
  return hash.toString(16) + ":" + data.length;
}"""

MIN_CHART_PIXELS = 500


def draw_charts(page: Page) -> list[int]:
    """Waits until every chart has drawn; returns the painted pixels of each canvas."""
    charts = page.locator("figure.chart canvas")
    page.wait_for_function(
        f"""min => [...document.querySelectorAll("figure.chart canvas")].every(canvas =>
          canvas.width > 0 && canvas.height > 0 && ({_PAINTED})(canvas) >= min)""",
        arg=MIN_CHART_PIXELS,
    )
    return [charts.nth(i).evaluate(_PAINTED) for i in range(charts.count())]


def canvas_digests(page: Page) -> list[str]:
    canvases = page.locator("figure.chart canvas")
    return [canvases.nth(i).evaluate(_DIGEST) for i in range(canvases.count())]


@dataclass
class Diagram:
    source: str
    svg_text: str
    failed: str | None
    error_diagram: bool


def draw_diagrams(page: Page) -> list[Diagram]:
    """Scrolls each Mermaid block into view (Mermaid loads lazily) and waits for its picture."""
    blocks = page.locator("pre.mermaid")
    for i in range(blocks.count()):
        block = blocks.nth(i)
        block.evaluate("block => block.scrollIntoView({block: 'center'})")  # hidden once failed
        page.wait_for_function(
            "block => block.matches('.diagram-drawn, .diagram-failed')",
            arg=block.element_handle(),
        )
    return [
        Diagram(**info)
        for info in blocks.evaluate_all(
            """blocks => blocks.map(block => {
              const svg = block.querySelector("svg");
              return {
                source: block.dataset.source,
                svg_text: svg ? [...svg.querySelectorAll("text, foreignObject")]
                  .map(label => label.textContent).join(" ") : "",
                failed: block.classList.contains("diagram-failed") ? block.dataset.error : null,
                error_diagram: !!block.querySelector(".error-icon, .error-text"),
              };
            })"""
        )
    ]


_FLOW_LABEL = re.compile(r"\b\w+\s*(?:\[\[?|\(\(?|\{\{?|>)\"?([^\]\)\}\"]+)")
_PARTICIPANT = re.compile(r"^\s*(?:participant|actor)\s+(\w+)(?:\s+as\s+(.+?))?\s*$", re.M)


def expected_labels(source: str) -> list[str]:
    """The node and participant labels a diagram's source names, which its SVG must show."""
    if source.lstrip().startswith("sequenceDiagram"):
        return [m.group(2) or m.group(1) for m in _PARTICIPANT.finditer(source)]
    return [m.group(1).strip() for m in _FLOW_LABEL.finditer(source)]


def listing(report: dict[str, list[str]]) -> str:
    """Every problem in a per-page report, one full line each, for an assertion message."""
    return "\n".join(
        f"{name}: {problem}" for name, problems in report.items() for problem in problems
    )


def theme_of(page: Page) -> str:
    return page.evaluate("document.documentElement.dataset.theme")


# WCAG 2 contrast in the page: `rgba(colour)` reads any CSS colour through a 1x1 canvas,
# `contrast(a, b)` composites `a` over the opaque `b` first (a translucent grid line is only as
# visible as what shows through it).
CONTRAST_FUNCTIONS = """
const paint = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
const rgba = colour => {
  paint.clearRect(0, 0, 1, 1);
  paint.fillStyle = colour;
  paint.fillRect(0, 0, 1, 1);
  return [...paint.getImageData(0, 0, 1, 1).data];
};
const over = ([r, g, b, a], [R, G, B]) =>
  [r, g, b].map((v, i) => v * a / 255 + [R, G, B][i] * (1 - a / 255));
const luminance = rgb => rgb.slice(0, 3).map(v => v / 255)
  .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const ratio = (x, y) => {
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
};
const contrast = (colour, behind) => ratio(over(rgba(colour), rgba(behind)), rgba(behind));
"""


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
