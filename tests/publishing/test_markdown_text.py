import pytest

from publishing.markdown_text import one_line, plain_text


def test_charts_and_diagrams_are_left_out_and_other_code_kept():
    body = (
        "Before.\n\n```chart\ntype: bar\n```\n\n~~~ mermaid\nflowchart\n~~~\n\n"
        "````python\nprint(1)\n```\nstill code\n````\n\nAfter."
    )
    assert plain_text(body) == "Before. print(1) still code After."


def test_markup_gives_way_to_the_text_a_reader_sees():
    body = (
        "# Title {#top}\n\n> Quoted *emphasis* and __strong__ and `code` and ~~gone~~.\n\n"
        "- [a link](https://x.example/ 'title') and ![an image](i.png)\n"
        '1. <span class="x">raw</span> &amp; <!-- hidden --> snake_case\n\n'
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n"
        "Note[^1].\n\n[^1]: The footnote.\n[ref]: https://x.example/\n*[HTML]: Hyper Text\n"
        "<script>var hidden = 1;</script><style>p{}</style>"
    )
    assert plain_text(body) == (
        "Title Quoted emphasis and strong and code and gone . a link and an image "
        "raw & snake_case a b 1 2 Note. The footnote."
    )


def test_no_control_character_survives():
    assert one_line("a\x00b\x02c\x03\td\ne\u200bf\u2028g") == "abc d ef g"
    assert plain_text("a\x02b &#2; c") == "ab c"


def test_links_and_images_keep_their_text_and_lose_their_targets() -> None:
    body = (
        'See [the docs](https://x.example/docs "Docs"), [a ref][r], [another] and [empty]().\n\n'
        '![A chart](chart.png "Title"), [t](<a b> "c"), `a[0]` and [[nested]].\n'
    )
    assert plain_text(body) == (
        "See the docs, a ref, another and empty. A chart, t, a0 and [nested]."
    )


def test_a_target_may_hold_parentheses_and_a_stray_bracket_starts_no_link() -> None:
    # As rendered: the link text is the innermost brackets' ("[stray " is text before it).
    body = "[Lisp](https://en.wikipedia.org/wiki/Lisp_(language)) and a [stray [link](u)."
    assert plain_text(body) == "Lisp and a [stray link."


def test_a_line_opening_a_bracket_is_not_taken_into_the_definition_after_it() -> None:
    assert plain_text("[a\n[ref]: https://x.example/\nb") == "[a b"


def test_raw_blocks_end_at_the_first_end_of_their_kind_and_one_never_ended_stays() -> None:
    body = (
        "<!-- old <!-- note --> shown --> <SCRIPT type=x>a</script > b <style>p{}</STYLE> "
        "c <!-- never closed <script>x</script> after"
    )
    assert plain_text(body) == "shown --> b c <!-- never closed after"


def test_a_decimal_reference_of_any_length_is_a_replacement_character() -> None:
    # Past 4,300 digits html.unescape raised ValueError, so the whole index failed to build.
    assert plain_text("x&#00065;&#" + "1" * 100_000 + ";y") == "xA\ufffdy"


# Each took seconds to minutes (quadratic: every start rescanned the rest), in the worker that
# builds the search index; the test finishing at once is the proof. 100,000 characters each.
SIZE = 100_000


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[" * SIZE, "[" * SIZE),
        ("![" * (SIZE // 2), "[" * (SIZE // 2)),  # "![" reads as "[", as before
        ("[^" * (SIZE // 2), "[^" * (SIZE // 2)),
        ("[a](" * (SIZE // 4), "a(" * (SIZE // 4)),
        ("[x\n" * (SIZE // 3), " ".join(["[x"] * (SIZE // 3))),
        ("*[x\n" * (SIZE // 4), " ".join(["[x"] * (SIZE // 4))),
        ("<a" * (SIZE // 2), "<a" * (SIZE // 2)),
        ("<!--" * (SIZE // 4), "<!--" * (SIZE // 4)),
        ("<script " * (SIZE // 8), " ".join(["<script"] * (SIZE // 8))),
        ("<style>" * (SIZE // 7), ""),  # tags, each dropped
        ("{#" * (SIZE // 2), "{#" * (SIZE // 2)),
        ("-" * SIZE + "x", "-" * SIZE + "x"),
        ("x" + "_" * SIZE + "x", "x" + "_" * SIZE + "x"),
        ("(" * SIZE, "(" * SIZE),
        ("`" * SIZE, ""),
        ("*" * SIZE, ""),
        ("_" * SIZE, ""),
        ("#" * SIZE, "#" * SIZE),
        ("|" * SIZE, ""),
        ("\n" * SIZE, ""),
    ],
    ids=lambda value: repr(value[:8]),
)
def test_adversarial_markdown_is_read_in_linear_time(body: str, expected: str) -> None:
    # No clock here (speed belongs to bench/, never to a timed test): at 100,000 characters a
    # pattern that backtracks quadratically takes minutes, a hang CI shows; this checks the
    # text that comes out of each such input.
    assert plain_text(body) == expected
