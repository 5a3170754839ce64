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
        ({"title": "A", "date": 20260105}, "'date' must be a date, not int"),
        ({"title": ["A"], "date": "2026-01-05"}, "'title' must be text, not list"),
        ({"title": "  ", "date": "2026-01-05"}, "'title' is empty"),
        ({"title": "A", "date": "2026-01-05", "draft": "yes"}, "'draft' must be true or false"),
        ({"title": "A", "date": "2026-01-05", "tags": {"a": 1}}, "'tags' must be a list"),
        ({"title": "A", "date": "2026-01-05", "tags": ["ok", "!!"]}, "tag '!!' has no letters"),
        ({"title": "A", "date": "2026-01-05", "slug": "Not A Slug"}, "'slug' 'Not A Slug' must"),
        ({"title": "A", "date": "2026-01-05", "slug": "a" * 121}, "at most 120 characters"),
        ({"title": "A", "date": ["2026-01-05"]}, "'date' must be a date, not list"),
        ({"title": "A", "date": 2026.5}, "'date' must be a date, not float"),
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
