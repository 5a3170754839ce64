"""Charts drawn from a data file of the article's folder: ``data: spend.csv`` with ``x`` and
``y`` columns becomes the Chart.js ``labels`` and ``datasets`` the config would otherwise inline.

Numbers are read strictly, because a chart that silently drew a wrong value is worse than one
that names a cell: a value is an ASCII decimal (``12``, ``-4.5``, ``.5``, ``+3``, ``1e3``), with
spaces around it ignored; an empty cell is a gap (``null``). Thousands separators (``1,234``: a
decimal comma elsewhere), percent signs, currency, the Unicode minus, ``-`` for "none", ``NaN``
and infinities are refused by row and column, with what to write instead.
"""

import csv
import difflib
import io
import json
import math
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from publishing.bounded_yaml import clip, short
from publishing.bundles import DATA_TYPES, MAX_DATA_BYTES, FileData, suffix
from publishing.charts import (
    MAX_POINTS,
    MAX_SAFE_INTEGER,
    ChartError,
    DataFile,
    check_chart,
    load_chart,
)

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_COLUMN_KEYS = ("x", "y")
MAX_NUMBER_CHARS = 100  # no figure a chart can show is written longer
_DELIMITERS = {".csv": ",", ".tsv": "\t"}
# A file's cells up to the first with a quote out of place, which the group holds: Python's csv
# keeps a quote inside a cell that is not quoted as text (strict mode refuses only what follows
# a quoted cell), but CSV writers quote a cell that holds a quote, as RFC 4180 asks, so such a
# quote is a mistake (a hand-edit, a space after the comma) to name rather than draw.
_QUOTES_IN_PLACE = {
    kind: re.compile(rf'(?:(?:"(?:[^"]|"")*+"|[^"{d}\r\n]*+)(?:{d}|\r\n?|\n|\Z))*+([^{d}\r\n]*)')
    for kind, d in _DELIMITERS.items()
}
_LINE_END = re.compile(r"\r\n?|\n")  # the csv module's: a row is a line of the file
MAX_LISTED_CHARS = 200  # of the column names a message lists: a file may have thousands
# Charts whose values sit at numbered points ({x, y}) rather than at labels.
_POINT_CHARTS = ("scatter",)


# Why a cell that looks like a number to a person is refused, and what to write instead.
_HINTS = (
    (re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"), "write it without separators"),
    (re.compile(r".*[0-9]\s*%"), "write the number without '%'"),
    (re.compile(r"\u2212.*"), "write the minus sign as '-'"),
    (re.compile(r"[-\u2013\u2014]"), "leave the cell empty for a gap"),
)


@dataclass(frozen=True)
class _Table:
    name: str
    columns: list[str]
    rows: list[tuple[str, Mapping[str, Any]]]  # (where, e.g. "row 4", the row's cells by column)
    text: bool  # cells are text to read (CSV, TSV), not values already typed (JSON)

    def _fault(self, where: str, column: str, what: str) -> ChartError:
        return ChartError(f"{self.name} {where}, column '{column}': {what}")

    def label(self, where: str, row: Mapping[str, Any], column: str) -> str | int | float:
        value = row.get(column)
        label = value.strip() if isinstance(value, str) else value
        if label == "" or label is None:
            raise self._fault(where, column, "empty; every row needs its label")
        if isinstance(label, bool | list | dict):
            raise self._fault(where, column, f"{_kind(label)}; a label is a text or a number")
        if isinstance(label, float) and not math.isfinite(label):  # 1e400 in JSON
            raise self._fault(where, column, "a number too large for a label")
        return label

    def number(self, where: str, row: Mapping[str, Any], column: str) -> int | float | None:
        """The cell as a number, or None for a gap (an empty cell, a JSON null or missing key).
        JSON's values keep their own type: a text, even "12", is not a number."""
        value = row.get(column)
        if value is None or (self.text and not value.strip()):
            return None
        number: int | float | None = None
        if self.text:
            shown = value.strip()
            if len(shown) > MAX_NUMBER_CHARS:  # int() refuses past 4,300 digits: say why first
                raise self._fault(where, column, f"{short(value)} is too long for a number")
            if _NUMBER.fullmatch(shown):
                number = float(shown) if any(c in shown for c in ".eE") else int(shown)
                exact = isinstance(number, float) and number.is_integer() and "." not in shown
                if exact and abs(number) <= MAX_SAFE_INTEGER:  # 1e3 is the integer 1000
                    number = int(number)
            else:
                hint = next((f"; {h}" for pattern, h in _HINTS if pattern.fullmatch(shown)), "")
                raise self._fault(where, column, f"{short(value)} is not a number{hint}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            shown, number = json.dumps(value), value
        else:
            found = f"{short(value)}, a text," if isinstance(value, str) else _kind(value)
            raise self._fault(where, column, f"{found} is not a number")
        if not math.isfinite(number) or (
            isinstance(number, int) and abs(number) > MAX_SAFE_INTEGER
        ):
            raise self._fault(where, column, f"{clip(shown)} is too large for a chart")
        return number


def parse_chart(
    source: str, files: Mapping[str, FileData] | None = None
) -> tuple[dict[str, Any], DataFile | None]:
    """The config in ``source`` with a ``data`` that names a file of ``files`` (the article's
    folder; None for an article that is one file) read into labels and datasets, and the file
    it names; or ``ChartError`` naming the fault."""
    config = load_chart(source)
    if not isinstance(config, dict) or not isinstance(config.get("data"), str):
        given = [key for key in _COLUMN_KEYS if isinstance(config, dict) and key in config]
        if given:
            raise ChartError(
                f"{' and '.join(repr(key) for key in given)} name columns of a data file; "
                "with data written inline, leave them out"
            )
        return check_chart(config), None
    name, file = _data_file(config["data"], files)
    table = _read_table(name, file)
    x, ys = _columns(config, table)
    drawn = {key: value for key, value in config.items() if key not in (*_COLUMN_KEYS, "title")}
    drawn["data"] = _chart_data(config.get("type"), table, x, ys)  # no type: check_chart says
    if "title" in config:
        drawn["options"] = _titled(config.get("options", {}), config["title"])
    return check_chart(drawn), DataFile(name, x)


def _data_file(named: str, files: Mapping[str, FileData] | None) -> tuple[str, FileData]:
    if files is None:
        raise ChartError(
            f"'data' names the file {short(named)}, but this article is a single file; make it "
            "a folder (<name>/index.md) and put the data file beside index.md"
        )
    name = posixpath.normpath(named.strip().replace("\\", "/"))
    if posixpath.isabs(name) or name == ".." or name.startswith("../"):
        raise ChartError(f"{short(named)} is outside this article's folder; name a file in it")
    if suffix(name) not in DATA_TYPES:
        kinds = ", ".join(sorted(DATA_TYPES))
        raise ChartError(f"{short(named)}: a chart's data file must be one of {kinds}")
    if name not in files:
        raise ChartError(f"{name}: no such file in this article's folder")
    return name, files[name]


def _read_table(name: str, file: FileData) -> _Table:
    if file.size > MAX_DATA_BYTES:
        raise ChartError(
            f"{name} is {file.size:,} bytes; a chart's data file may be at most "
            f"{MAX_DATA_BYTES:,} (a chart holds {MAX_POINTS:,} values)"
        )
    if file.data is None:
        raise ChartError(f"{name}: {file.withheld}")
    try:
        text = file.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChartError(
            f"{name} is not UTF-8 text (byte 0x{file.data[exc.start]:02x} at offset "
            f"{exc.start:,}); save it as UTF-8"
        ) from None
    if not text.strip():
        raise ChartError(f"{name} is empty")
    table = _read_json(name, text) if suffix(name) == ".json" else _read_delimited(name, text)
    if not table.rows:
        raise ChartError(f"{name} has no rows of data")
    return table


def _read_delimited(name: str, text: str) -> _Table:
    _refuse_stray_quote(name, text)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_DELIMITERS[suffix(name)], strict=True
    )
    try:
        header = [cell.strip() for cell in next(reader)]
        numbers: dict[str, int] = {}
        for number, column in enumerate(header, 1):
            if not column:
                raise ChartError(f"{name}: column {number} of the header has no name")
            if column in numbers:
                raise ChartError(
                    f"{name}: the header names '{column}' twice (columns "
                    f"{numbers[column]} and {number})"
                )
            numbers[column] = number
        rows = []
        for cells in reader:
            if not cells:  # a blank line
                continue
            where = f"row {reader.line_num}"
            if len(cells) != len(header):
                raise ChartError(
                    f"{name} {where} has {len(cells)} cells; the header has {len(header)}"
                )
            rows.append((where, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        raise ChartError(f"{name} row {reader.line_num}: {exc}") from None
    return _Table(name, header, rows, text=True)


def _refuse_stray_quote(name: str, text: str) -> None:
    found = _QUOTES_IN_PLACE[suffix(name)].match(text)
    if found is None or not found[1] or found[1].startswith('"'):
        return  # the quotes are in place, or a quoted cell's fault, which the csv module names
    cell = found[1]
    where = f"{name} row {len(_LINE_END.findall(text, 0, found.start(1))) + 1}"
    if cell.lstrip().startswith('"'):
        raise ChartError(
            f"{where}: {short(cell)} has a space before its opening quote, which makes the "
            "quotes part of the cell; remove the space"
        )
    quoted = '"' + cell.replace('"', '""') + '"'
    raise ChartError(
        f"{where}: {short(cell)} holds a quote but is not in quotes; write the cell as "
        f"{clip(quoted)}"
    )


def _refuse_constant(constant: str) -> None:
    raise ChartError(f"{constant} is not a number")


def _read_json(name: str, text: str) -> _Table:
    try:
        records = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ChartError(
            f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except ChartError as exc:
        raise ChartError(f"{name}: {exc}") from None
    except (RecursionError, ValueError) as exc:
        raise ChartError(f"{name}: invalid JSON ({type(exc).__name__})") from None
    if not isinstance(records, list):
        raise ChartError(f"{name} holds {_kind(records)}; a chart needs a list of records")
    columns: dict[str, None] = {}  # every key of every record, in order of first appearance
    rows = []
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise ChartError(f"{name} record {number} is {_kind(record)}, not an object")
        columns.update(dict.fromkeys(record))
        rows.append((f"record {number}", record))
    if rows and not columns:
        raise ChartError(f"{name}: its records have no fields; a chart needs columns")
    return _Table(name, list(columns), rows, text=False)


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a text", bool: "true or false"}
    if value is None:
        return "null"
    return kinds.get(type(value), "a number")


def _columns(config: dict[str, Any], table: _Table) -> tuple[str, list[str]]:
    """(the x column, the y columns): by default the first column and all the others."""
    name, columns = table.name, table.columns
    x = config.get("x", columns[0])
    ys = config.get("y", [column for column in columns if column != x])
    if isinstance(ys, str):
        ys = [ys]
    if ys == [] and "y" not in config:
        raise ChartError(f"{name} has one column, '{x}'; a chart needs a column of values")
    if not isinstance(x, str):
        raise ChartError(f"'x' must be a column name; got {short(x)}")
    if not isinstance(ys, list) or not ys or not all(isinstance(y, str) for y in ys):
        raise ChartError(f"'y' must be a column name or a list of them; got {short(ys)}")
    # Counted before any name is looked up, so that a file of thousands of columns is refused
    # for what it is, at once.
    values = len(table.rows) * len(ys)
    if values > MAX_POINTS:
        raise ChartError(
            f"{name}: {len(table.rows):,} rows by {len(ys):,} columns make {values:,} "
            f"values; a chart holds at most {MAX_POINTS:,}"
        )
    known = set(columns)
    for column in (x, *ys):
        if column not in known:
            close = difflib.get_close_matches(column, columns, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            listed = clip(", ".join(columns), MAX_LISTED_CHARS)
            raise ChartError(f"no column '{column}' in {name}; columns: {listed}{hint}")
    named = {x}
    for y in ys:
        if y in named:
            raise ChartError(f"the column '{y}' is named twice in 'x' and 'y'")
        named.add(y)
    return x, ys


def _chart_data(kind: Any, table: _Table, x: str, ys: list[str]) -> dict[str, Any]:
    if kind == "bubble":  # each point needs a radius too, which no x or y column gives
        raise ChartError("a bubble chart cannot be drawn from a data file; write its data inline")
    if kind in _POINT_CHARTS:
        xs = [table.number(where, row, x) for where, row in table.rows]
        if None in xs:
            where = table.rows[xs.index(None)][0]
            raise ChartError(f"{table.name} {where}, column '{x}': empty; a point needs its x")
        datasets = []
        for y in ys:
            ats = zip(xs, (table.number(where, row, y) for where, row in table.rows), strict=True)
            points = [{"x": at, "y": value} for at, value in ats if value is not None]
            datasets.append({"label": y, "data": points})  # a gap is a point left out
        return {"datasets": datasets}
    return {
        "labels": [table.label(where, row, x) for where, row in table.rows],
        "datasets": [
            {"label": y, "data": [table.number(where, row, y) for where, row in table.rows]}
            for y in ys
        ],
    }


def _titled(options: Any, title: Any) -> Any:
    """``options`` with ``title`` as the chart's title, as ``options.plugins.title`` gives an
    inline chart its own."""
    if not isinstance(title, str | int | float) or isinstance(title, bool):
        raise ChartError(f"'title' must be a text; got {short(title)}")
    if not isinstance(options, dict):
        return options  # check_chart names it
    plugins = options.get("plugins") if isinstance(options.get("plugins"), dict) else {}
    given = plugins.get("title") if isinstance(plugins.get("title"), dict) else {}
    if "text" in given:
        raise ChartError("'title' and 'options.plugins.title.text' both give a title; keep one")
    return {
        **options,
        "plugins": {**plugins, "title": {"display": True, **given, "text": str(title)}},
    }
