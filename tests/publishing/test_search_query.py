import pytest

from publishing.search_query import MAX_QUERY_CHARS, MAX_TERMS, Term, parse


def terms(raw):
    return [str(term) for term in parse(raw).terms]


def fts(query):
    """Every term of ``query`` as FTS5 strings, side by side."""
    return " ".join(term.fts() for term in query.terms)


def test_words_phrases_and_prefixes():
    assert terms('open "source models" run* "fast path"* ') == [
        "open",
        '"source models"',
        "run*",
        '"fast path"*',
    ]
    assert fts(parse('open "source models" run*')) == '"open" "source models" "run"*'


def test_an_unclosed_quote_runs_to_the_end():
    assert terms('chart "open source') == ["chart", '"open source"']


def test_operators_and_columns_are_quoted_as_words():
    query = parse("NEAR(a b) AND( title:x -y OR z^")
    assert fts(query) == '"NEAR(a" "b)" "AND(" "title:x" "-y" "OR" "z^"'


def test_inner_quotes_are_doubled():
    assert Term('say "hi"').fts() == '"say ""hi"""'


@pytest.mark.parametrize("raw", ["", "   ", "*", "-", ":", '""', "🙂 🌪️", "\x00\x07", "( ) ^ -"])
def test_terms_without_letters_or_digits_are_dropped(raw):
    assert not parse(raw)


def test_a_prefix_needs_two_letters():
    assert terms("a* ab*") == ["a", "ab*"]


def test_the_star_of_a_phrase_or_split_word_needs_two_letters_in_its_last_word():
    assert terms('"open s"* open-s* "t"* "open so"* open-so* "open, s."*') == [
        '"open s"',
        "open-s",
        "t",
        '"open so"*',
        "open-so*",
        '"open, s."',
    ]


def test_control_and_format_characters_are_dropped():
    assert terms("ze\x00phyr\u200b \ud800gust\x1b") == ["zephyr", "gust"]


def test_repeats_are_dropped_and_terms_capped():
    assert terms("Model model MODEL model*") == ["Model", "model*"]
    assert len(parse(" ".join(f"w{n}" for n in range(50))).terms) == MAX_TERMS


def test_the_query_is_cut_to_its_limit():
    assert len(str(parse("x" * 5000))) == MAX_QUERY_CHARS
