"""The ranking of a search of words and prefixes: FTS5's ``bm25()``, worked out from each term's
articles and frequencies held in numpy arrays instead of read row by row from the index.

Why: FTS5's ``bm25()`` visits every matching article, decodes the positions of each query term in
it and looks its length up, one row at a time, and then sorts them all. On a site whose common
words are in most articles that is nearly every article for most queries: 10 to 20 ms at 10,000
articles, most of a query's time, whatever the page shows. Here a term is two arrays (the
articles holding it, and its weighted frequency in each), so a query is a few vector operations
over the site and a partial sort: about a millisecond (``bench/search.py``).

It is FTS5's formula (``fts5Bm25Function`` in SQLite's ``fts5_aux.c``), operation for operation
but one: a term's hits in a column count as weight x hits, where FTS5 adds the weight once a
hit, the same number while the weights are whole (``search_index``'s are). So the scores are the
same doubles and the order is the same, ties included, where the compiler fuses no multiply and
add (x86-64 builds do not); ``test_search_ranking`` compares the two on every kind of query it
serves. For each phrase of
the expression (a word, or a prefix standing for every term that begins with it):

- its frequency ``f`` in an article: the sum, over its hits, of the weight of the hit's column;
- ``D``: the article's tokens in every column; ``avgdl``: the table's tokens over its rows;
- ``idf = log((N - n + 0.5) / (n + 0.5))``, at least 1e-6, ``N`` the rows (drafts too) and ``n``
  the rows holding the phrase;
- the article's score, ``-sum(idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl)))``, with
  ``k1`` 1.2 and ``b`` 0.75, smallest best.

An expression is groups of phrases: an article matches when each group has a phrase in it, and
every phrase counts in its score, as FTS5 counts every phrase of ``("a"* OR "ab") "c"``. A
phrase of two words is one term of the word pairs table (``search_pairs``), which a second
``Ranking`` serves; longer phrases need positions, and ``search_index`` asks FTS5 for them.

Not thread-safe: ``SearchIndex`` calls it under its lock.
"""

import bisect
import math
import time
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Sequence

import numpy as np

from publishing.search_words import beginning_with

K1, B = 1.2, 0.75
MIN_IDF = 1e-6

Phrase = tuple[str, bool]  # an FTS5 term, and whether it stands for every term beginning with it


class Ranking:
    """Each term's articles and weighted frequencies, and each article's length, date and draft
    flag, for the columns weighted ``weights`` (the weights given to ``bm25()``).

    An article is held in a slot of the arrays, given back when it goes: every edit is a new
    id, so arrays by id would grow with every edit a worker sees, and each query with them.

    With ``every_term`` False only the terms given to ``track`` are held (each article's length
    still counts them all): for the word pairs, most of which are in few articles, whose
    entries would take far more memory than they save time."""

    def __init__(self, weights: Sequence[float], *, every_term: bool = True) -> None:
        self._weights = tuple(weights)
        self._every_term = every_term
        self.clear()

    def clear(self) -> None:
        # term -> slots of the articles holding it, and its weighted frequency in each: C arrays
        # (4 and 8 bytes an entry, appended in place), read by numpy without a copy.
        self._holders: dict[str, array[int]] = {}
        self._freqs: dict[str, array[float]] = {}
        self._sorted: list[str] = []  # the terms held, in order, for prefixes
        self._tracked: set[str] = set()  # without every_term, the terms held
        self._slots: dict[int, int] = {}  # article id -> its slot
        self._free: list[int] = []  # slots given back
        self._id = np.zeros(0, dtype=np.int64)  # by slot: the article's id
        self._length = np.zeros(0)  # by slot: tokens in every column
        self._date = np.zeros(0)  # by slot: POSIX time
        self._draft = np.zeros(0, dtype=bool)
        self._live = np.zeros(0, dtype=bool)
        self._tokens = 0  # of every live article

    def add(self, doc: int, columns: Sequence[Sequence[str]], *, date: float, draft: bool) -> None:
        """Counts article ``doc`` (a new id), whose columns hold the terms ``columns``."""
        slot = self._free.pop() if self._free else self._grow()
        self._slots[doc] = slot
        frequencies: Counter[str] = Counter()
        for weight, terms in zip(self._weights, columns, strict=True):
            held = terms if self._every_term else [t for t in terms if t in self._tracked]
            for term, hits in Counter(held).items():
                frequencies[term] += weight * hits
        for term, frequency in frequencies.items():
            if term not in self._holders:
                self._holders[term], self._freqs[term] = array("i"), array("d")
                bisect.insort(self._sorted, term)
            self._holders[term].append(slot)
            self._freqs[term].append(frequency)
        length = sum(map(len, columns))
        self._id[slot], self._length[slot], self._date[slot] = doc, length, date
        self._draft[slot], self._live[slot] = draft, True
        self._tokens += length

    def remove(self, doc: int, columns: Sequence[Sequence[str]]) -> None:
        """Takes article ``doc`` out; ``columns`` are the terms it was added with."""
        slot = self._slots.pop(doc)
        for term in set().union(*columns):
            if not self.holds(term):
                continue
            holders = self._holders[term]
            # array.index compares Python objects one by one: 20 times slower at 10,000.
            at = int(np.flatnonzero(np.frombuffer(holders, np.int32) == slot)[0])
            del holders[at], self._freqs[term][at]  # the view above is gone: it may shrink
            if not holders:
                del self._holders[term], self._freqs[term]
                del self._sorted[bisect.bisect_left(self._sorted, term)]
        self._live[slot] = False
        self._tokens -= int(self._length[slot])
        self._free.append(slot)

    def holds(self, term: str) -> bool:
        """Whether ``term``'s articles are held (with ``every_term``, every term is)."""
        return self._every_term or term in self._tracked

    @property
    def tracked(self) -> int:
        """How many terms ``track`` was given (since the last ``clear``)."""
        return len(self._tracked)

    def holding(self, term: str) -> int:
        """How many articles hold ``term`` (one held: ``holds``)."""
        return len(self._holders.get(term, ()))

    def track(self, term: str, hits: Iterable[tuple[int, int, int]]) -> None:
        """Holds ``term`` from now on, found so far as ``hits``: (article id, column, count)."""
        frequencies: dict[int, float] = {}
        for doc, column, count in hits:
            slot = self._slots[doc]
            frequencies[slot] = frequencies.get(slot, 0.0) + self._weights[column] * count
        self._tracked.add(term)
        if frequencies:
            self._holders[term] = array("i", frequencies)
            self._freqs[term] = array("d", frequencies.values())
            bisect.insort(self._sorted, term)

    def top(
        self,
        groups: Sequence[Sequence[Phrase]],
        *,
        now: float,
        everything: bool,
        only: Collection[int] | None,
        limit: int,
        offset: int,
        deadline: float | None = None,
    ) -> tuple[int, list[int]]:
        """(how many articles match ``groups``, the ids of ``limit`` of them from ``offset``), best
        first, then newest, then by id: those public at ``now`` (every one with ``everything``),
        only ids in ``only`` when given. Past ``deadline`` (``time.monotonic``), TimeoutError."""
        slots, scores = self._scores(groups, deadline)
        dates = self._date[slots]
        visible = np.ones(len(slots), dtype=bool)
        if not everything:
            visible &= ~self._draft[slots] & (dates <= now)
        if only is not None:
            visible &= np.isin(slots, [self._slots[doc] for doc in only if doc in self._slots])
        ids, scores, dates = self._id[slots[visible]], scores[visible], dates[visible]
        wanted = offset + limit
        if wanted < len(ids):  # only those that can be on the page: every one tied with the last
            kept = scores <= np.partition(scores, wanted - 1)[wanted - 1]
            ids, scores, dates = ids[kept], scores[kept], dates[kept]
        order = np.lexsort((ids, -dates, scores))
        return int(visible.sum()), [int(doc) for doc in ids[order][offset:wanted]]

    def best(self, groups: Sequence[Sequence[Phrase]], limit: int) -> list[tuple[int, float]]:
        """The ids and scores of the ``limit`` articles that match ``groups`` best, best first,
        drafts and scheduled articles too."""
        slots, scores = self._scores(groups, None)
        ids = self._id[slots]
        best = np.lexsort((ids, -self._date[slots], scores))[:limit]  # as ``top`` breaks ties
        return list(zip(ids[best].tolist(), scores[best].tolist(), strict=True))

    def _scores(
        self, groups: Sequence[Sequence[Phrase]], deadline: float | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The slots of the articles matching ``groups``, and their scores."""
        size = len(self._live)
        rows = len(self._slots)
        with np.errstate(divide="ignore", invalid="ignore"):
            norm = K1 * ((1 - B) + B * self._length / (self._tokens / max(rows, 1)))
        score = np.zeros(size)
        matched = self._live
        for group in groups:
            found = np.zeros(size, dtype=bool)
            for phrase in group:
                frequency = self._frequency(phrase, size, deadline)
                holding = frequency > 0
                hits = int(holding.sum())
                idf = math.log((rows - hits + 0.5) / (hits + 0.5))
                idf = idf if idf > 0 else MIN_IDF
                score += idf * ((frequency * (K1 + 1.0)) / (frequency + norm))
                found |= holding
            matched = matched & found
        slots = np.flatnonzero(matched)
        return slots, -1.0 * score[slots]

    def _frequency(self, phrase: Phrase, size: int, deadline: float | None) -> np.ndarray:
        term, prefix = phrase
        frequency = np.zeros(size)
        for each in self._beginning(term) if prefix else [term]:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"ranking stopped at {each!r}")
            if each in self._holders:
                # Views of the arrays, dropped at the end of the statement: an array a view
                # holds cannot grow, and a traceback (a timeout) would keep a local one.
                frequency[np.frombuffer(self._holders[each], np.int32)] += np.frombuffer(
                    self._freqs[each]
                )
        return frequency

    def _beginning(self, prefix: str) -> Sequence[str]:
        return beginning_with(self._sorted, prefix)

    def _grow(self) -> int:
        """A new slot, the arrays doubled when full."""
        slot = len(self._slots)  # none given back: slots 0 to this one less are in use
        if slot < len(self._live):
            return slot
        more = max(1, len(self._live))
        self._id = np.concatenate([self._id, np.zeros(more, dtype=np.int64)])
        self._length = np.concatenate([self._length, np.zeros(more)])
        self._date = np.concatenate([self._date, np.zeros(more)])
        self._draft = np.concatenate([self._draft, np.zeros(more, dtype=bool)])
        self._live = np.concatenate([self._live, np.zeros(more, dtype=bool)])
        return slot
