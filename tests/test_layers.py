"""The layers keep to their side: the content side (publishing/) imports nothing of the web or
of the app, the serving side (serving/) nothing of Markdown, and no view or domain module reads
raw configuration: values come from ``extensions.settings()`` already typed and checked."""

import ast
import re
from pathlib import Path

import pytest

from tests.support.site import ROOT

# package -> top-level modules none of its modules may import
FORBIDDEN = {
    "publishing": {
        "flask", "werkzeug", "whitenoise", "flask_caching",  # the web
        "app", "extensions", "settings", "blueprints", "hooks", "serving",  # the app
    },
    "serving": {"markdown", "pymdownx"},
}  # fmt: skip
CODE = ("blueprints", "hooks", "publishing", "serving")
# The ways configuration used to be read in views and domain code: a cast of a config value,
# the Flask config of the current app, or a singleton fetched by a string key.
RAW_CONFIG = re.compile(
    r"\b(?:int|float|str|bool)\(\s*[\w.]*(?:config|settings)\s*\[|\bcurrent_app\.config\b"
    r"|\bapp\.config\s*\[|\.extensions\s*\[\s*[\"']insights"
)


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """The top-level names of every module ``path`` imports, wherever in the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_what_its_layer_must_not_know(package):
    assert modules(package)
    crossings = {
        path.relative_to(ROOT).as_posix(): sorted(imported(path) & FORBIDDEN[package])
        for path in modules(package)
    }
    assert not {name: found for name, found in crossings.items() if found}


def test_the_walk_sees_imports_anywhere_in_a_module(tmp_path):
    source = tmp_path / "sneaky.py"
    source.write_text("def f():\n    from flask import g\n    import werkzeug.http\n")
    assert imported(source) == {"flask", "werkzeug"}


def test_no_view_or_domain_module_reads_raw_configuration():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in CODE
        for path in modules(package)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if RAW_CONFIG.search(line)
    ]
    assert not found


@pytest.mark.parametrize(
    "line",
    [
        'per_page = int(current_app.config["PER_PAGE"])',
        'drafts = bool(config["SHOW_DRAFTS"])',
        "language=str(settings['SITE_LANGUAGE'])",
        'current_app.extensions["insights.library"].snapshot()',
        'if app.config["SITE_URL"]:',
    ],
)
def test_the_raw_configuration_pattern_catches_the_old_ways(line):
    assert RAW_CONFIG.search(line)


def test_no_singleton_is_fetched_by_a_string_key_anywhere():
    sources = [ROOT / "gunicorn.conf.py", *ROOT.glob("*.py")]
    for folder in (*CODE, "bench", "harness", "tests"):
        sources += modules(folder)
    this = Path(__file__).resolve()
    found = [
        str(path.relative_to(ROOT))
        for path in sources
        if path.resolve() != this and '.extensions["insights.' in path.read_text()
    ]
    assert not found


def _code_map() -> dict[str, str]:
    """The README's map of the code: path -> what it holds."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## How it is built\n", 1)[1]
    start = section.index("| path |")
    rows = section[start : section.index("\n\n", start)].splitlines()[2:]
    return dict(row[2:].removesuffix(" |").split(" | ", 1) for row in rows)


def test_the_readme_map_names_every_module_of_every_package_and_top_level_file():
    code_map = _code_map()
    for package in (*CODE, "harness"):
        holds = code_map[f"`{package}/`"]
        named = set(re.findall(r"`(\w+)`", holds))
        assert {path.stem for path in (ROOT / package).glob("*.py")} - {"__init__"} <= named
    rows = " ".join(code_map)
    assert all(f"`{path.name}`" in rows for path in ROOT.glob("*.py"))
