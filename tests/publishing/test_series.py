from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publishing.metadata import MetadataError, coerce
from publishing.reader import read_article
from publishing.series import all_series, place
from tests.support.articles import DAY_ONE, article

TZ = ZoneInfo("UTC")


def day(n):
    return DAY_ONE + timedelta(days=n)


def test_front_matter_names_a_series_and_an_order():
    data = (
        b"---\ntitle: A\ndate: 2026-01-05\nseries: Caching, from scratch\nseries_order: 2\n---\nx"
    )
    read = read_article(Path("a.md"), data, author="Me", tz=TZ)
    assert (read.series, read.series_order) == ("Caching, from scratch", 2)
    assert coerce({"title": "A", "date": "2026-01-05"}, TZ).get("series") is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"series": ["A"]}, "'series' must be text, not list"),
        ({"series": "  "}, "'series' is empty"),
        ({"series": "!!"}, "'series' '!!' has no letters or digits"),
        ({"series_order": "2"}, "'series_order' must be a whole number, not '2'"),
        ({"series_order": 2.5}, "'series_order' must be a whole number, not 2.5"),
        ({"series_order": True}, "'series_order' must be a whole number, not True"),
        ({"series_order": [1]}, r"'series_order' must be a whole number, not \[1\]"),
    ],
)
def test_wrong_kinds_are_refused_by_name(raw, message):
    with pytest.raises(MetadataError, match=message):
        coerce({"title": "A", "date": "2026-01-05", **raw}, TZ)


def test_parts_follow_series_order_then_date():
    parts = [
        article("late", series="Caching", date=day(9)),
        article("second", series="Caching", series_order=2, date=day(1)),
        article("first", series="Caching", series_order=1, date=day(5)),
        article("early", series="Caching", date=day(3)),
        article("alone"),
    ]
    found = all_series(parts)
    assert list(found) == ["caching"]
    assert [part.slug for part in found["caching"].parts] == ["first", "second", "early", "late"]
    where = place(parts[1], found)
    assert where is not None
    assert (where.number, where.label, where.series.name) == (2, "Part 2 of 4", "Caching")
    assert place(parts[4], found) is None


def test_spellings_of_one_name_are_one_series_named_as_its_first_part():
    parts = [
        article("b", series="caching 101", date=day(2)),
        article("a", series="Caching 101", date=day(1)),
    ]
    (series,) = all_series(parts).values()
    assert (series.slug, series.name, len(series.parts)) == ("caching-101", "Caching 101", 2)


def test_series_are_sorted_by_name_and_only_visible_parts_count():
    visible = [
        article("z", series="Zebra"),
        article("a1", series="Alpaca", date=day(1)),
        article("a2", series="alpaca", date=day(2)),
    ]
    hidden = article("a3", series="Alpaca", date=day(3), draft=True)
    found = all_series(visible)  # what a View holds: no draft unless previews are on
    assert [s.name for s in found.values()] == ["Alpaca", "Zebra"]
    assert place(hidden, found) is None
    assert place(visible[2], found).label == "Part 2 of 2"
