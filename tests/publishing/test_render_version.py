"""The renderer's version: a digest of every source file the renderer imports."""

from publishing import render_version
from publishing.render_version import RENDER_VERSION, renderer_sources, renderer_version


def test_every_module_the_renderer_imports_is_in_the_digest_and_no_other():
    sources, libraries = renderer_sources()
    names = {path.stem for path in sources}
    # chart_lint and bounded_yaml are reached only through other modules: found all the same
    assert {"rendering", "markup", "charts", "chart_lint", "bounded_yaml", "text"} <= names
    assert not names & {"feeds", "library", "render_cache", "sitemap", "checks"}
    assert {"markdown", "pymdownx", "yaml"} <= libraries and "flask" not in libraries


def test_the_version_is_the_same_for_the_same_code_and_changes_with_it(tmp_path, monkeypatch):
    assert renderer_version() == RENDER_VERSION
    copy = tmp_path / "publishing"
    copy.mkdir()
    for path in renderer_sources()[0]:
        (copy / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(render_version, "PACKAGE", copy)
    monkeypatch.setattr(render_version.renderer_sources, "__defaults__", (copy / "rendering.py",))
    assert renderer_version() == RENDER_VERSION
    (copy / "chart_lint.py").write_text("# a change\n", "utf-8")
    assert renderer_version() != RENDER_VERSION
