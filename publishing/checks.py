"""Everything wrong with the content: files that were skipped, blocks that cannot be drawn and
mistakes in blocks that are drawn all the same (a misspelt chart key, a chart with no labels),
covers that cannot be used, and ``updated`` dates still to come."""

from datetime import UTC, datetime
from pathlib import Path

from publishing.article import Article, Problem, shown
from publishing.covers import find_cover
from publishing.library import Snapshot
from publishing.render_cache import Renderer


def find_problems(snapshot: Snapshot, renderer: Renderer, static_dir: Path) -> list[Problem]:
    """The snapshot's problems and those of rendering each article and finding its cover (in
    ``static_dir`` or its folder) afresh: a cached result would hide a fault added since."""
    problems = list(snapshot.problems)
    now = datetime.now(UTC)
    for article in snapshot.articles:
        rendered = renderer.render_uncached(article)
        cover = find_cover(article, static_dir)
        reasons = (*rendered.problems, *rendered.warnings, *cover.problems, *cover.warnings)
        problems += [Problem(article.path, reason) for reason in reasons]
        if reason := _future_update(article, now):
            problems.append(Problem(article.path, reason))
    return sorted(problems)


def _future_update(article: Article, now: datetime) -> str | None:
    """Why ``article``'s ``updated`` date cannot be right yet, if it cannot: a date to come
    is its last change (``Article.modified``), so it would be the feeds' lastBuildDate and Atom
    updated and the sitemap's lastmod until it passed, and real changes before then would not
    move them. One no later than a scheduled article's own date is never used, so it is let be."""
    updated = article.updated
    if updated is None or updated <= max(now, article.date):
        return None
    return (
        f"'updated': {updated.isoformat()} is in the future: until then feeds and the sitemap "
        "give it as the last change and later edits cannot move it; give the date of the last "
        "real change"
    )


def problem_line(problem: Problem, content_dir: Path) -> str:
    """``problem`` as ``check`` prints it: its file named relative to the content directory,
    which the author knows (the content directory itself keeps its full name)."""
    path = problem.path
    if path != content_dir and path.is_relative_to(content_dir):
        path = path.relative_to(content_dir)
    return f"{shown(path)}: {problem.reason}"
