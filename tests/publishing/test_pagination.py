"""Lists cut into pages, and the page number a URL asks for."""

import pytest

from publishing.pagination import page_count, page_number, paginate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 1), ("1", 1), ("12", 12), ("999999", 999999), ("0", None), ("01", None),
     ("-1", None), ("1.5", None), ("abc", None), ("", None), ("1000000", None), ("٣", None)],
)  # fmt: skip
def test_a_page_number_is_plain_digits_without_a_leading_zero(raw, expected):
    assert page_number(raw) == expected


def test_an_empty_list_has_one_page_and_a_partial_page_counts():
    assert page_count(0, 10) == 1
    assert page_count(10, 10) == 1
    assert page_count(11, 10) == 2


def test_pages_hold_their_share_and_know_their_neighbours():
    items = list(range(25))
    first, last = paginate(items, 1, 10), paginate(items, 3, 10)
    assert first is not None and last is not None
    assert first.items == list(range(10)) and first.count == 3
    assert (first.previous, first.next) == (None, 2)
    assert last.items == [20, 21, 22, 23, 24] and (last.previous, last.next) == (2, None)


def test_past_the_last_page_there_is_none_but_page_one_of_nothing_exists():
    assert paginate([1, 2], 2, 10) is None
    empty = paginate([], 1, 10)
    assert empty is not None and empty.items == [] and empty.next is None
