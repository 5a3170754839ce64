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
