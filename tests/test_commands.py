from app import create_app


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
    assert [line.split(": ", 1)[0].rsplit("/", 1)[1] for line in lines] == [
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
