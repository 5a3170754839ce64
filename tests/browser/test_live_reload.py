"""Live reload in Chromium against the real development server (``flask --app app run --debug``,
reloader and all, on its default rescan interval and quiet period): an open page reloads by itself
after its Markdown or a file of its folder is saved, a list after an article is added, and an
article that breaks or is deleted reloads into the 404 page, which names the broken file."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from harness.servers import flask_debug_server
from tests.browser.chromium import Watch, watch
from tests.support.bundles import image_bytes, write_bundle

pytestmark = pytest.mark.browser

# Well past the second an author waits, and short enough that a page that never reloads fails.
RELOAD_MS = 5000
# An article that breaks keeps its last good version for the library's two settling seconds.
BROKEN_MS = 8000
MARK = "window.liveReloadMark = 'drawn before the save'"
UNMARKED = "() => window.liveReloadMark === undefined"


def article(title: str, body: str = "Some text.\n") -> str:
    return f"---\ntitle: {title}\ndate: 2025-01-01\n---\n{body}"


@pytest.fixture(scope="module")
def dev_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("live-reload") / "content"
    content.mkdir()
    for slug in ("edited", "breaks", "deleted", "hidden"):
        (content / f"{slug}.md").write_text(article(f"The {slug} article"), encoding="utf-8")
    write_bundle(content, "bundled", "![A teal box](box.png)\n", {"box.png": image_bytes(40, 20)})
    return content


@pytest.fixture(scope="module")
def dev_site(dev_content: Path) -> Iterator[str]:
    with flask_debug_server({"INSIGHTS_CONTENT_DIR": str(dev_content)}) as base:
        yield base


@pytest.fixture
def page_at(browser: Browser, dev_site: str) -> Iterator:
    """Opens a path of the development server, watched, and marks the window it was drawn in."""
    contexts = []

    def open_(path: str) -> tuple[Page, Watch]:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        seen = watch(page, dev_site)
        with page.expect_request(lambda request: "/_live-reload/" in request.url):
            page.goto(dev_site + path)
        page.evaluate(MARK)
        return page, seen

    yield open_
    for context in contexts:
        context.close()


def reloaded(page: Page, seen: Watch, shown: str, timeout: int = RELOAD_MS) -> None:
    """Waits until the page was drawn anew (the mark is gone) and ``shown`` is true."""
    page.wait_for_function(f"() => ({UNMARKED})() && ({shown})", timeout=timeout)
    assert not seen.page_errors and not seen.console_errors, seen.problems()


def test_an_article_reloads_after_its_markdown_is_saved(page_at, dev_content):
    page, seen = page_at("/insights/edited/")
    assert page.locator("h1").inner_text() == "The edited article"
    (dev_content / "edited.md").write_text(article("Rewritten while open"), encoding="utf-8")
    reloaded(page, seen, "document.querySelector('h1').textContent === 'Rewritten while open'")


def test_an_article_reloads_after_a_file_of_its_folder_is_saved(page_at, dev_content):
    page, seen = page_at("/insights/bundled/")
    assert page.locator("main img").get_attribute("width") == "40"
    (dev_content / "bundled" / "box.png").write_bytes(image_bytes(64, 48))
    reloaded(page, seen, "document.querySelector('main img').getAttribute('width') === '64'")


def test_the_list_reloads_when_an_article_is_added(page_at, dev_content):
    page, seen = page_at("/")
    (dev_content / "added.md").write_text(article("Added while open"), encoding="utf-8")
    reloaded(page, seen, "document.body.textContent.includes('Added while open')")


def test_a_deleted_article_reloads_into_the_404_page(page_at, dev_content, dev_site):
    page, seen = page_at("/insights/deleted/")
    seen.expect_error_status(f"{dev_site}/insights/deleted/")
    (dev_content / "deleted.md").unlink()
    reloaded(page, seen, "document.querySelector('.error-code')?.textContent === '404'")


def test_an_article_that_breaks_reloads_into_a_page_naming_the_problem(
    page_at, dev_content, dev_site
):
    page, seen = page_at("/insights/breaks/")
    seen.expect_error_status(f"{dev_site}/insights/breaks/")
    (dev_content / "breaks.md").write_text("---\ntitle: [unclosed\n---\nx\n", encoding="utf-8")
    reloaded(
        page,
        seen,
        "document.querySelector('.content-problems')?.textContent.includes("
        "'breaks.md: broken YAML front matter')",
        BROKEN_MS,
    )
    (dev_content / "breaks.md").write_text(article("Mended while open"), encoding="utf-8")
    page.evaluate(MARK)
    reloaded(page, seen, "document.querySelector('h1')?.textContent === 'Mended while open'")


# Chromium shows every headless page as visible: the test tells the page it was hidden, then
# shown, as a tab switch would.
SHOWN_AS = """hidden => {
  Object.defineProperty(document, "hidden", {value: hidden, configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_hidden_tab_gives_back_its_stream_and_catches_up_when_shown(page_at, dev_content):
    page, seen = page_at("/insights/hidden/")
    stream = "/_live-reload/insights/hidden/"
    with page.expect_event("requestfailed", lambda request: stream in request.url):
        page.evaluate(SHOWN_AS, True)  # the stream is closed: its request ends, aborted
    (dev_content / "hidden.md").write_text(article("Saved while hidden"), encoding="utf-8")
    with page.expect_request(lambda request: stream in request.url):
        page.evaluate(SHOWN_AS, False)
    reloaded(page, seen, "document.querySelector('h1').textContent === 'Saved while hidden'")
