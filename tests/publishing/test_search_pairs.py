import sqlite3

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from publishing.search_index import SearchIndex, tokenizer
from publishing.search_pairs import PAIRS_TOKENIZER, WordPairs, pair_tokens, pairs_match
from publishing.search_query import parse
from tests.support.articles import DAY_ONE, article

NOW = DAY_ONE

# Words as authors write them: cases, accents (composed and combining), stems, apostrophes,
# hyphens, punctuation stuck to words, digits, a ligature, an underscore, CJK, emoji.
WORDS = [
    "Open", "open", "source", "Source,", "models", "model.", "MODELLING", "Café", "cafe",
    "cafe\u0301", "naïve", "don't", "open-source", "(open", "source)", "3.14", "x_y", "ﬁne",
    "über", "日本語", "🙂", "—", "running", "runs", "the", "a",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\t", " \u00a0 "])


def oracle(language, rows):
    """FTS5 itself over ``rows``: what a phrase finds by the positions of its words."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize='{tokenizer(language)}')")
    db.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", enumerate(rows))
    return db


def through_pairs(pairs, rows):
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE VIRTUAL TABLE t USING fts5(text, tokenize="{PAIRS_TOKENIZER}")')
    db.executemany(
        "INSERT INTO t(rowid, text) VALUES (?, ?)",
        [
            (n, " ".join(pairs_of))
            for n, (pairs_of,) in enumerate(map(pair_tokens, pairs.tokens((row,) for row in rows)))
        ],
    )
    return db


def found(db, match):
    return {rowid for (rowid,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,))}


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(TEXTS, min_size=1, max_size=6),
    phrase=st.lists(st.sampled_from(WORDS), min_size=2, max_size=4),
    separator=SEPARATORS,
    language=st.sampled_from(["en", "fr"]),
)
def test_a_phrase_found_through_its_pairs_is_the_phrase_fts5_finds(
    rows, phrase, separator, language
):
    pairs = WordPairs(tokenizer(language))
    query = parse('"' + separator.join(phrase) + '"')
    phrases = pairs.phrases(query)
    assume(phrases is not None)  # fewer than two terms: the word index's work
    assert found(through_pairs(pairs, rows), pairs_match(phrases)) == found(
        oracle(language, rows), " ".join(term.fts() for term in query.terms)
    )


@pytest.mark.parametrize("word", ["model", "Café", "x86", "漢字", "0ᦰ0"])
def test_a_word_of_letters_and_digits_is_searched_in_the_word_index(word):
    # "0ᦰ0" holds a letter SQLite's Unicode tables do not know, so FTS5 makes "0 0" of it:
    # the word index finds it by positions all the same.
    assert WordPairs(tokenizer("en")).phrases(parse(word)) is None
    index = SearchIndex()
    index.update([article("it", "Note", f"About {word} here."), article("not", "Note", "Other.")])
    while index.pair_up():
        pass
    assert [hit.slug for hit in index.search(word, now=NOW).hits] == ["it"]


def test_pairs_are_made_of_the_tokenizers_terms():
    pairs = WordPairs(tokenizer("en"))
    [columns] = pairs.tokens([("Open-Source MODELS", "Café, running\tnaïve!")])
    assert columns == (["open", "sourc", "model"], ["cafe", "run", "naiv"])
    assert pair_tokens(columns) == (["open_sourc", "sourc_model"], ["cafe_run", "run_naiv"])


def test_only_runs_of_two_words_or_more_are_matched_by_pairs():
    pairs = WordPairs(tokenizer("en"))
    both = pairs.phrases(parse('"open source" "running models"'))
    assert both == [["open_sourc"], ["run_model"]]
    assert pairs_match(both) == '"open_sourc" "run_model"'
    assert pairs.phrases(parse("open-source")) == [["open_sourc"]]  # one word, two terms
    three = pairs.phrases(parse('"open source models"'))
    assert three == [["open_sourc", "sourc_model"]]
    assert pairs_match(three) == '"open_sourc sourc_model"'
    for word_index_work in ('"open source" models', '"open sou"*', '"open"', "🙂 🙂", ""):
        assert pairs.phrases(parse(word_index_work)) is None


def test_a_site_in_another_language_pairs_unstemmed_terms():
    pairs = WordPairs(tokenizer("fr"))
    [columns] = pairs.tokens([("Les modèles ouverts",)])
    assert pair_tokens(columns) == (["les_modeles", "modeles_ouverts"],)
