import json
import re
from html.parser import HTMLParser

import pytest

from publishing.chart_data import parse_chart
from publishing.charts import ChartError, chart_html, chart_title
from tests.support.hostile_input import billion_laughs

BAR = {"type": "bar", "data": {"labels": ["a", "b"], "datasets": [{"label": "n", "data": [1, 2]}]}}


def config_json(html: str) -> dict:
    match = re.search(r'<script type="application/json" class="chart-config">(.*?)</script>', html)
    return json.loads(match.group(1))


def test_json_and_yaml_configs_parse_to_the_same_thing():
    as_yaml = (
        "type: bar\ndata:\n  labels: [a, b]\n  datasets:\n    - label: n\n      data: [1, 2]\n"
    )
    assert parse_chart(json.dumps(BAR))[0] == parse_chart(as_yaml)[0] == BAR


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            '{"type": "bar", "data": {"labels": ["a"], "datasets": [}}',
            "invalid JSON at line 1, column 56: Expecting value",
        ),
        ("type: bar\ndata: [1, 2\n", "invalid YAML at line 3, column 1"),
        ("just words", "the config must be a mapping"),
        ('{"type": "sparkline", "data": {}}', "'type' must be one of bar, line"),
        ('{"type": "bar"}', "'data' must be a mapping"),
        ('{"type": "bar", "data": {"datasets": []}}', "'data.datasets' must be a non-empty list"),
        (
            '{"type": "bar", "data": {"labels": "ab", "datasets": [{"data": [1]}]}}',
            "'data.labels' must be a list",
        ),
        (
            '{"type": "bar", "data": {"datasets": [{"data": [1, "many"]}]}}',
            r"'data.datasets\[0\].data\[1\]' is 'many', not a number",
        ),
        ('{"type": "bar", "data": {"datasets": [{"data": [1, NaN]}]}}', "not a number"),
        ('{"type": "bar", "data": {"datasets": [{"data": [true]}]}}', "not a number"),
        (
            '{"type": "bar", "data": {"datasets": [{"data": [1]}]}, "options": []}',
            "'options' must be a mapping",
        ),
        (
            '{"type": "bar", "data": {"datasets": [{"data": [' + ",".join(["1"] * 5001) + "]}]}}",
            "5001 data points; at most 5000",
        ),
    ],
)
def test_each_unusable_config_is_named(source, message):
    with pytest.raises(ChartError, match=message):
        parse_chart(source)[0]


def test_points_and_floating_bars_are_values():
    scatter = {"type": "scatter", "data": {"datasets": [{"data": [{"x": 1, "y": 2}]}]}}
    floating = {"type": "bar", "data": {"labels": ["a"], "datasets": [{"data": [[1, 3]]}]}}
    assert parse_chart(json.dumps(scatter))[0] == scatter
    assert parse_chart(json.dumps(floating))[0] == floating


def test_a_chart_becomes_a_figure_with_canvas_data_and_table():
    html = chart_html(BAR, 3)
    assert '<figure class="chart" id="chart-3">' in html
    assert 'role="img" aria-label="Bar chart: n"' in html
    assert config_json(html) == BAR
    assert '<th scope="row">a</th><td>1</td>' in html
    assert "<details" in html and " open>" in html


def first_column(html: str) -> str:
    return re.search(r'<thead><tr><th scope="col">(.*?)</th>', html).group(1)


@pytest.mark.parametrize(
    ("config", "heading"),
    [
        ({**BAR, "options": {"scales": {"x": {"title": {"text": "Phase"}}}}}, "Phase"),
        (
            {**BAR, "options": {"indexAxis": "y", "scales": {"y": {"title": {"text": "Year"}}}}},
            "Year",
        ),
        ({**BAR, "options": {"scales": {"y": {"title": {"text": "ms"}}}}}, "Category"),
        ({**BAR, "type": "doughnut"}, "Segment"),
        ({**BAR, "type": "radar"}, "Axis"),
        (
            {**BAR, "type": "scatter", "options": {"scales": {"x": {"title": {"text": "t"}}}}},
            "Point",
        ),
    ],
)
def test_the_data_table_names_its_first_column_after_the_axis_or_the_kind_of_label(config, heading):
    assert first_column(chart_html(config, 1)) == heading


def test_the_data_table_scrolls_in_its_own_box():
    html = chart_html(BAR, 1)
    assert '<div class="table-scroll"><table tabindex="0">' in html
    assert html.index("</table></div></details>")


def test_the_title_comes_from_the_options_or_the_dataset_labels():
    titled = {**BAR, "options": {"plugins": {"title": {"text": ["Two", "lines"]}}}}
    assert chart_title(titled) == "Two lines"
    assert chart_title(BAR) == "Bar chart: n"


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)


def test_hostile_labels_stay_inert_text():
    hostile = "</script><script>window.x=1</script>"
    image = '<img src=x onerror="window.y=1">'
    config = {
        "type": "bar",
        "data": {"labels": [hostile, "\u2028"], "datasets": [{"label": image, "data": [1, 2]}]},
        "options": {"plugins": {"title": {"text": image}}},
    }
    html = chart_html(config, 1)
    parser = _Elements()
    parser.feed(html)
    assert parser.tags.count("script") == 1  # only the JSON data element
    assert "img" not in parser.tags and "onerror" not in parser.attributes
    assert "</script>" not in html.split('class="chart-config">', 1)[1].split("</script>", 1)[0]
    assert config_json(html) == config


@pytest.mark.parametrize(
    "options",
    ["{plugins: null}", "{plugins: {title: Hello}}", "{plugins: {title: {text: {a: 1}}}}", "{}"],
)
def test_odd_but_plain_options_still_give_a_chart_with_a_title(options):
    source = "type: bar\ndata: {labels: [a], datasets: [{label: n, data: [1]}]}\n"
    config = parse_chart(source + f"options: {options}\n")[0]
    assert chart_title(config) == "Bar chart: n"
    assert '<canvas role="img" aria-label="Bar chart: n"' in chart_html(config, 1)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "type: line\ndata: {datasets: [{data: [{x: !!timestamp 2024-01-01, y: 1}]}]}\n",
            r"'data.datasets\[0\].data\[0\].x' is a date \(2024-01-01\); put it in quotes",
        ),
        (
            "type: bar\ndata: {labels: !!set {a, b}, datasets: [{data: [1]}]}\n",
            r"'data.labels' is a set \(.*\); put it in quotes",
        ),
        (
            '{"type": "bar", "data": {"datasets": [{"data": [1' + "0" * 400 + "]}]}}",
            r"'data.datasets\[0\].data\[0\]' is a 401-digit number, too large for a chart",
        ),
        (
            "type: bar\ndata: {datasets: [{data: [1]}]}\n1: numbered key\n",
            "the config has the key 1; keys must be text",
        ),
    ],
)
def test_values_json_cannot_hold_are_named(source, message):
    with pytest.raises(ChartError, match=message):
        parse_chart(source)[0]


LAUGHS = billion_laughs()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "type: bar\ndata: {labels: [a], datasets: [{data: [1]}]}\noptions:\n"
            + "".join("  " + line + "\n" for line in LAUGHS.splitlines())
            + "  x: *l8\n",
            "an alias of a list or mapping",
        ),
        (
            "type: bar\ndata: {labels: [a], datasets: [{data: [1]}]}\noptions: "
            + "{a: " * 80
            + "1"
            + "}" * 80,
            "nested more than 64 levels deep",
        ),
        (
            '{"type": "bar", "data": {"datasets": [{"data": [1]}]}, "options": '
            + '{"a": ' * 100_000
            + "1"
            + "}" * 100_000
            + "}",
            "the config is 700,068 characters; at most 262,144 are read",
        ),
        (
            '{"type": "bar", "data": {"datasets": [{"data": [1]}]}, "options": '
            + "[" * 5000
            + "]" * 5000
            + "}",
            "nested more than 64 levels deep",
        ),
        (
            '{"type": "bar", "data": {"labels": ['
            + ",".join(["1"] * 6000)
            + '], "datasets": [{"data": [1]}]}}',
            "6000 labels; at most 5000 are drawn",
        ),
        (
            '{"type": "bar", "data": {"datasets": [{"data": [1]}]}, "options": {"x": ['
            + ",".join(["0"] * 60_000)
            + "]}}",
            "more than 50,000 values; that is the limit",
        ),
        ('{"type": "bar", "data": {"datasets": [{"data": [' + "9" * 5000 + "]}]}}", "invalid JSON"),
    ],
)
def test_configs_that_would_grow_without_bound_are_refused_naming_the_limit(source, message):
    with pytest.raises(ChartError, match=re.escape(message)):
        parse_chart(source)[0]


def test_a_yaml_date_in_a_chart_is_a_text_label():
    config = parse_chart("type: line\ndata: {labels: [2026-01-01], datasets: [{data: [1]}]}\n")[0]
    assert config["data"]["labels"] == ["2026-01-01"]
