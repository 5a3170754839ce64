import ast
import json
import re

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from publishing import chart_lint
from publishing.chart_data import parse_chart
from publishing.chart_lint import lint_chart
from publishing.charts import ChartError
from tests.support.site import ROOT

CHART_BLOCK = re.compile(r"```chart\n(.*?)```", re.S)
# The misspelt key that tests of the warning use on purpose.
MISSPELT = "unknown key 'lables'"


def lint(source: str) -> list[str]:
    return lint_chart(parse_chart(source)[0])


def bar(data: str = "{labels: [a, b], datasets: [{label: n, data: [1, 2]}]}", **extra: str) -> str:
    return f"type: bar\ndata: {data}\n" + "".join(f"{k}: {v}\n" for k, v in extra.items())


def test_a_clean_chart_has_no_warnings():
    assert lint(bar(options="{plugins: {title: {display: true, text: T}}}")) == []


@pytest.mark.parametrize(
    ("source", "warning"),
    [
        (
            bar("{lables: [a, b], datasets: [{data: [1, 2]}]}"),
            "unknown key 'lables' in data; did you mean 'labels'?",
        ),
        (
            bar(optons="{}"),
            "unknown key 'optons' at the top level; did you mean 'options'?",
        ),
        (
            bar(scales="{y: {beginAtZero: true}}"),
            "unknown key 'scales' at the top level; did you mean 'options.scales'?",
        ),
        (
            bar(plugins="{title: {text: T}}"),
            "'plugins' at the top level; did you mean 'options.plugins'?",
        ),
        (
            bar("{labels: [a], datasets: [{data: [1], backgroundColour: red}]}"),
            "unknown key 'backgroundColour' in data.datasets[0]; did you mean 'backgroundColor'?",
        ),
        (
            bar("{labels: [a], datasets: [{data: [1]}, {data: [2], Label: x}]}"),
            "unknown key 'Label' in data.datasets[1]; did you mean 'label'?",
        ),
        (
            bar(options="{plugins: {title: {display: true, titel: T}}}"),
            "unknown key 'titel' in options.plugins.title (known keys: align, color, display, "
            "font, fullSize, padding, position, text, weight)",
        ),
        (
            bar(options="{plugins: {title: {dispaly: true, text: T}}}"),
            "unknown key 'dispaly' in options.plugins.title; did you mean 'display'?",
        ),
        (
            bar(options="{scales: {y: {beginAtZero: true, sugestedMax: 10}}}"),
            "unknown key 'sugestedMax' in options.scales.y; did you mean 'suggestedMax'?",
        ),
        (
            bar(options="{scales: {x: {gridLines: {display: false}}}}"),
            "unknown key 'gridLines' in options.scales.x; did you mean 'grid'?",
        ),
        (
            bar(options="{scales: {yAxes: [{ticks: {beginAtZero: true}}]}}"),
            "'options.scales.yAxes' must be a mapping of the scale's options",
        ),
    ],
)
def test_each_level_names_an_unknown_key_and_the_nearest_known_one(source, warning):
    assert lint(source) == [warning]


@pytest.mark.parametrize(
    "dataset",
    [
        "{data: [1, 2], pointRadius: 4, pointHoverRadius: 6, tension: 0.3, fill: true}",
        "{data: [1, 2], lineTension: 0.2, pointBackgroundColor: red}",  # prefixed element keys
        "{data: [1, 2], hoverBackgroundColor: red, borderRadius: 4, barThickness: 8}",
        "{data: [1, 2], hoverOffset: 4, cutout: '50%', circumference: 180, spacing: 2}",
        "{data: [1, 2], stack: s, order: 1, yAxisID: y2, hidden: false, clip: 5}",
        "{data: [1, 2], type: line, segment: {}, spanGaps: true, pointStyle: rectRot}",
    ],
)
def test_options_chart_js_reads_from_a_dataset_pass(dataset):
    assert lint(f"type: line\ndata: {{labels: [a, b], datasets: [{dataset}]}}\n") == []


def test_a_chart_js_2_dataset_name_that_chart_js_4_dropped_is_named():
    assert lint("type: line\ndata: {labels: [a], datasets: [{data: [1], steppedLine: true}]}") == [
        "unknown key 'steppedLine' in data.datasets[0]; did you mean 'stepped'?"
    ]


@pytest.mark.parametrize("kind", ["bar", "line", "radar", "pie", "doughnut", "polarArea"])
def test_plain_values_without_labels_are_named(kind):
    assert lint(f"type: {kind}\ndata: {{datasets: [{{data: [1, [2, 3]]}}]}}") == [
        f"'data' has no 'labels'; a {kind} chart draws each value at its label"
    ]


@pytest.mark.parametrize(
    "source",
    [
        "type: scatter\ndata: {datasets: [{data: [{x: 1, y: 2}]}]}",
        "type: bubble\ndata: {datasets: [{data: [{x: 1, y: 2, r: 3}]}]}",
        "type: line\ndata: {datasets: [{data: [{x: 1, y: 2}]}]}",
        "type: bar\ndata: {xLabels: [a], datasets: [{data: [1]}]}",
        "type: bar\ndata: {datasets: [{data: [1]}]}\noptions: {scales: {x: {labels: [a]}}}",
    ],
)
def test_values_with_their_own_place_need_no_labels(source):
    assert lint(source) == []


def test_a_misspelt_labels_key_is_one_warning_not_two():
    assert lint("type: bar\ndata: {Lables: [a], datasets: [{data: [1]}]}") == [
        "unknown key 'Lables' in data; did you mean 'labels'?"
    ]


@pytest.mark.parametrize("values", ["[]", "[null, null]"])
def test_a_dataset_with_no_values_is_named(values):
    source = f"type: bar\ndata: {{labels: [a], datasets: [{{data: [1]}}, {{data: {values}}}]}}"
    assert lint(source) == ["'data.datasets[1]' has no values"]


def _charts_in_tests() -> list[tuple[str, str]]:
    """Every chart block written as a literal string in the test files, with its file's name."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found += [(path.name, block) for block in CHART_BLOCK.findall(node.value)]
    return found


def _charts_in_content() -> list[tuple[str, str]]:
    return [
        (path.name, block)
        for path in sorted((ROOT / "content").glob("*.md"))
        for block in CHART_BLOCK.findall(path.read_text())
    ]


def test_no_key_of_a_shipped_or_tested_chart_is_called_unknown():
    checked = 0
    for name, source in _charts_in_content() + _charts_in_tests():
        try:
            config = parse_chart(source)[0]
        except ChartError:
            continue  # a test of a chart that cannot be drawn
        checked += 1
        unknown = [w for w in lint_chart(config) if "unknown" in w and MISSPELT not in w]
        assert unknown == [], (name, source)
    assert checked >= 10


def test_the_shipped_charts_have_no_warnings_at_all():
    charts = _charts_in_content()
    assert len(charts) == 3
    assert [lint(source) for _, source in charts] == [[], [], []]


def test_every_known_key_is_a_name_in_the_vendored_chart_js():
    bundle = (ROOT / "static/vendor/chartjs/chart.umd.min.js").read_text()
    names = {*chart_lint.TOP_LEVEL, *chart_lint.DATA, *chart_lint.TITLE, *chart_lint.SCALE}
    names |= {*chart_lint.DATASET_OWN, *chart_lint.OPTIONS, *chart_lint.RENAMED.values()}
    names |= {name for element in chart_lint.ELEMENTS.values() for name in element}
    missing = {name for name in names if not re.search(rf"\b{name}\b", bundle)}
    assert missing == set()


plain = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
keyed = st.dictionaries(st.sampled_from(["plugins", "scales", "title", "x", "y", "labels"]), plain)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["bar", "line", "pie", "scatter"]),
    st.dictionaries(st.text(max_size=8), plain, max_size=3),
    st.lists(st.dictionaries(st.text(max_size=12), plain, max_size=3), min_size=1, max_size=3),
    keyed | st.dictionaries(st.sampled_from(["plugins", "scales"]), keyed),
)
def test_any_config_parse_chart_accepts_gets_a_list_of_warnings(kind, data, datasets, options):
    config = {
        "type": kind,
        "data": {**data, "datasets": [{**d, "data": [1, None]} for d in datasets]},
        "options": options,
    }
    try:
        parsed = parse_chart(json.dumps(config))[0]
    except ChartError:
        reject()  # only configs parse_chart accepts are linted (a "labels" of None is not one)
    warnings = lint_chart(parsed)
    assert all(isinstance(w, str) and w for w in warnings)
