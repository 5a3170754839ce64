from datetime import UTC, datetime, timedelta, timezone

from publishing.archive import archive
from tests.support.articles import article


def test_articles_grouped_by_year_and_month_newest_first_with_counts():
    dates = {
        "jan-a": datetime(2025, 1, 3, tzinfo=UTC),
        "jan-b": datetime(2025, 1, 20, tzinfo=UTC),
        "mar": datetime(2025, 3, 1, tzinfo=UTC),
        "old": datetime(2023, 12, 31, tzinfo=UTC),
    }
    years = archive([article(slug, date=date) for slug, date in dates.items()])
    assert [(y.year, y.count) for y in years] == [(2025, 3), (2023, 1)]
    assert [(m.month, m.count) for m in years[0].months] == [(3, 1), (1, 2)]
    assert [e.slug for e in years[0].months[1].entries] == ["jan-b", "jan-a"]
    entry = years[1].months[0].entries[0]
    assert (entry.slug, entry.title, entry.date) == ("old", "Old", dates["old"])


def test_an_article_is_filed_under_its_date_as_written():
    plus_two = timezone(timedelta(hours=2))
    feb = article("feb", date=datetime(2025, 2, 1, 0, 30, tzinfo=plus_two))  # Jan 31 in UTC
    jan = article("jan", date=datetime(2025, 1, 31, 23, 0, tzinfo=UTC))  # later than feb
    early = article("early-jan", date=datetime(2025, 1, 2, tzinfo=UTC))
    (year,) = archive([jan, feb, early])
    assert [(m.month, [e.slug for e in m.entries]) for m in year.months] == [
        (2, ["feb"]),
        (1, ["jan", "early-jan"]),
    ]


def test_nothing_to_file():
    assert archive([]) == ()
