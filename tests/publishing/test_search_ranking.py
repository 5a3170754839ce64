"""``Ranking`` against FTS5's own ``bm25()`` over the same articles: the same matches, in the same
order, ties included, for every kind of expression it serves, after additions and removals."""

import sqlite3
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publishing import search_ranking
from publishing.search_index import WEIGHTS, tokenizer
from publishing.search_pairs import WordPairs
from publishing.search_query import Term, any_of
from publishing.search_ranking import Ranking
from publishing.search_words import terms_of

# Stems shared by several words, accents, a word in most articles and words in few.
WORDS = [
    "open", "opening", "opened", "source", "sources", "model", "models", "modelling", "run",
    "running", "café", "cafe", "the", "deploy", "deployment", "cost", "cosine", "zephyr",
]  # fmt: skip
NOW = 1_000.0


def text(size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), max_size=size).map(" ".join)


ARTICLES = st.lists(
    st.tuples(
        text(4),  # title
        text(3),  # tags
        text(40),  # body
        st.sampled_from([NOW - 2, NOW - 1, NOW - 1, NOW + 1]),  # dates tie, one is scheduled
        st.sampled_from([False, False, False, True]),  # a draft now and then
    ),
    min_size=1,
    max_size=25,
)
PHRASES = st.tuples(st.sampled_from(WORDS), st.booleans(), st.integers(2, 5)).map(
    lambda w: Term(w[0][: w[2]], prefix=True) if w[1] else Term(w[0])
)
GROUPS = st.lists(st.lists(PHRASES, min_size=1, max_size=3), min_size=1, max_size=3)


def oracle(rows, gone):
    """FTS5 over ``rows`` once those in ``gone`` are deleted and added again under new ids, as
    ``SearchIndex`` does with an edited article."""
    db = sqlite3.connect(":memory:")
    db.execute(
        f"CREATE VIRTUAL TABLE t USING fts5(title, tags, text, tokenize='{tokenizer('en')}')"
    )
    db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, date REAL, draft INTEGER)")
    for doc, (title, tags, body, date, draft) in enumerate(rows):
        db.execute("INSERT INTO t(rowid, title, tags, text) VALUES (?, ?, ?, ?)",
                   (doc, title, tags, body))  # fmt: skip
        db.execute("INSERT INTO docs VALUES (?, ?, ?)", (doc, date, draft))
    for doc in gone:
        db.execute("DELETE FROM t WHERE rowid = ?", (doc,))
        db.execute("DELETE FROM docs WHERE id = ?", (doc,))
    for doc in sorted(gone):
        title, tags, body, date, draft = rows[doc]
        db.execute("INSERT INTO t(rowid, title, tags, text) VALUES (?, ?, ?, ?)",
                   (len(rows) + doc, title, tags, body))  # fmt: skip
        db.execute("INSERT INTO docs VALUES (?, ?, ?)", (len(rows) + doc, date, draft))
    return db


def scored(db, match):
    return dict(
        db.execute(
            f"SELECT rowid, bm25(t, {', '.join(map(str, WEIGHTS))}) FROM t WHERE t MATCH ?",
            (match,),
        )
    )


def ranked(db, match, *, everything, only):
    where = "" if everything else " AND docs.draft = 0 AND docs.date <= :now"
    if only is not None:
        where += f" AND docs.id IN ({', '.join(map(str, only)) or 'NULL'})"
    return [
        doc
        for (doc,) in db.execute(
            "SELECT docs.id FROM t JOIN docs ON docs.id = t.rowid WHERE t MATCH :match"
            f"{where} ORDER BY bm25(t, {', '.join(map(str, WEIGHTS))}), docs.date DESC, docs.id",
            {"match": match, "now": NOW},
        )
    ]


def ranking_of(pairs, rows, gone):
    ranking = Ranking(WEIGHTS)
    tokens = list(pairs.tokens([row[:3] for row in rows]))
    for doc, (columns, (*_, date, draft)) in enumerate(zip(tokens, rows, strict=True)):
        ranking.add(doc, columns, date=date, draft=draft)
    for doc in gone:
        ranking.remove(doc, tokens[doc])
    for doc in sorted(gone):  # into the slots just given back
        ranking.add(len(rows) + doc, tokens[doc], date=rows[doc][3], draft=rows[doc][4])
    return ranking


@settings(max_examples=150, deadline=None)
@given(
    rows=ARTICLES,
    groups=GROUPS,
    gone=st.sets(st.integers(0, 24), max_size=5),
    everything=st.booleans(),
    only=st.none() | st.sets(st.integers(0, 49)),
    page=st.tuples(st.integers(0, 4), st.integers(1, 4)),
)
def test_ranking_finds_and_orders_what_fts5s_bm25_does(rows, groups, gone, everything, only, page):
    gone = {doc for doc in gone if doc < len(rows)}
    pairs = WordPairs(tokenizer("en"))
    found = iter(terms_of(pairs, [term.text for group in groups for term in group]))
    phrases = [[(next(found), term.prefix) for term in group] for group in groups]
    match = " AND ".join(map(any_of, groups))
    fts5 = oracle(rows, gone)
    expected = ranked(fts5, match, everything=everything, only=only)
    ranking = ranking_of(pairs, rows, gone)
    assert dict(ranking.best(phrases, len(rows))) == scored(fts5, match)
    offset, limit = page
    top = ranking.top(
        phrases, now=NOW, everything=everything, only=only, limit=limit, offset=offset
    )
    assert top == (len(expected), expected[offset : offset + limit])
    everyone = ranking.top(
        phrases, now=NOW, everything=everything, only=only, limit=2 * len(rows), offset=0
    )
    assert everyone == (len(expected), expected)


def test_a_ranking_past_its_deadline_stops():
    pairs = WordPairs(tokenizer("en"))
    ranking = ranking_of(pairs, [("Zephyr", "", "open models", NOW, False)], set())
    arguments = {"now": NOW, "everything": False, "only": None, "limit": 10, "offset": 0}
    assert ranking.top([[("zephyr", False)]], **arguments, deadline=time.monotonic() + 60)[0] == 1
    with pytest.raises(TimeoutError):
        ranking.top([[("zephyr", False)]], **arguments, deadline=time.monotonic() - 1)


def test_a_cleared_ranking_holds_nothing():
    pairs = WordPairs(tokenizer("en"))
    ranking = ranking_of(pairs, [("Zephyr", "", "open models", NOW, False)], set())
    ranking.clear()
    arguments = {"now": NOW, "everything": True, "only": None, "limit": 10, "offset": 0}
    assert ranking.top([[("zephyr", False)], [("op", True)]], **arguments) == (0, [])


def test_a_ranking_of_some_terms_holds_those_it_tracks_from_then_on():
    ranking = Ranking(WEIGHTS, every_term=False)
    arguments = {"now": NOW, "everything": False, "only": None, "limit": 10, "offset": 0}
    first = (["zephyr"], [], ["open", "zephyr"])
    ranking.add(7, first, date=NOW - 1, draft=False)
    assert not ranking.holds("zephyr")
    assert ranking.top([[("zephyr", False)]], **arguments) == (0, [])
    ranking.track("zephyr", [(7, 0, 1), (7, 2, 1)])  # as FTS5 found it: title and text
    ranking.add(8, ([], [], ["zephyr"]), date=NOW - 1, draft=False)
    assert ranking.holds("zephyr") and not ranking.holds("open")
    assert ranking.top([[("zephyr", False)]], **arguments) == (2, [7, 8])
    ranking.remove(7, first)
    assert ranking.top([[("zephyr", False)]], **arguments) == (1, [8])


def test_a_ranking_stopped_midway_leaves_every_array_free_to_grow(monkeypatch):
    pairs = WordPairs(tokenizer("en"))
    ranking = ranking_of(pairs, [("Zephyr", "", "models of modern art", NOW, False)], set())
    clock = iter([0.0, 10.0])  # the deadline passes between mod*'s first term and its second
    monkeypatch.setattr(search_ranking.time, "monotonic", lambda: next(clock))
    arguments = {"now": NOW, "everything": False, "only": None, "limit": 10, "offset": 0}
    with pytest.raises(TimeoutError) as stopped:
        ranking.top([[("mod", True)]], **arguments, deadline=5.0)
    assert str(stopped.value) == "ranking stopped at 'modern'"  # after model, mod*'s first
    # ``stopped`` keeps the traceback, as a page keeps its timeout, and with it the ranking's
    # frames: no view of the first term's arrays may be among them, or adding would fail.
    ranking.add(1, (["model"], [], ["modern"]), date=NOW - 1, draft=False)
    monkeypatch.undo()
    assert ranking.top([[("mod", True)]], **arguments) == (2, [1, 0])
