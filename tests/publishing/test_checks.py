from pathlib import Path

from extensions import library, renderer
from publishing.article import Problem
from publishing.checks import find_problems, problem_line
from tests.support.site import ROOT

STATIC = ROOT / "static"
TYPO = "```chart\ntype: bar\ndata:\n  lables: [a, b]\n  datasets:\n    - data: [1, 2]\n```\n"


def test_mistakes_in_blocks_that_are_drawn_are_problems_too(app, write_article):
    typo = write_article("typo", "title: Typo\ndate: 2026-01-01\n", TYPO)
    broken = write_article(
        "broken", "title: Broken\ndate: 2026-01-01\n", "```mermaid\nflowchat LR\n  A-->B\n```\n"
    )
    problems = find_problems(library(app).snapshot(force=True), renderer(app), STATIC)
    assert problems == [
        Problem(broken, "diagram 1: unknown diagram type 'flowchat'; did you mean 'flowchart'?"),
        Problem(typo, "chart 1: unknown key 'lables' in data; did you mean 'labels'?"),
    ]


def test_the_shipped_content_has_no_problems(app):
    assert find_problems(library(app).snapshot(force=True), renderer(app), STATIC) == []


def test_a_problem_names_its_file_relative_to_the_content_directory(tmp_path):
    content = tmp_path / "content"
    reason = "chart 1: 'data' has no 'labels'"
    assert problem_line(Problem(content / "q3.md", reason), content) == f"q3.md: {reason}"
    assert problem_line(Problem(content / "a\nb.md", "x"), content) == '"a\\nb.md": x'


def test_the_content_directory_itself_keeps_its_full_name(tmp_path):
    problem = Problem(tmp_path, "content directory cannot be read: No such file or directory")
    assert problem_line(problem, tmp_path) == f"{tmp_path}: {problem.reason}"
    elsewhere = Problem(Path("/elsewhere/x.md"), "r")
    assert problem_line(elsewhere, tmp_path) == "/elsewhere/x.md: r"


def test_a_cover_that_cannot_be_used_is_a_problem(app, write_article):
    gone = write_article(
        "gone", "title: Gone\ndate: 2026-01-01\nimage: /static/images/gone.png\n", "Text.\n"
    )
    problems = find_problems(library(app).snapshot(force=True), renderer(app), STATIC)
    assert problems == [
        Problem(gone, "cover image /static/images/gone.png: no such file in static/"),
    ]


def test_an_updated_date_still_to_come_is_a_problem_naming_the_file_and_the_date(
    app, write_article
):
    """It would be the feeds' and the sitemap's last change until it passed, so no real edit
    before then could move them. On a scheduled article it counts only past the article's own
    date, since an earlier one is never used."""
    future = write_article("future", "title: Future\ndate: 2026-01-01\nupdated: 2099-01-01\n")
    write_article("past", "title: Past\ndate: 2026-01-01\nupdated: 2026-02-01\n")
    write_article("scheduled", "title: Soon\ndate: 2099-06-01\nupdated: 2099-01-01\n")
    later = write_article("later", "title: Later\ndate: 2099-06-01\nupdated: 2099-07-01T09:30:00\n")
    problems = find_problems(library(app).snapshot(force=True), renderer(app), STATIC)
    advice = (
        "is in the future: until then feeds and the sitemap give it as the last change and later "
        "edits cannot move it; give the date of the last real change"
    )
    assert problems == [
        Problem(future, f"'updated': 2099-01-01T00:00:00+00:00 {advice}"),
        Problem(later, f"'updated': 2099-07-01T09:30:00+00:00 {advice}"),
    ]
    checked = app.test_cli_runner().invoke(args=["check"])
    assert checked.exit_code == 1
    assert f"future.md: 'updated': 2099-01-01T00:00:00+00:00 {advice}\n" in checked.output
