import time

import pytest

from publishing.text import reading_minutes, text_facts


def test_words_leave_out_charts_permalinks_and_scripts():
    html = (
        '<h2 id="a">Two words<a class="headerlink" href="#a">#</a></h2>'
        "<p>First paragraph, with <em>three</em> more.</p>"
        '<figure class="chart"><canvas></canvas><script type="application/json">{"a": 1}</script>'
        "<figcaption>Not counted</figcaption><table><tr><td>99</td></tr></table></figure>"
        '<pre class="mermaid">graph TD\n  A --> B</pre>'
    )
    words, first = text_facts(html)
    assert words == 2 + 5 + 4  # heading, paragraph, diagram source (arrows are no words)
    assert first == "First paragraph, with three more."


def test_the_first_paragraph_is_a_top_level_one():
    _, first = text_facts(
        "<blockquote><p>Quoted</p></blockquote><ul><li><p>Item</p></li></ul>"
        "<p>Real <br> one</p><p>Second</p>"
    )
    assert first == "Real one"


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (220, 1), (221, 2), (399, 2), (5000, 23)])
def test_reading_time_rounds_up_and_is_at_least_a_minute(words, minutes):
    assert reading_minutes(words, 220) == minutes


def test_spaces_between_inline_elements_are_kept_in_the_first_paragraph():
    assert text_facts("<p><em>one</em> <em>two</em>\n<code>three</code></p>")[1] == (
        "one two three"
    )


def test_comments_are_no_words_and_what_follows_them_is():
    assert text_facts("<p>one <!-- not a word --> two</p>") == (2, "one two")


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 2000 + "two words" + "</div>" * 2000,  # kept whole by the parser
        "<div>" * 50_000 + "two words" + "</div>" * 50_000,  # past its limit: tags stripped
        "<blockquote>" * 50_000 + "two words",
    ],
)
def test_deep_nesting_is_counted_whole_and_quickly(html):
    start = time.perf_counter()
    assert text_facts(html)[0] == 2
    assert time.perf_counter() - start < 5  # a generous guard: it takes milliseconds


def test_malformed_tags_cost_linear_time():
    # CPython's HTMLParser took 36 s over this; lxml reads it as text.
    start = time.perf_counter()
    text_facts("<p>" + "<a " * 20_000 + "</p>")
    assert time.perf_counter() - start < 5


def test_the_first_paragraph_is_the_first_that_has_text():
    html = '<p><img alt="A chart" src="a.png"></p>\n<p> </p>\n<p>The <em>real</em> start.</p>'
    assert text_facts(html) == (3, "The real start.")
