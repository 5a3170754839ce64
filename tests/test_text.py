import pytest

from insights.text import reading_minutes, text_facts


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
