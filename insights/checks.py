"""Everything wrong with the content: files that were skipped and blocks that cannot be drawn."""

from insights.article import Problem
from insights.library import Snapshot
from insights.rendering import render_uncached


def find_problems(snapshot: Snapshot) -> list[Problem]:
    problems = list(snapshot.problems)
    for article in snapshot.articles:
        problems.extend(
            Problem(article.path, reason) for reason in render_uncached(article).problems
        )
    return sorted(problems)
