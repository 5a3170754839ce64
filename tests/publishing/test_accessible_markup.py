from bs4 import BeautifulSoup

from publishing.markup import convert


def soup_of(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(convert(markdown)[0], "html.parser")


def test_a_table_scrolls_in_its_own_box_and_keeps_focus():
    page = soup_of("| a | b |\n|---|---|\n| x | 1 |\n")
    box = page.select_one("div.table-scroll")
    assert box.select_one("table")["tabindex"] == "0"
    assert [table.parent for table in page.select("table")] == [box]


def test_number_columns_are_right_aligned_unless_the_author_aligned_them():
    source = (
        "| phase | median | share | when | note |\n|---|---|:-:|---|---|\n"
        "| DNS | 12 ms | 5% | 2024 | fast |\n| TLS | 1,038 | -4.5% | | 3 hops |\n"
    )
    page = soup_of(source)
    aligned = [[cell.get("class") for cell in row.select("th, td")] for row in page.select("tr")]
    right, center = ["align-right"], ["align-center"]
    for row in aligned:
        assert row == [None, right, center, right, None]
