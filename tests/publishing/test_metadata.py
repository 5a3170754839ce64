from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from publishing.metadata import MetadataError, coerce, slugify, tag_slug

TZ = ZoneInfo("Europe/Paris")


def test_required_fields_are_named_when_missing():
    with pytest.raises(MetadataError, match="no 'title' and no 'date'"):
        coerce({}, TZ)
    with pytest.raises(MetadataError, match="no 'date'"):
        coerce({"title": "A"}, TZ)


def test_dates_become_aware_datetimes_in_the_site_zone_unless_they_carry_an_offset():
    fields = coerce({"title": "A", "date": date(2026, 1, 5), "updated": "2026-01-06T10:30"}, TZ)
    assert fields["date"] == datetime(2026, 1, 5, tzinfo=TZ)
    assert fields["updated"] == datetime(2026, 1, 6, 10, 30, tzinfo=TZ)
    offset = timezone(timedelta(hours=2))
    aware = coerce({"title": "A", "date": datetime(2026, 1, 5, 9, tzinfo=offset)}, TZ)["date"]
    assert aware.utcoffset() == timedelta(hours=2)
    assert coerce({"title": "A", "date": "2026-01-05T09:00:00Z"}, TZ)["date"].tzinfo == UTC


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"title": "A", "date": "yesterday"}, "'date' is not a date: 'yesterday'"),
        ({"title": "A", "date": 20260105}, "'date' must be a date, not int 20260105"),
        ({"title": ["A"], "date": "2026-01-05"}, r"'title' must be text, not list \['A'\]"),
        ({"title": "  ", "date": "2026-01-05"}, "'title' is empty"),
        ({"title": "A", "date": "2026-01-05", "draft": "yes"}, "'draft' must be true or false"),
        ({"title": "A", "date": "2026-01-05", "tags": {"a": 1}}, "'tags' must be a list.*'a'"),
        ({"title": "A", "date": "2026-01-05", "tags": ["ok", "!!"]}, "tag '!!' has no letters"),
        ({"title": "A", "date": "2026-01-05", "slug": "Not A Slug"}, "'slug' 'Not A Slug' must"),
        ({"title": "A", "date": "2026-01-05", "slug": "a" * 121}, "at most 120 characters"),
        ({"title": "A", "date": ["2026-01-05"]}, "'date' must be a date, not list"),
        ({"title": "A", "date": 2026.5}, "'date' must be a date, not float 2026.5"),
        ({"title": {"en": "A"}, "date": "2026-01-05"}, "'title' must be text, not dict"),
        ({"title": "A", "date": "2026-01-05", "author": [["B"]]}, "'author' must be text"),
        ({"title": "A", "date": "2026-01-05", "tags": ["a", {"b": 1}]}, "'tags' must be text"),
        ({"title": "A", "date": "2026-01-05", "summary": {"a": 1}}, "'summary' must be text"),
        ({"title": "A", "date": "2026-01-05", "toc": [True]}, r"'toc' must be true or false"),
    ],
)
def test_each_bad_value_is_named(raw, message):
    with pytest.raises(MetadataError, match=message):
        coerce(raw, TZ)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"tags": [False, True]}, "unquoted no, off or false in it as false"),
        ({"tags": [True]}, "unquoted yes, on or true in it as true"),
        ({"title": True}, "'title' must be text, but YAML read"),
        ({"series": False}, "'series' must be text, but YAML read"),
    ],
)
def test_a_yaml_boolean_where_text_belongs_says_which_words_and_to_quote_them(raw, message):
    """YAML 1.1 reads tags: [NO, On] as false and true; the words are lost, so the message
    names the words it reads so and asks for quotes."""
    with pytest.raises(MetadataError, match=message) as caught:
        coerce({"title": "A", "date": "2026-01-05", **raw}, TZ)
    assert "put the word in quotes" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-01T00:00:00+23:59:59.999999",
        "2026-01-01T00:00:00+01:00:30",
        "2026-01-01T00:00:00+14:01",
        "2026-01-01T00:00:00-12:01",
        "2026-01-01T00:00:00+23:59",
    ],
)
def test_an_offset_feeds_cannot_write_is_refused_by_name(text):
    with pytest.raises(MetadataError) as caught:
        coerce({"title": "A", "date": "2026-01-05", "updated": text}, TZ)
    assert str(caught.value) == (
        f"'updated': {datetime.fromisoformat(text).isoformat()} has a UTC offset feeds cannot "
        "write; offsets are whole minutes from -12:00 to +14:00"
    )


def test_a_zone_offset_of_local_mean_time_is_refused_with_the_zone_named():
    with pytest.raises(MetadataError) as caught:
        coerce({"title": "A", "date": "1890-06-01"}, TZ)
    assert str(caught.value) == (
        "'date': 1890-06-01T00:00:00+00:09:21 has a UTC offset feeds cannot write, the one "
        "Europe/Paris had then (write the date with an offset); offsets are whole minutes "
        "from -12:00 to +14:00"
    )
    dated = coerce({"title": "A", "date": "1890-06-01T00:00:00+00:09"}, TZ)["date"]
    assert dated.utcoffset() == timedelta(minutes=9)


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01",
        "0999-12-31T23:59:59+00:00",
        "1000-01-01T00:00:00+01:00",  # 999 in UTC
        "9999-12-31T23:59:59-01:00",  # 10000 in UTC
    ],
)
def test_a_year_feeds_cannot_write_is_refused_by_name(text):
    with pytest.raises(MetadataError) as caught:
        coerce({"title": "A", "date": text}, ZoneInfo("UTC"))
    written = datetime.fromisoformat(text).replace(tzinfo=None).isoformat()
    assert str(caught.value).startswith(f"'date': {written}")
    assert str(caught.value).endswith(
        "out of range: feeds write the years 1000 to 9999, in UTC too"
    )


@pytest.mark.parametrize(
    ("kept", "beyond"),
    [
        ("1000-01-01T00:00:00-12:00", "1000-01-01T00:00:00-12:01"),
        ("9999-12-31T23:59:59.999999+14:00", "9999-12-31T23:59:59.999999+14:01"),
        ("1000-01-01T00:00:00+00:00", "0999-12-31T23:59:59.999999+00:00"),
        ("2026-01-01T00:00:00+05:45", "2026-01-01T00:00:00+05:45:01"),
    ],
)
def test_the_extreme_dates_and_offsets_feeds_can_write_are_kept_and_no_further(kept, beyond):
    assert coerce({"title": "A", "date": kept}, TZ)["date"] == datetime.fromisoformat(kept)
    with pytest.raises(MetadataError, match="'date': "):
        coerce({"title": "A", "date": beyond}, TZ)


def test_messages_about_huge_values_stay_short():
    with pytest.raises(MetadataError) as caught:
        coerce({"title": "A", "date": "2026-01-05", "draft": ["x" * 100_000] * 1000}, TZ)
    assert len(str(caught.value)) < 200


def test_a_numeric_title_is_text():
    assert coerce({"title": 3.5, "date": "2026-01-05"}, TZ)["title"] == "3.5"


def test_tags_accept_a_list_or_comma_separated_text_and_drop_repeats():
    assert coerce({"title": "A", "date": "2026-01-05", "tags": "AI, Open Source ,ai"}, TZ)[
        "tags"
    ] == ("AI", "Open Source")
    assert coerce({"title": 2026, "date": "2026-01-05", "tags": [2026]}, TZ)["tags"] == ("2026",)


def test_unknown_fields_are_left_out():
    assert "colour" not in coerce({"title": "A", "date": "2026-01-05", "colour": "red"}, TZ)


def test_slugify_keeps_ascii_words_only():
    assert slugify("Why Open-Source AI Models Are Winning in 2026!") == (
        "why-open-source-ai-models-are-winning-in-2026"
    )
    assert slugify("Café crème") == "cafe-creme"
    assert slugify("日本語") == ""


def test_tag_slugs_keep_any_script_and_tell_c_sharp_from_c_plus_plus():
    assert tag_slug("Новости") == "новости"
    assert tag_slug("日本語 ニュース") == "日本語-ニュース"
    assert [tag_slug(t) for t in ("C", "C++", "C#")] == ["c", "c-plus-plus", "c-sharp"]
    assert tag_slug("AI/ML") == "ai-ml"
    assert coerce({"title": "A", "date": "2026-01-05", "tags": ["Новости", "C#"]}, TZ)["tags"] == (
        "Новости",
        "C#",
    )


def test_a_cover_and_its_alt_text_are_text() -> None:
    raw = {"title": "T", "date": "2026-01-01", "image": " cover.jpg ", "image_alt": "A field"}
    fields = coerce(raw, ZoneInfo("UTC"))
    assert (fields["image"], fields["image_alt"]) == ("cover.jpg", "A field")
    with pytest.raises(MetadataError, match="'image' must be text, not list"):
        coerce({"title": "T", "date": "2026-01-01", "image": ["a.png"]}, ZoneInfo("UTC"))
    with pytest.raises(MetadataError, match="'image_alt' is empty"):
        coerce({"title": "T", "date": "2026-01-01", "image_alt": " "}, ZoneInfo("UTC"))
