import runpy

from tests.support.site import ROOT


def test_the_shipped_code_colours_are_what_the_script_generates():
    generator = runpy.run_path(str(ROOT / "scripts" / "pygments_css.py"))
    shipped = (ROOT / "static" / "css" / "pygments.css").read_text(encoding="utf-8")
    assert shipped == generator["stylesheet"](), "run: python scripts/pygments_css.py"


def test_dark_code_colours_apply_without_javascript_when_the_system_is_dark():
    shipped = (ROOT / "static" / "css" / "pygments.css").read_text(encoding="utf-8")
    fallback = shipped.split("@media (prefers-color-scheme: dark) {", 1)[1]
    assert ":root:not([data-theme]) .highlight .k {" in fallback
