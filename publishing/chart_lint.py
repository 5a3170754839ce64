"""Mistakes in a chart config that still let Chart.js draw it, wrongly: misspelt keys, which
Chart.js ignores without a word, and charts with nothing to show.

The key lists are Chart.js 4.6.1's (the vendored ``static/vendor/chartjs``): its defaults,
controllers, elements and plugins, plus the options it reads without a default (``min``,
``stack``, ``xAxisID``, …). They err on the generous side: a warning on a valid config costs
the author more trust than a missed typo.
"""

import difflib
from collections.abc import Collection
from typing import Any


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TOP_LEVEL = ("type", "data", "options", "plugins")
DATA = ("labels", "datasets", "xLabels", "yLabels")
TITLE = ("align", "color", "display", "font", "fullSize", "padding", "position", "text", "weight")

# Chart.defaults.elements: each option may also be written with the prefixes Chart.js resolves
# for a dataset's elements: "hover", the element's name and both ("pointHoverRadius").
ELEMENTS = {
    "arc": _words(
        "angle borderAlign borderColor borderDash borderDashOffset borderJoinStyle borderRadius "
        "borderWidth backgroundColor circular offset selfJoin spacing spacingMode"
    ),
    "bar": _words(
        "backgroundColor borderColor borderRadius borderSkipped borderWidth inflateAmount "
        "pointStyle"
    ),
    "line": _words(
        "backgroundColor borderCapStyle borderColor borderDash borderDashOffset borderJoinStyle "
        "borderWidth capBezierPoints cubicInterpolationMode fill spanGaps stepped tension"
    ),
    "point": _words(
        "backgroundColor borderColor borderWidth hitRadius hoverBorderWidth hoverRadius pointStyle "
        "radius rotation"
    ),
}
# What a dataset holds besides element options: its data, and the options of the controllers
# (Chart.defaults.datasets) and plugins (filler, legend) that read them from the dataset.
DATASET_OWN = _words(
    "animation animations barPercentage barThickness base categoryPercentage circumference clip "
    "cutout data drawActiveElementsOnTop grouped hidden indexAxis label maxBarThickness "
    "minBarLength normalized order parsing radius rAxisID rotation segment showLine skipNull "
    "spacing spanGaps stack transitions type weight xAxisID yAxisID"
)
# Every scale type's options: cartesian, category, linear, logarithmic, time and radialLinear.
SCALE = _words(
    "adapters alignToPixels angleLines animate axis backgroundColor beginAtZero border bounds "
    "clip display grace grid labels max min offset offsetAfterAutoskip pointLabels position "
    "reverse stack stackWeight stacked startAngle suggestedMax suggestedMin ticks time title "
    "type weight"
)
# Chart options, to tell an author who put one at the top level where it belongs.
OPTIONS = _words(
    "animation animations aspectRatio backgroundColor borderColor clip color datasets "
    "devicePixelRatio elements events font hover indexAxis interaction layout locale "
    "maintainAspectRatio normalized parsing plugins resizeDelay responsive scales showLine "
    "spanGaps transitions"
)


def _with_prefixes(element: str, names: frozenset[str]) -> set[str]:
    keys = set()
    for name in names:
        tail = name[0].upper() + name[1:]
        keys |= {name, f"hover{tail}", f"{element}{tail}", f"{element}Hover{tail}"}
    return keys


DATASET = DATASET_OWN.union(
    *(_with_prefixes(element, names) for element, names in ELEMENTS.items())
)
# Types whose plain values are placed by their labels; without labels nothing is drawn.
LABELLED_TYPES = ("bar", "line", "radar", "pie", "doughnut", "polarArea")
# Chart.js 2 names, still common in examples, that the nearest spelling would not lead back to.
RENAMED = {"gridLines": "grid", "scaleLabel": "title", "steppedLine": "stepped"}
_LISTED = 10  # a shorter list of known keys is named in the warning


def _suggestion(key: str, known: Collection[str]) -> str | None:
    if RENAMED.get(key) in known:
        return RENAMED[key]
    by_folded = {name.casefold(): name for name in known}
    close = difflib.get_close_matches(key.casefold(), by_folded, n=1)
    return by_folded[close[0]] if close else None


def _unknown(
    mapping: Any, known: Collection[str], where: str, options: Collection[str] = ()
) -> list[tuple[str, str | None]]:
    """(warning, suggested key) for each key of ``mapping`` that ``known`` lacks; a key in
    ``options`` is one that belongs under ``options``."""
    if not isinstance(mapping, dict):
        return []
    found = []
    for key in [key for key in mapping if key not in known]:
        suggested = _suggestion(key, known)
        if suggested:
            hint = f"; did you mean '{suggested}'?"
        elif key in options:
            hint = f"; did you mean 'options.{key}'?"
        elif len(known) <= _LISTED:
            hint = f" (known keys: {', '.join(sorted(known, key=str.casefold))})"
        else:
            hint = ""
        found.append((f"unknown key '{key}' {where}{hint}", suggested))
    return found


def _warnings(mapping: Any, known: Collection[str], where: str) -> list[str]:
    return [warning for warning, _ in _unknown(mapping, known, where)]


def _has_labels(config: dict[str, Any]) -> bool:
    if any(config["data"].get(key) for key in ("labels", "xLabels", "yLabels")):
        return True
    scales = (config.get("options") or {}).get("scales")
    return isinstance(scales, dict) and any(
        isinstance(scale, dict) and scale.get("labels") for scale in scales.values()
    )


def _placed_by_label(value: Any) -> bool:
    """A number or a floating bar; ``{x, y}`` points carry their own place."""
    return value is not None and not isinstance(value, dict)


def lint_chart(config: dict[str, Any]) -> list[str]:
    """Warnings for a config that ``chart_data.parse_chart`` accepted: unknown keys where
    authors write them, with the nearest known key, and charts or datasets with nothing to
    draw."""
    warnings = [warning for warning, _ in _unknown(config, TOP_LEVEL, "at the top level", OPTIONS)]
    if isinstance(config.get("plugins"), dict):  # Chart.js wants a list of plugin objects here
        warnings.append("'plugins' at the top level; did you mean 'options.plugins'?")

    data_unknown = _unknown(config["data"], DATA, "in data")
    warnings += [warning for warning, _ in data_unknown]
    datasets = config["data"]["datasets"]
    for i, dataset in enumerate(datasets):
        warnings += _warnings(dataset, DATASET, f"in data.datasets[{i}]")
        if all(value is None for value in dataset["data"]):
            warnings.append(f"'data.datasets[{i}]' has no values")
    # A misspelt 'labels' was named just above: saying again that labels are missing adds nothing.
    misspelt_labels = any(suggested == "labels" for _, suggested in data_unknown)
    placed_by_label = any(_placed_by_label(v) for dataset in datasets for v in dataset["data"])
    if (
        config["type"] in LABELLED_TYPES
        and placed_by_label
        and not misspelt_labels
        and not _has_labels(config)
    ):
        warnings.append(
            f"'data' has no 'labels'; a {config['type']} chart draws each value at its label"
        )

    options = config.get("options") or {}
    plugins = options.get("plugins")
    if isinstance(plugins, dict):
        for plugin in ("title", "subtitle"):
            warnings += _warnings(plugins.get(plugin), TITLE, f"in options.plugins.{plugin}")
    scales = options.get("scales")
    if isinstance(scales, dict):
        for name, scale in scales.items():
            where = f"options.scales.{name}"
            if isinstance(scale, dict):
                warnings += _warnings(scale, SCALE, f"in {where}")
            else:  # Chart.js 2 wrote scales as lists: {yAxes: [{…}]}
                warnings.append(f"'{where}' must be a mapping of the scale's options")
    return warnings
