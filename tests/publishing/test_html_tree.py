"""The one HTML parser of the content side: whole trees or ``TooDeep``, walks without recursion."""

import pytest

from publishing import html_tree


def test_a_fragment_keeps_its_text_drops_comments_and_what_lxml_refuses():
    root = html_tree.fragment("<p>a\x01b<!-- note -->c<?pi x?>d</p>tail")
    assert root.tag == "div"
    assert html_tree.inner_html(root) == "<p>abcd</p>tail"


def test_loose_markup_is_closed_as_a_browser_would():
    root = html_tree.fragment("<ul><li>a<li>b</ul><p>x<br>y")
    assert html_tree.inner_html(root) == "<ul><li>a</li><li>b</li></ul><p>x<br>y</p>"


def test_nesting_the_parser_reads_whole_is_kept_and_deeper_is_refused():
    root = html_tree.fragment("<div>" * 2000 + "deep" + "</div>" * 2000 + "<p>after</p>")
    assert root.xpath("count(//div)") == 2001 and root[-1].text == "after"
    with pytest.raises(html_tree.TooDeep):
        html_tree.fragment("<div>" * 50_000 + "deep" + "</div>" * 50_000 + "<p>after</p>")


def test_a_walk_goes_in_and_out_of_each_element_and_can_skip_one():
    root = html_tree.fragment('<p class="a b">x<em>y</em></p><aside><b>skipped</b></aside><hr>')
    seen = []
    walk = html_tree.walk(root)
    for event, element in walk:
        seen.append((event, element.tag))
        if event == "start" and element.tag == "aside":
            walk.skip_subtree()
    assert seen == [
        ("start", "div"), ("start", "p"), ("start", "em"), ("end", "em"), ("end", "p"),
        ("start", "aside"), ("end", "aside"), ("start", "hr"), ("end", "hr"), ("end", "div"),
    ]  # fmt: skip
    assert html_tree.classes(root[0]) == {"a", "b"} and html_tree.classes(root) == set()


@pytest.mark.parametrize(
    ("srcset", "candidates"),
    [
        ("a.png", [("a.png", "")]),
        ("a.png 1x,b.png 2x", [("a.png", "1x"), ("b.png", "2x")]),
        (" a.png,  b.png 2x ", [("a.png", ""), ("b.png", "2x")]),
        ("img.png?size=1,2 2x", [("img.png?size=1,2", "2x")]),  # a URL may hold commas
        ("a.png,,, ,b.png 100w", [("a.png", ""), ("b.png", "100w")]),
        ("", []),
        (" , ", []),
    ],
)
def test_srcset_candidates_are_read_as_html_reads_them(srcset, candidates):
    assert list(html_tree.srcset_candidates(srcset)) == candidates
