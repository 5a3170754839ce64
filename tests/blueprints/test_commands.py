import os
import subprocess
import sys
import time

import pytest

from app import create_app
from tests.support.bundles import image_bytes, write_bundle
from tests.support.hostile_input import billion_laughs
from tests.support.pages import soup
from tests.support.site import INSTANT, ROOT


def run_check(app):
    return app.test_cli_runner().invoke(args=["check"])


def test_check_passes_on_the_shipped_content(app):
    result = run_check(app)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == "3 articles, 0 problems"


def test_check_prints_each_problem_with_its_file_and_exits_non_zero(app, write_article):
    write_article("a-broken", raw=b"---\ntitle: [oops\n---\nx")
    write_article("b-no-date", "title: No date\n")
    write_article("c-not-utf8", raw=b"---\ntitle: caf\xe9\ndate: 2026-01-01\n---\nx")
    write_article(
        "d-bad-chart",
        "title: Bad chart\ndate: 2026-01-01\n",
        'Text.\n\n```chart\n{"type": "bar", "data": {"datasets": [}}\n```\n\n'
        "```chart\ntype: pie\ndata: {datasets: [{data: [1, x]}]}\n```\n",
    )
    write_article("e-twin", "title: Twin\ndate: 2026-01-01\nslug: b-no-date-ok\n")
    write_article("f-twin", "title: Twin\ndate: 2026-01-01\nslug: b-no-date-ok\n")
    result = run_check(app)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        "a-broken.md",
        "b-no-date.md",
        "c-not-utf8.md",
        "d-bad-chart.md",
        "d-bad-chart.md",
        "f-twin.md",
    ]
    assert lines[0].endswith(
        "a-broken.md: broken YAML front matter at line 3, column 1: "
        "did not find expected ',' or ']'"
    )
    assert lines[1].endswith("b-no-date.md: no 'date'")
    assert lines[2].endswith("c-not-utf8.md: not valid UTF-8: byte 0xe9 at line 2, column 11")
    assert lines[3].endswith("chart 1: invalid JSON at line 1, column 39: Expecting value")
    assert lines[4].endswith("chart 2: 'data.datasets[0].data[1]' is 'x', not a number")
    assert lines[5].endswith("f-twin.md: slug 'b-no-date-ok' is already used by e-twin.md")
    assert result.stderr.strip() == "5 articles, 6 problems"


def test_check_reports_a_missing_content_directory(tmp_path):
    result = run_check(create_app({"CONTENT_DIR": str(tmp_path / "missing")}))
    assert result.exit_code == 1
    assert "content directory cannot be read: No such file or directory" in result.stdout


# One file of each kind of mistake an author makes, and one good article.
BAD_KINDS = {
    "broken-yaml": "---\ntitle: [oops\n---\nx\n",
    "bad-date": "---\ntitle: Bad date\ndate: 2026-02-30\n---\nx\n",
    "chart-typo": "---\ntitle: Typo\ndate: 2026-01-01\n---\n```chart\ntype: bar\ndata:\n"
    "  lables: [a, b]\n  datasets:\n    - data: [1, 2]\n```\n",
    "chart-empty": "---\ntitle: Empty\ndate: 2026-01-01\n---\n```chart\n"
    '{"type": "line", "data": {"labels": ["a"], "datasets": []}}\n```\n',
    "diagram-typo": "---\ntitle: Flow\ndate: 2026-01-01\n---\n```mermaid\nflowchat LR\n"
    "  A --> B\n```\n",
    "good": "---\ntitle: Good\ndate: 2026-01-01\n---\nFine.\n",
}
BAD_KINDS_LINES = [
    "bad-date.md: 'date': 2026-02-30 is not a real date (day is out of range for month)",
    "broken-yaml.md: broken YAML front matter at line 3, column 1: did not find expected ',' "
    "or ']'",
    "chart-empty.md: chart 1: 'data.datasets' must be a non-empty list",
    "chart-typo.md: chart 1: unknown key 'lables' in data; did you mean 'labels'?",
    "diagram-typo.md: diagram 1: unknown diagram type 'flowchat'; did you mean 'flowchart'?",
]


@pytest.fixture
def bad_kinds(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, text in BAD_KINDS.items():
        (folder / f"{name}.md").write_text(text)
    return folder


def test_check_prints_one_line_per_mistake_an_author_makes(bad_kinds):
    result = run_check(create_app({"CONTENT_DIR": str(bad_kinds), "RESCAN_INTERVAL": 0}))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == BAD_KINDS_LINES
    assert result.stderr == "4 articles, 5 problems\n"


def _flask_check(content_dir):
    env = {**os.environ, "INSIGHTS_CONTENT_DIR": str(content_dir)}
    command = [sys.executable, "-m", "flask", "--app", "app", "check"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_flask_check_run_as_an_author_runs_it(bad_kinds):
    """Each problem once: the log lines about the skipped files would repeat two of them."""
    result = _flask_check(bad_kinds)
    assert result.returncode == 1
    assert result.stdout.splitlines() == BAD_KINDS_LINES
    assert result.stderr == "4 articles, 5 problems\n"
    assert "Traceback" not in result.stdout + result.stderr


def test_flask_check_passes_on_the_shipped_content():
    result = _flask_check(ROOT / "content")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "3 articles, 0 problems\n")


def test_flask_check_names_every_odd_entry_and_slow_article_once(bad_kinds, tmp_path):
    laughs = billion_laughs()
    (bad_kinds / "laughs.md").write_text(f"---\ntitle: L\ndate: 2026-01-01\n{laughs}---\nx\n")
    (bad_kinds / "slow.md").write_text("---\ntitle: Slow\ndate: 2026-01-01\n---\n" + "[" * 30000)
    (bad_kinds / "loop.md").symlink_to("loop.md")
    (bad_kinds / "dangling.md").symlink_to("nowhere.md")
    (bad_kinds / "folder.md").mkdir()
    os.mkfifo(bad_kinds / "pipe.md")
    (tmp_path / "outside.md").write_text(BAD_KINDS["good"])
    (bad_kinds / "outside.md").symlink_to(tmp_path / "outside.md")
    (bad_kinds / "two\nlines.md").write_text(BAD_KINDS["good"])
    env = {**os.environ, "INSIGHTS_CONTENT_DIR": str(bad_kinds), "INSIGHTS_RENDER_TIMEOUT": "1"}
    command = [sys.executable, "-m", "flask", "--app", "app", "check"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in out + err
    extra = [
        "dangling.md: is a symlink to a file that does not exist",
        "folder.md: is a directory, not a file",
        "laughs.md: broken YAML front matter at line 4, column 5: an alias of a list or mapping;"
        " aliases may stand only for plain values",
        "loop.md: cannot be read: Too many levels of symbolic links",
        "outside.md: is a symlink that leads outside the content directory",
        "pipe.md: is a named pipe (FIFO), not a file",
        "slow.md: rendering took longer than the 1 s limit (INSIGHTS_RENDER_TIMEOUT)",
        '"two\\nlines.md": the file name holds a control character (a newline or a tab, say)',
    ]
    assert sorted(out.splitlines()) == sorted(BAD_KINDS_LINES + extra)
    assert err.strip().endswith("5 articles, 13 problems")


def test_check_names_the_data_file_row_and_column_of_a_bad_cell(app, content_dir):
    write_bundle(
        content_dir,
        "gpu-spend",
        "```chart\ntype: bar\ndata: spend.csv\n```\n\n```chart\ntype: bar\ndata: cost.csv\n```\n",
        {"spend.csv": b"month,training\nJan,1\nFeb,2\nMar,n/a\n"},
    )
    result = run_check(app)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "gpu-spend/index.md: chart 1: spend.csv row 4, column 'training': 'n/a' is not a number",
        "gpu-spend/index.md: chart 2: cost.csv: no such file in this article's folder",
    ]
    page = app.test_client().get("/insights/gpu-spend/")
    assert page.status_code == 200
    boxes = [" ".join(box.get_text(" ").split()) for box in soup(page).select(".render-error")]
    assert boxes[0].startswith("Chart not shown: chart 1: spend.csv row 4, column 'training'")
    assert boxes[1].startswith("Chart not shown: chart 2: cost.csv: no such file")


def test_prune_removes_the_variants_and_cards_no_article_needs_any_more(content_dir, tmp_path):
    images = tmp_path / "images"
    config = {"CONTENT_DIR": str(content_dir), "IMAGE_CACHE_DIR": str(images), **INSTANT}
    folder = write_bundle(content_dir, "trip", "![A view](photo.jpg)\n", {}, "Before")
    made: list[set[str]] = []
    for colour, title in (("teal", "Before"), ("navy", "After")):
        (folder / "photo.jpg").write_bytes(image_bytes(1600, 800, "JPEG", colour=colour))
        write_bundle(content_dir, "trip", "![A view](photo.jpg)\n", {}, title)
        app = create_app(config)  # a fresh process's view of the folder
        assert app.test_client().get("/insights/trip/").status_code == 200
        made.append({p.name for p in images.rglob("*") if p.is_file()} - set().union(*made))
    old, new = made
    assert any(name.startswith("card-") for name in old) and any(".webp" in n for n in old)
    an_hour_ago = time.time() - 3600
    for path in images.rglob("*"):
        if path.is_file():
            os.utime(path, (an_hour_ago, an_hour_ago))

    result = create_app(config).test_cli_runner().invoke(args=["prune", "--hours", "2"])
    assert result.exit_code == 0
    assert "0 files removed" in result.stderr  # an hour old: younger than two hours, kept
    result = create_app(config).test_cli_runner().invoke(args=["prune", "--hours", "0.5"])
    assert result.exit_code == 0, result.output
    left = {p.name for p in images.rglob("*") if p.is_file()}
    assert left == new, "every file of the old photo and title is gone, every new one kept"
    assert f"{len(old)} files removed" in result.stderr
    assert create_app(config).test_client().get("/insights/trip/").status_code == 200
