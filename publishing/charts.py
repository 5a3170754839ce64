"""Fenced ```chart blocks: a Chart.js config (JSON or YAML) -> figure, canvas, data and table.

The config is embedded as ``<script type="application/json">`` (data, never executed) with every
``<``, ``>`` and ``&`` escaped, so label text cannot close the element; the browser-side
``static/js/charts.js`` reads it. The table carries the same labels and values for readers without
JavaScript, feed readers and screen readers.
"""

import json
import math
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from publishing import bounded_yaml
from publishing.bounded_yaml import MAX_DEPTH, clip, short
from publishing.bundles import suffix

CHART_TYPES = ("bar", "line", "pie", "doughnut", "radar", "polarArea", "bubble", "scatter")
MAX_POINTS = 5000
MAX_CONFIG_CHARS = 262_144
MAX_CONFIG_VALUES = 50_000  # every label, value, key and option counts
MAX_SAFE_INTEGER = 2**53 - 1  # JavaScript's Number.MAX_SAFE_INTEGER
DASH = "\u2013"  # en dash: an empty cell, or a range


class ChartError(ValueError):
    """A chart block that cannot be drawn; the message names the fault."""


def _located(kind: str, line: int, column: int, message: str) -> ChartError:
    return ChartError(f"invalid {kind} at line {line}, column {column}: {message}")


def _load(source: str) -> Any:
    if len(source) > MAX_CONFIG_CHARS:
        raise ChartError(
            f"the config is {len(source):,} characters; at most {MAX_CONFIG_CHARS:,} are read"
        )
    if not source.lstrip().startswith("{"):
        try:
            return bounded_yaml.load(source, max_nodes=MAX_CONFIG_VALUES)
        except bounded_yaml.YAMLDataError as exc:
            raise ChartError(exc.described("invalid YAML")) from None
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise _located("JSON", exc.lineno, exc.colno, exc.msg) from None
    except RecursionError:
        raise ChartError(f"invalid JSON: nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # a number of more digits than Python converts
        raise ChartError(f"invalid JSON: {short(str(exc))}") from None


def load_chart(source: str) -> Any:
    """What ``source`` holds, if it is plain data of bounded size (not yet a chart's config)."""
    config = _load(source)
    _check_plain_data(config)
    return config


def check_chart(config: Any) -> dict[str, Any]:
    """``config``, if it is one Chart.js can draw, or ``ChartError``."""
    _check_config(config)
    return config


def _check_plain_data(config: Any) -> None:
    """Only what JSON can say, numbers JavaScript holds exactly, and a bounded tree: YAML also
    reads dates and sets, Python's integers have no size limit, and JSON has no depth limit."""
    count = 0
    stack: list[tuple[Any, str, int]] = [(config, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        where = f"'{path}'" if path else "the config"
        count += 1
        if count > MAX_CONFIG_VALUES:
            raise ChartError(f"more than {MAX_CONFIG_VALUES:,} values; that is the limit")
        if depth > MAX_DEPTH:
            raise ChartError(f"{where} is nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ChartError(f"{where} has the key {short(key)}; keys must be text")
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_SAFE_INTEGER:
                digits = int(value.bit_length() * math.log10(2)) + 1  # str() refuses huge ones
                raise ChartError(f"{where} is a {digits}-digit number, too large for a chart")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ChartError(f"{where} is {value}, not a number")
        elif not (isinstance(value, bool | str) or value is None):
            kind = type(value).__name__
            raise ChartError(
                f"{where} is a {kind} ({clip(str(value))}); put it in quotes to make it text"
            )


def _check_config(config: Any) -> None:
    if not isinstance(config, dict):
        raise ChartError("the config must be a mapping with 'type' and 'data'")
    if config.get("type") not in CHART_TYPES:
        raise ChartError(
            f"'type' must be one of {', '.join(CHART_TYPES)}; got {short(config.get('type'))}"
        )
    data = config.get("data")
    if not isinstance(data, dict):
        raise ChartError("'data' must be a mapping with 'datasets'")
    labels = data.get("labels", [])
    if not isinstance(labels, list) or not all(_is_label(label) for label in labels):
        raise ChartError("'data.labels' must be a list of texts or numbers")
    if len(labels) > MAX_POINTS:
        raise ChartError(f"{len(labels)} labels; at most {MAX_POINTS} are drawn")
    datasets = data.get("datasets")
    if not isinstance(datasets, list) or not datasets:
        raise ChartError("'data.datasets' must be a non-empty list")
    points = 0
    for i, dataset in enumerate(datasets):
        where = f"data.datasets[{i}]"
        if not isinstance(dataset, dict) or not isinstance(dataset.get("data"), list):
            raise ChartError(f"'{where}' must be a mapping with a 'data' list")
        if "label" in dataset and not _is_label(dataset["label"]):
            raise ChartError(f"'{where}.label' must be a text")
        for j, value in enumerate(dataset["data"]):
            if not _is_value(value):
                raise ChartError(f"'{where}.data[{j}]' is {short(value)}, not a number")
        points += len(dataset["data"])
    if points > MAX_POINTS:
        raise ChartError(f"{points} data points; at most {MAX_POINTS} are drawn")
    if not isinstance(config.get("options", {}), dict):
        raise ChartError("'options' must be a mapping")


def _is_label(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_value(value: Any) -> bool:
    if value is None or _is_number(value):
        return True
    if isinstance(value, list):  # floating bar: [low, high]
        return len(value) == 2 and all(_is_number(v) for v in value)
    if isinstance(value, dict):  # scatter and bubble points
        return all(_is_number(value.get(k)) for k in ("x", "y")) and all(
            _is_number(v) or _is_label(v) for v in value.values()
        )
    return False


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def chart_title(config: dict[str, Any]) -> str:
    """The chart's own title, or a description made from its dataset labels."""
    title = _dig(config, "options", "plugins", "title", "text")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    if isinstance(title, str | int | float) and str(title).strip():
        return str(title).strip()
    names = [str(d["label"]) for d in config["data"]["datasets"] if d.get("label")]
    return f"{config['type'].capitalize()} chart" + (f": {', '.join(names)}" if names else "")


def _cell(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, list):
        return f"{value[0]} {DASH} {value[1]}"
    if isinstance(value, dict):
        return ", ".join(f"{key} {value[key]}" for key in value)
    return str(value)


# What a row of the data table stands for, when no axis title says it.
_ROW_KINDS = {"pie": "Segment", "doughnut": "Segment", "polarArea": "Segment", "radar": "Axis"}
_POINT_CHARTS = ("scatter", "bubble")


def row_heading(config: dict[str, Any], column: str | None = None) -> str:
    """The data table's first column heading: the title of the axis the labels sit on, else the
    ``column`` of a data file they came from, or what kind of thing each label is."""
    if config["type"] in _POINT_CHARTS:
        return "Point"  # rows are numbered points, whatever the axes are called
    axis = "y" if _dig(config, "options", "indexAxis") == "y" else "x"
    title = _dig(config, "options", "scales", axis, "title", "text")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    if isinstance(title, str | int | float) and str(title).strip():
        return str(title).strip()
    return column or _ROW_KINDS.get(config["type"], "Category")


def data_table(config: dict[str, Any], column: str | None = None) -> str:
    """An HTML table of the labels (rows) and datasets (columns), every text escaped, in a box
    that scrolls sideways on its own when the table is wider than the page; ``column`` names the
    labels' column of the data file they came from."""
    datasets = config["data"]["datasets"]
    labels = config["data"].get("labels") or []
    rows = max([len(labels), *(len(d["data"]) for d in datasets)])
    head = "".join(
        f'<th scope="col">{escape(str(d.get("label") or f"Series {i + 1}"))}</th>'
        for i, d in enumerate(datasets)
    )
    body = []
    for row in range(rows):
        label = labels[row] if row < len(labels) else row + 1
        cells = "".join(
            f"<td>{escape(_cell(d['data'][row]) if row < len(d['data']) else DASH)}</td>"
            for d in datasets
        )
        body.append(f'<tr><th scope="row">{escape(str(label))}</th>{cells}</tr>')
    return (
        f'<div class="table-scroll"><table tabindex="0"><thead><tr>'
        f'<th scope="col">{escape(row_heading(config, column))}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no character can end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass(frozen=True)
class DataFile:
    """The file of the article's folder a chart was drawn from."""

    name: str  # its path inside the folder
    x: str  # the column the labels came from

    @property
    def kind(self) -> str:
        return suffix(self.name).lstrip(".").upper()


def _download_link(data_file: DataFile | None) -> str:
    if data_file is None:
        return ""
    # Relative to the page, which lives at the folder's URL; feeds make it absolute.
    href = escape(quote(data_file.name))
    return (
        f'<p class="chart-download"><a href="{href}" download>'
        f"Download the data ({escape(data_file.kind)})</a></p>"
    )


def chart_html(config: dict[str, Any], number: int, data_file: DataFile | None = None) -> str:
    title = escape(chart_title(config))
    ident = f"chart-{number}"
    column = data_file.x if data_file else None
    return (
        f'<figure class="chart" id="{ident}"><figcaption>{title}</figcaption>'
        f'<div class="chart-canvas"><canvas role="img" aria-label="{title}" '
        f'aria-describedby="{ident}-data"></canvas></div>'
        f'<script type="application/json" class="chart-config">{script_json(config)}</script>'
        f'<details class="chart-data" id="{ident}-data" open><summary>Data table</summary>'
        f"{data_table(config, column)}</details>{_download_link(data_file)}</figure>"
    )


def error_box(kind: str, message: str, source: str) -> str:
    """What stands in the page in place of a block that cannot be drawn."""
    return (
        f'<div class="render-error" role="note"><p><strong>{escape(kind)}:</strong> '
        f"{escape(message)}</p><pre><code>{escape(source)}</code></pre></div>"
    )
