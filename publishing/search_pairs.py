"""Word pairs: each two neighbouring words of an article written as one token, so that a quoted
phrase is found like a single word (what Elasticsearch calls ``index_phrases``).

Why: FTS5 finds a phrase by comparing the positions of its words in every article that holds all
of them, and its ``bm25`` does that once more to count the articles the phrase is in. For a phrase
of two words that most articles hold many times ("open source" on a site about open source), that
costs 25 to 30 ms at 10,000 articles; the same phrase as the one token ``open_sourc`` is a single
list of articles, read once: 8 ms. The price is a second FTS5 table about as large as the first
(see ``search_index``).

The pairs are made of the terms the index's own FTS5 tokenizer makes (stemmed, case-folded, accents
removed, as the site's language asks), never of a tokenizer of ours, so a phrase found through its
pairs is the phrase FTS5 would have found through positions. Text is cut on white space, which
every tokenizer here also cuts on, and each piece is tokenized by FTS5 in a scratch table.
"""

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from itertools import chain, pairwise

from publishing.search_query import Query

# The pairs table's own tokenizer must leave a pair whole and unchanged: its terms are already
# folded, and ``_`` joins them because no FTS5 term holds one (unicode61 cuts on punctuation).
PAIRS_TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '_'"
_JOIN = "_"


class WordPairs:
    """Turns text into its word pairs, with the terms of FTS5's ``tokenizer``."""

    def __init__(self, tokenizer: str) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._db.execute(
            f"CREATE VIRTUAL TABLE pieces USING fts5(piece, content='', tokenize='{tokenizer}')"
        )
        self._db.execute("CREATE VIRTUAL TABLE piece_terms USING fts5vocab(pieces, instance)")
        self._lock = threading.Lock()

    def tokens(self, rows: Iterable[tuple[str, ...]]) -> Iterator[tuple[list[str], ...]]:
        """Each row of texts as a row of the terms FTS5 makes of each, made as they are asked
        for, so that a whole site's terms are never in memory at once (``pair_tokens`` makes
        their pairs).

        A piece is tokenized once per call: an article's words repeat, and so do a site's, so
        indexing many articles in one call costs little more than joining their terms."""
        known: dict[str, tuple[str, ...]] = {}
        for row in rows:
            yield tuple(self._terms(text, known) for text in row)

    def phrases(self, query: Query) -> list[list[str]] | None:
        """Each term of ``query`` as its pairs (``pairs_match`` writes them for FTS5), or None
        when a term is not a run of two words or more (a single word, a prefix): those need the
        word index."""
        phrases = []
        for term in query.terms:
            # Letters and digits alone are one term in every tokenizer here (unicode61's token
            # characters are letters, numbers and private use): no pair, and no trip to FTS5.
            # A letter newer than SQLite's Unicode tables splits a word ("0ᦰ0" is "0 0"): that
            # word goes to the word index too, which finds it by positions, the same articles.
            if term.prefix or term.text.isalnum():
                return None
            terms = self._terms(term.text, {})
            if len(terms) < 2:
                return None
            phrases.append(list(map(_JOIN.join, pairwise(terms))))
        return phrases or None

    def terms(self, text: str) -> list[str]:
        """The terms FTS5 makes of ``text``, in order."""
        return self._terms(text, {})

    def _terms(self, text: str, known: dict[str, tuple[str, ...]]) -> list[str]:
        """The terms of ``text`` in order, learning the pieces ``known`` lacks."""
        pieces = text.split()
        new = list(set(pieces).difference(known))
        if new:
            with self._lock:
                self._db.executemany(
                    "INSERT INTO pieces(rowid, piece) VALUES (?, ?)", enumerate(new)
                )
                found: dict[int, list[str]] = {}
                for doc, term in self._db.execute(
                    "SELECT doc, term FROM piece_terms ORDER BY doc, offset"
                ):
                    found.setdefault(doc, []).append(term)
                self._db.execute("INSERT INTO pieces(pieces) VALUES ('delete-all')")
            for n, piece in enumerate(new):
                known[piece] = tuple(found.get(n, ()))
        return list(chain.from_iterable(map(known.__getitem__, pieces)))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def pairs_match(phrases: list[list[str]]) -> str:
    """An FTS5 expression over the pairs table matching every phrase of ``phrases``."""
    return " ".join(f'"{" ".join(pairs)}"' for pairs in phrases)


def pair_tokens(columns: tuple[list[str], ...]) -> tuple[list[str], ...]:
    """Each column's terms as its pairs (``["open_sourc", "sourc_model", …]``), the tokens of
    the pairs table once joined by spaces."""
    return tuple(list(map(_JOIN.join, pairwise(terms))) for terms in columns)
