"""The vendored front-end files are the pinned versions, each with its licence beside it."""

import re

import pytest

from tests.support.site import ROOT

VENDOR_SCRIPT = (ROOT / "scripts" / "vendor.sh").read_text()


def pinned(variable: str) -> str:
    return re.search(rf'^{variable}="([^"]+)"$', VENDOR_SCRIPT, re.M).group(1)


@pytest.mark.parametrize(
    ("folder", "entry", "licence", "variable", "stamp"),
    [
        (
            "static/vendor/chartjs",
            "chart.umd.min.js",
            "LICENSE.md",
            "CHARTJS_VERSION",
            "Chart.js v{}",
        ),
        ("static/vendor/mermaid", "mermaid.esm.min.mjs", "LICENSE", "MERMAID_VERSION", '"{}"'),
        ("tests/vendor/axe-core", "axe.min.js", "LICENSE", "AXE_CORE_VERSION", "axe v{}"),
    ],
)
def test_each_vendored_file_is_its_pinned_version_with_its_licence(
    folder, entry, licence, variable, stamp
):
    version = pinned(variable)
    assert stamp.format(version) in (ROOT / folder / entry).read_text(encoding="utf-8")
    assert (ROOT / folder / licence).stat().st_size > 500
    assert f"| {version} |" in (ROOT / "static" / "vendor" / "VERSIONS.md").read_text()


def test_mermaid_fetches_nothing_but_its_own_chunks():
    found = 0
    for module in (ROOT / "static" / "vendor" / "mermaid").rglob("*.mjs"):
        imports = re.findall(r'(?:from|import)\s*\(?\s*"([^"]+\.mjs)"', module.read_text())
        assert all(path.startswith(("./", "../")) for path in imports), module
        assert all((module.parent / path).resolve().is_file() for path in imports), module
        found += len(imports)
    assert found > 100  # the chunks do import each other: the pattern still finds them
