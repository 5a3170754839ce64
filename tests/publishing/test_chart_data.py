import json

import pytest

from publishing.bundles import MAX_DATA_BYTES, FileData
from publishing.chart_data import parse_chart
from publishing.charts import ChartError, DataFile, chart_html

SPEND = b"month,training,inference\nJan,12,3\nFeb,14,5\nMar,,8\n"
LINE = "type: line\ndata: spend.csv\nx: month\ny: [training, inference]\n"


def files(**named: bytes) -> dict[str, FileData]:
    return {
        name.replace("__", "/").replace("_", "."): FileData(len(d), d) for name, d in named.items()
    }


def drawn(source: str, **named: bytes) -> dict:
    config, _ = parse_chart(source, files(**named))
    return config


def refused(source: str, **named: bytes) -> str:
    with pytest.raises(ChartError) as caught:
        parse_chart(source, files(**named))
    return str(caught.value)


def test_a_csv_becomes_labels_and_one_dataset_per_y_column_with_gaps_as_null():
    config, data_file = parse_chart(LINE, files(spend_csv=SPEND))
    assert config["data"] == {
        "labels": ["Jan", "Feb", "Mar"],
        "datasets": [
            {"label": "training", "data": [12, 14, None]},
            {"label": "inference", "data": [3, 5, 8]},
        ],
    }
    assert data_file == DataFile("spend.csv", "month")
    assert set(config) == {"type", "data"}  # x and y are not Chart.js keys: they do not reach it


def test_x_defaults_to_the_first_column_and_y_to_the_others_and_y_may_be_one_name():
    assert drawn("type: bar\ndata: spend.csv\n", spend_csv=SPEND)["data"]["datasets"][1] == {
        "label": "inference",
        "data": [3, 5, 8],
    }
    single = drawn("type: bar\ndata: spend.csv\ny: inference\n", spend_csv=SPEND)
    assert [d["label"] for d in single["data"]["datasets"]] == ["inference"]


def test_title_is_the_charts_title_as_options_plugins_title_would_be_and_options_are_kept():
    source = (
        LINE + "title: Monthly GPU spend (k$)\noptions: {plugins: {legend: {display: false}}}\n"
    )
    config, data_file = parse_chart(source, files(spend_csv=SPEND))
    assert config["options"] == {
        "plugins": {
            "legend": {"display": False},
            "title": {"display": True, "text": "Monthly GPU spend (k$)"},
        }
    }
    html = chart_html(config, 1, data_file)
    assert "<figcaption>Monthly GPU spend (k$)</figcaption>" in html
    assert 'aria-label="Monthly GPU spend (k$)"' in html


def test_two_titles_are_refused():
    source = LINE + "title: A\noptions: {plugins: {title: {text: B}}}\n"
    assert "both give a title" in refused(source, spend_csv=SPEND)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("-4.5", -4.5),
        ("+3", 3),
        (".5", 0.5),
        ("1e3", 1000),
        ("2.5E-2", 0.025),
        ("", None),
        ("   ", None),
    ],
)
def test_good_cells(cell, value):
    config = drawn("type: bar\ndata: a.csv\n", a_csv=f"k,v\nx,{cell}\n".encode())
    got = config["data"]["datasets"][0]["data"][0]
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ('"1,234"', "; write it without separators"),
        ("12%", "; write the number without '%'"),
        ("\u221212", "; write the minus sign as '-'"),
        ("-", "; leave the cell empty for a gap"),
        ("n/a", ""),
        ("NaN", ""),
        ("inf", ""),
        ("Infinity", ""),
        ("$12", ""),
        ("1_000", ""),
        ("0x1F", ""),
        ("\u0661\u0662", ""),  # Arabic-Indic digits, which float() would read
        ("12 ms", ""),
    ],
)
def test_bad_cells_are_named_by_row_and_column(cell, hint):
    data = f"month,training\nJan,1\nFeb,2\nMar,{cell}\n".encode()
    shown = cell.strip('"')
    assert refused("type: bar\ndata: s.csv\n", s_csv=data) == (
        f"s.csv row 4, column 'training': {shown!r} is not a number{hint}"
    )


@pytest.mark.parametrize("cell", ["1e999", "9007199254740993"])
def test_numbers_a_chart_cannot_hold_are_refused(cell):
    message = refused("type: bar\ndata: s.csv\n", s_csv=f"k,v\na,{cell}\n".encode())
    assert message == f"s.csv row 2, column 'v': {cell} is too large for a chart"


def test_a_tsv_is_read_with_tabs_and_a_bom_is_accepted():
    tsv = "\ufeffmonth\tspend\nJan\t1,5\n".replace("1,5", "15").encode()
    config = drawn("type: bar\ndata: data/spend.tsv\n", data__spend_tsv=tsv)
    assert config["data"] == {"labels": ["Jan"], "datasets": [{"label": "spend", "data": [15]}]}


def test_quoted_cells_keep_their_commas_in_labels():
    data = b'city,n\n"Paris, France",3\n'
    assert drawn("type: bar\ndata: c.csv\n", c_csv=data)["data"]["labels"] == ["Paris, France"]


def test_json_records_missing_keys_and_nulls_are_gaps():
    records = [
        {"month": "Jan", "a": 1, "b": 2.5},
        {"month": "Feb", "b": None},
        {"month": 3, "a": 4},
    ]
    config = drawn("type: line\ndata: s.json\n", s_json=json.dumps(records).encode())
    assert config["data"] == {
        "labels": ["Jan", "Feb", 3],
        "datasets": [
            {"label": "a", "data": [1, None, 4]},
            {"label": "b", "data": [2.5, None, None]},
        ],
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1}', "s.json holds an object; a chart needs a list of records"),
        ('"abc"', "s.json holds a text; a chart needs a list of records"),
        ('[{"m": "a", "v": 1}, 7]', "s.json record 2 is a number, not an object"),
        ('[{"m": "a", "v": "12"}]', "s.json record 1, column 'v': '12', a text, is not a number"),
        ('[{"m": "a", "v": true}]', "s.json record 1, column 'v': true or false is not a number"),
        ('[{"m": "a", "v": [1]}]', "s.json record 1, column 'v': a list is not a number"),
        ('[{"m": "a", "v": NaN}]', "s.json: NaN is not a number"),
        (
            '[{"m": "a", "v": 1}',
            "s.json: invalid JSON at line 1, column 20: Expecting ',' delimiter",
        ),
        ('[{"m": null, "v": 1}]', "s.json record 1, column 'm': empty; every row needs its label"),
        ("[]", "s.json has no rows of data"),
        ("[{}]", "s.json: its records have no fields; a chart needs columns"),
        ('[{"m": 1e400, "v": 1}]', "s.json record 1, column 'm': a number too large for a label"),
    ],
)
def test_json_that_is_not_a_list_of_records_of_numbers_is_named(text, message):
    assert refused("type: bar\ndata: s.json\n", s_json=text.encode()).startswith(message)


def test_a_scatter_chart_gets_points_and_leaves_a_gap_out():
    data = b"t,v\n1,10\n2,\n3.5,30\n"
    assert drawn("type: scatter\ndata: p.csv\n", p_csv=data)["data"] == {
        "datasets": [{"label": "v", "data": [{"x": 1, "y": 10}, {"x": 3.5, "y": 30}]}]
    }
    assert refused("type: scatter\ndata: p.csv\n", p_csv=b"t,v\n1,10\n,3\n") == (
        "p.csv row 3, column 't': empty; a point needs its x"
    )


BIG = b"k,v\n" + b"".join(b"a,1\n" for _ in range(5001))


@pytest.mark.parametrize(
    ("source", "named", "message"),
    [
        (LINE, {}, "spend.csv: no such file in this article's folder"),
        (
            "type: line\ndata: spend.csv\ny: [traning]\n",
            {"spend_csv": SPEND},
            "no column 'traning' in spend.csv; columns: month, training, inference; "
            "did you mean 'training'?",
        ),
        (
            "type: line\ndata: spend.csv\nx: when\n",
            {"spend_csv": SPEND},
            "no column 'when' in spend.csv; columns: month, training, inference",
        ),
        (
            "type: bar\ndata: s.csv\n",
            {"s_csv": BIG},
            "s.csv: 5,001 rows by 1 columns make 5,001 values; a chart holds at most 5,000",
        ),
        ("type: bar\ndata: ../x.csv\n", {}, "'../x.csv' is outside this article's folder"),
        ("type: bar\ndata: /etc/x.csv\n", {}, "'/etc/x.csv' is outside this article's folder"),
        ("type: bar\ndata: a/../../x.csv\n", {}, "'a/../../x.csv' is outside this article's"),
        ("type: bar\ndata: s.xlsx\n", {}, "'s.xlsx': a chart's data file must be one of .csv"),
        ("type: bubble\ndata: s.csv\n", {"s_csv": b"k,v\n1,2\n"}, "a bubble chart cannot be"),
        ("type: bar\ndata: s.csv\n", {"s_csv": b""}, "s.csv is empty"),
        ("type: bar\ndata: s.csv\n", {"s_csv": b"\xef\xbb\xbf \n"}, "s.csv is empty"),
        ("type: bar\ndata: s.csv\n", {"s_csv": b"k,v\n"}, "s.csv has no rows of data"),
        (
            "type: bar\ndata: s.csv\n",
            {"s_csv": b"k,v,v\na,1,2\n"},
            "s.csv: the header names 'v' twice (columns 2 and 3)",
        ),
        (
            "type: bar\ndata: s.csv\n",
            {"s_csv": b"k,v,\na,1,2\n"},
            "s.csv: column 3 of the header has no name",
        ),
        (
            "type: bar\ndata: s.csv\n",
            {"s_csv": b"k,v\na,1\nb\n"},
            "s.csv row 3 has 1 cells; the header has 2",
        ),
        (
            "type: bar\ndata: s.csv\n",
            {"s_csv": b"k,v\na,1,2\n"},
            "s.csv row 2 has 3 cells; the header has 2",
        ),
        (
            "type: bar\ndata: s.csv\n",
            {"s_csv": b"k,v\n\xff,1\n"},
            "s.csv is not UTF-8 text (byte 0xff at offset 4); save it as UTF-8",
        ),
        ("type: bar\ndata: s.csv\n", {"s_csv": b'k,v\n"a"b,1\n'}, "s.csv row 2: "),
        ("type: bar\ndata: s.csv\n", {"s_csv": b"k\na\n"}, "s.csv has one column, 'k'"),
        (
            "type: bar\ndata: s.csv\ny: [v, v]\n",
            {"s_csv": b"k,v\na,1\n"},
            "the column 'v' is named twice",
        ),
        ("type: bar\ndata: s.csv\ny: 3\n", {"s_csv": b"k,v\na,1\n"}, "'y' must be a column"),
        ("type: bar\ndata: s.csv\n", {"s_csv": b"k,v\n,1\n"}, "s.csv row 2, column 'k': empty"),
        ("type: bar\ndata: s.csv\ntitle: [a]\n", {"s_csv": b"k,v\na,1\n"}, "'title' must be"),
        ("type: pie\ndata: s.csv\noptions: []\n", {"s_csv": b"k,v\na,1\n"}, "'options' must be"),
    ],
)
def test_each_fault_is_named(source, named, message):
    assert refused(source, **named).startswith(message)


def test_a_file_over_the_data_limit_is_named_with_the_limit():
    too_big = {"s.csv": FileData(MAX_DATA_BYTES + 1, None)}
    with pytest.raises(ChartError, match=r"s.csv is 1,048,577 bytes; .* at most 1,048,576"):
        parse_chart("type: bar\ndata: s.csv\n", too_big)


def test_a_data_file_in_an_article_that_is_one_file_is_named():
    with pytest.raises(
        ChartError, match=r"names the file 'spend\.csv', but this article is a single"
    ):
        parse_chart(LINE, None)


def test_x_and_y_with_inline_data_are_refused_and_inline_charts_are_as_before():
    inline = '{"type": "bar", "data": {"labels": ["a"], "datasets": [{"data": [1]}]}'
    with pytest.raises(ChartError, match="'x' and 'y' name columns of a data file"):
        parse_chart(inline + ', "x": "a", "y": "b"}', files())
    assert parse_chart(inline + "}", None) == (json.loads(inline + "}"), None)


def test_the_chart_links_its_file_and_heads_the_table_with_the_x_column():
    config, data_file = parse_chart(
        LINE.replace("spend.csv", "data/my spend.csv"), files(**{"data__my spend_csv": SPEND})
    )
    html = chart_html(config, 2, data_file)
    assert '<a href="data/my%20spend.csv" download>Download the data (CSV)</a>' in html
    assert '<th scope="col">month</th>' in html
    json_config, json_file = parse_chart(
        "type: bar\ndata: s.json\n", files(s_json=b'[{"m": "a", "v": 1}]')
    )
    assert "Download the data (JSON)" in chart_html(json_config, 1, json_file)


def test_a_cell_of_thousands_of_digits_is_named_not_a_crash():
    message = refused("type: bar\ndata: s.csv\n", s_csv=f"k,v\na,{'9' * 5000}\n".encode())
    assert message.startswith("s.csv row 2, column 'v': '999")
    assert message.endswith("is too long for a number")


def test_a_data_file_chart_without_a_type_is_told_the_types():
    message = refused("data: spend.csv\n", spend_csv=SPEND)
    assert message.startswith("'type' must be one of bar, ")


def test_a_wide_csv_is_refused_for_its_values_at_once():
    # The reviewer's file: 528 KB, under the size limit, whose 60,000 columns took the header
    # check and the column look-ups minutes of quadratic work, past the render budget.
    wide = ",".join(f"c{i}" for i in range(60_000)) + "\n" + "1," * 59_999 + "1\n"
    assert refused("type: line\ndata: data/wide.csv\n", data__wide_csv=wide.encode()) == (
        "data/wide.csv: 1 rows by 59,999 columns make 59,999 values; a chart holds at most 5,000"
    )


def test_a_wide_json_is_refused_for_its_values_at_once():
    records = [{f"k{i}": 1} for i in range(20_000)]  # each record a key of its own
    assert refused("type: line\ndata: wide.json\n", wide_json=json.dumps(records).encode()) == (
        "wide.json: 20,000 rows by 19,999 columns make 399,980,000 values; "
        "a chart holds at most 5,000"
    )


def test_the_values_are_counted_before_the_columns_are_looked_up():
    records = [{"m": "a", **{f"c{i}": 1 for i in range(6_000)}}]
    source = "type: bar\ndata: w.json\nx: month\n"
    assert refused(source, w_json=json.dumps(records).encode()).startswith(
        "w.json: 1 rows by 6,001 columns make 6,001 values"
    )


def test_a_missing_column_of_a_wide_file_lists_the_first_columns_only():
    records = [{"month": "a", **{f"c{i}": 1 for i in range(20_000)}}]
    message = refused("type: bar\ndata: w.json\ny: c7x\n", w_json=json.dumps(records).encode())
    assert message.startswith("no column 'c7x' in w.json; columns: month, c0, c1, c2, ")
    assert message.endswith("\u2026; did you mean 'c7'?")
    assert len(message) < 300


@pytest.mark.parametrize(
    ("name", "data", "row", "cell", "written"),
    [
        ("s.csv", 'month,v\nJan,1\nF"eb,2\n', 3, 'F"eb', '"F""eb"'),
        ("s.csv", 'month,v\nJan",1\n', 2, 'Jan"', '"Jan"""'),
        ("s.tsv", 'size\tv\n27" screen\t1\n', 2, '27" screen', '"27"" screen"'),
        # A quoted cell over two lines counts both, as the csv module does.
        ("s.csv", 'month,v\n"Jan\nuary",1\nF"eb,2\n', 4, 'F"eb', '"F""eb"'),
    ],
)
def test_a_quote_in_a_cell_that_is_not_quoted_is_named_with_the_cell_written_right(
    name, data, row, cell, written
):
    message = refused(f"type: bar\ndata: {name}\n", **{name.replace(".", "_"): data.encode()})
    assert message == (
        f"{name} row {row}: {cell!r} holds a quote but is not in quotes; "
        f"write the cell as {written}"
    )


def test_a_space_before_an_opening_quote_is_named():
    assert refused("type: bar\ndata: s.csv\n", s_csv=b'month,v\nJan, "1"\n') == (
        "s.csv row 2: ' \"1\"' has a space before its opening quote, which makes the quotes part "
        "of the cell; remove the space"
    )


def test_a_quote_doubled_in_a_quoted_cell_is_part_of_its_label():
    data = b'month,v\r\n"J""an",1\r\n"Feb",2'
    assert drawn("type: bar\ndata: s.csv\n", s_csv=data)["data"]["labels"] == ['J"an', "Feb"]
