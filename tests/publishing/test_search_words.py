"""Prefixes read as a visitor means them, although the index holds stems."""

from publishing.search_index import tokenizer
from publishing.search_pairs import WordPairs
from publishing.search_query import Term, any_of
from publishing.search_words import (
    MAX_ADDED_WORDS,
    MAX_PREFIX_TERMS,
    Vocabulary,
    fold,
    words_of,
)

TEXT = "Deployment went well; winning teams, a winner, cost, costs, cosine and the community."


def vocabulary(text: str, language: str = "en") -> Vocabulary:
    known = Vocabulary(WordPairs(tokenizer(language)))
    known.learn(words_of([(text,)]))
    return known


def prefix_of(known: Vocabulary, text: str, *, complete: bool = False) -> str | None:
    """The FTS5 expression of the prefix ``text``, as ``SearchIndex`` writes it."""
    terms = known.prefix(Term(text, prefix=True), complete=complete)
    return None if terms is None else any_of(terms)


def prefix(text: str, *, complete: bool = True, language: str = "en") -> str | None:
    return prefix_of(vocabulary(TEXT, language), text, complete=complete)


def test_words_are_found_folded_with_a_spelling_as_written():
    found = words_of([("Déjà-vu at the Café", "cafe_bar")])
    assert sorted(found) == ["at", "bar", "cafe", "deja", "the", "vu"]
    assert found["deja"] == "Déjà" and found["cafe"] in ("Café", "cafe")
    assert fold("ÉTÉ") == "ete" and fold("Straße") == "strasse"


def test_a_prefix_porter_changes_is_the_words_that_begin_with_it_one_per_term():
    assert prefix("deploy") == '("Deployment")'  # FTS5 alone reads deploy* as deploi*
    assert prefix("cos") == '("cost" OR "cosine")'  # FTS5 alone: co*, "community" too


def test_a_prefix_porter_keeps_is_fts5s_with_the_words_whose_stem_is_shorter():
    assert prefix("winn") == '("winn"* OR "winning")'  # "winning" is indexed as win
    assert prefix("wi") == '("wi"*)'  # two letters: Porter leaves them
    assert prefix("large communit") == '("large communit"* OR "large community")'
    assert prefix("open-communit") == '("open-communit"* OR "open-community")'


def test_a_prefix_that_begins_no_word_finds_nothing():
    assert prefix("zeph") is None


def test_until_every_word_is_learnt_fts5s_prefix_is_asked_with_the_words_it_misses():
    assert prefix("deploy", complete=False) == '("deploy"* OR "Deployment")'
    assert prefix("winn", complete=False) == '("winn"* OR "winning")'
    assert prefix("zeph", complete=False) == '("zeph"*)'


def test_without_a_stemmer_a_prefix_is_fts5s_as_it_is():
    known = vocabulary("Déploiement des modèles gagnants", language="fr")
    for complete in (True, False):
        assert prefix_of(known, "deploi", complete=complete) == '("deploi"*)'


def test_a_prefix_of_many_terms_is_fts5s_with_at_most_so_many_words_added():
    many = " ".join(f"tidy{'y' * n}ing" for n in range(MAX_PREFIX_TERMS + 20))
    expression = prefix_of(vocabulary(many), "tidy", complete=True)
    assert expression.startswith('("tidy"* OR ')  # too many to name: FTS5's tidi* and more
    assert expression.count(" OR ") == MAX_ADDED_WORDS


def test_a_word_sqlite_splits_costs_the_others_nothing():
    # "winnᦰ0" is "winn 0" to SQLite's older Unicode tables: the words asked with it still count.
    known = vocabulary("winning winnᦰ0 winnable")
    assert prefix_of(known, "winn") == '("winn"* OR "winning")'
