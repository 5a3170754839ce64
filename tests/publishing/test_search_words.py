"""Prefixes read as a visitor means them, although the index holds stems."""

from publishing.search_index import tokenizer
from publishing.search_pairs import WordPairs
from publishing.search_query import Term
from publishing.search_words import MAX_ADDED_WORDS, Vocabulary, fold, words_of


def vocabulary(text: str, language: str = "en") -> Vocabulary:
    known = Vocabulary(WordPairs(tokenizer(language)))
    known.learn(words_of([(text,)]))
    return known


def test_words_are_found_folded_with_a_spelling_as_written():
    found = words_of([("Déjà-vu at the Café", "cafe_bar")])
    assert sorted(found) == ["at", "bar", "cafe", "deja", "the", "vu"]
    assert found["deja"] == "Déjà" and found["cafe"] in ("Café", "cafe")
    assert fold("ÉTÉ") == "ete" and fold("Straße") == "strasse"


def test_a_prefix_that_porter_would_stem_away_also_asks_for_the_words_it_begins():
    known = vocabulary("Deployment went well; winning teams, a winner, and the community.")
    # FTS5 reads deploy* as deploi*, and "deployment" is indexed as deploy: asked for by name.
    assert known.prefix(Term("deploy", prefix=True)) == '("deploy"* OR "Deployment")'
    # "winning" is indexed as win, shorter than winn; "winner" as winner, which winn* finds.
    assert known.prefix(Term("winn", prefix=True)) == '("winn"* OR "winning")'
    assert known.prefix(Term("large communit", prefix=True)) == (
        '("large communit"* OR "large community")'
    )
    assert known.prefix(Term("open-communit", prefix=True)) == (
        '("open-communit"* OR "open-community")'
    )


def test_a_prefix_fts5_reads_well_is_left_as_it_is():
    known = vocabulary("Winner takes all; zephyrs and zephyr.")
    assert known.prefix(Term("zeph", prefix=True)) == '"zeph"*'
    assert known.prefix(Term("nothing", prefix=True)) == '"nothing"*'


def test_without_a_stemmer_every_word_begins_with_its_prefix_and_nothing_is_added():
    known = vocabulary("Déploiement des modèles gagnants", language="fr")
    assert known.prefix(Term("deploi", prefix=True)) == '"deploi"*'


def test_words_of_one_term_are_asked_for_once_and_at_most_so_many_are_added():
    many = " ".join(f"tidy{'y' * n}ing" for n in range(MAX_ADDED_WORDS + 20))
    expression = vocabulary(many).prefix(Term("tidy", prefix=True))
    assert expression.count(" OR ") == MAX_ADDED_WORDS


def test_a_word_sqlite_splits_costs_the_others_nothing():
    # "winnᦰ0" is "winn 0" to SQLite's older Unicode tables: the words asked with it still count.
    known = vocabulary("winning winnᦰ0 winnable")
    assert known.prefix(Term("winn", prefix=True)) == '("winn"* OR "winning")'
