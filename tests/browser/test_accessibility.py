"""axe-core finds no WCAG 2.2 A/AA or best-practice violation on any page, light or dark."""

import pytest

from tests.browser.chromium import draw_charts, draw_diagrams, listing
from tests.browser.conftest import MISSING_PATH, ROOT, OpenPage

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]

# One line per violation: rule, impact, and the first few elements it names.
RUN_AXE = """async tags => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} -> ` +
    v.nodes.slice(0, 3).map(node => node.target.join(" ")).join(", "));
}"""


# Both themes on a desktop; a phone too, where tables and code become scrolling regions.
@pytest.mark.parametrize(("theme", "width"), [("light", 1280), ("dark", 1280), ("light", 360)])
def test_no_axe_violations_on_any_page(
    open_page: OpenPage, site_pages: dict[str, str], theme: str, width: int
):
    # The injected axe script is inline, which the site's Content-Security-Policy forbids.
    opened = open_page(
        color_scheme=theme, bypass_csp=True, viewport={"width": width, "height": 800}
    )
    page = opened.page
    violations = {}
    for name, path in site_pages.items():
        opened.goto(path, 404 if path == MISSING_PATH else 200)
        draw_charts(page)
        draw_diagrams(page)  # axe must see the drawn SVG, not the source waiting for it
        page.add_script_tag(path=AXE)
        violations[name] = page.evaluate(RUN_AXE, AXE_TAGS)
    assert not any(violations.values()), listing(violations)
