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
