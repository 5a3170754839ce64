"""Everything wrong with the content: files that were skipped, blocks that cannot be drawn and
mistakes in blocks that are drawn all the same (a misspelt chart key, a chart with no labels),
and covers that cannot be used."""

from pathlib import Path

from publishing.article import Problem, shown
from publishing.covers import find_cover
from publishing.library import Snapshot
from publishing.render_cache import Renderer


def find_problems(snapshot: Snapshot, renderer: Renderer, static_dir: Path) -> list[Problem]:
    """The snapshot's problems and those of rendering each article and finding its cover (in
    ``static_dir`` or its folder) afresh: a cached result would hide a fault added since."""
    problems = list(snapshot.problems)
    for article in snapshot.articles:
        rendered = renderer.render_uncached(article)
        cover = find_cover(article, static_dir)
        reasons = (*rendered.problems, *rendered.warnings, *cover.problems, *cover.warnings)
        problems += [Problem(article.path, reason) for reason in reasons]
    return sorted(problems)


def problem_line(problem: Problem, content_dir: Path) -> str:
    """``problem`` as ``check`` prints it: its file named relative to the content directory,
    which the author knows (the content directory itself keeps its full name)."""
    path = problem.path
    if path != content_dir and path.is_relative_to(content_dir):
        path = path.relative_to(content_dir)
    return f"{shown(path)}: {problem.reason}"
