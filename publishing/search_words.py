"""The words of the indexed text as they were written, so that a prefix finds the words that
begin with it, as a visitor means it, although the index holds stems.

Why: FTS5 runs a prefix through the tokenizer before it looks for terms beginning with it, and
Porter stems it as if it were a word: ``deploy*`` is looked up as ``deploi*`` and misses
``deploy`` (the stem of "deployment"); ``winn*`` misses "winning", whose stem ``win`` is shorter
than the prefix; ``cos*`` is looked up as ``co*`` and finds "community". A sixth of the
prefixes of the shipped articles' words found nothing. So where Porter changes the prefix, it
is asked for as the words of the text that begin with it, one per term; where it does not, it
stays FTS5's (one lookup in the prefix index), or'ed with the words whose term FTS5's lookup
would miss ("winning", which matches what "winning" matches: "win" too, as a word search
would). Without a stemmer the prefix is FTS5's as it is.

The vocabulary only grows: a word no article holds any more matches nothing, and a site's
words are a few tens of thousands. It is learnt with the word pairs (``search_index``), so until
a worker's first pairs are written a prefix is read by FTS5, with the words learnt so far.
"""

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence

from publishing.search_pairs import WordPairs
from publishing.search_query import Term

MAX_PREFIX_TERMS = 64  # a prefix Porter changes is named word by word up to this many terms
MAX_ADDED_WORDS = 50  # words FTS5's prefix would miss, added to it: the expression stays small

_WORD = re.compile(r"[^\W_]+")  # letters and digits: one term of every tokenizer here


def fold(word: str) -> str:
    """``word`` without case or accents, to compare with a prefix folded the same way."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words_of(rows: Iterable[tuple[str, ...]]) -> dict[str, str]:
    """Every word of the texts of ``rows``: folded -> a spelling as written."""
    found: dict[str, str] = {}
    for row in rows:
        for word in set(_WORD.findall(" ".join(row))):
            found.setdefault(fold(word), word)
    return found


class Vocabulary:
    """Words seen in the index, and the FTS5 term each one is indexed under (``pairs`` knows the
    index's tokenizer). Not thread-safe: ``SearchIndex`` calls it under its lock."""

    def __init__(self, pairs: WordPairs) -> None:
        self._pairs = pairs
        self._words: dict[str, str] = {}  # folded -> as written
        self._sorted: list[str] = []  # the folded words in order, remade after learning more
        self._terms: dict[str, str] = {}  # folded -> its term, learnt when first needed

    def learn(self, words: dict[str, str]) -> None:
        """Adds ``words`` (from ``words_of``)."""
        size = len(self._words)
        for folded, written in words.items():
            self._words.setdefault(folded, written)
        if len(self._words) != size:
            self._sorted = []

    def prefix(self, term: Term, *, complete: bool) -> list[Term] | None:
        """The terms any of which the prefix ``term`` stands for (``search_query.any_of`` writes
        them for FTS5), or None when no word of the site begins with it. ``complete``: every
        indexed article's words have been learnt.

        FTS5's own prefix, or'ed with the words that begin with it but that it misses (stems
        shorter than the prefix: "winning" for ``winn*``). But where Porter changes the prefix
        itself (``deploy`` to ``deploi``, ``cos`` to ``co``, which then found "community"), the
        words that begin with it are named one per term instead, up to ``MAX_PREFIX_TERMS``."""
        runs = list(_WORD.finditer(term.text))
        stems = self._pairs.terms(term.text)
        if not runs or not stems:
            return [term]
        last, stem = runs[-1], stems[-1]  # FTS5 puts the * on the last token
        by_term: dict[str, str] = {}  # term -> a word indexed under it, the shortest
        for folded, indexed in self._terms_of(self._begin_with(fold(last[0]))):
            if indexed:
                by_term.setdefault(indexed, self._words[folded])
        if complete and not by_term:
            return None

        def spelled(words: Iterable[str]) -> list[Term]:
            return [Term(term.text[: last.start()] + word) for word in words]

        if complete and stem != fold(last[0]) and len(by_term) <= MAX_PREFIX_TERMS:
            return spelled(by_term.values())
        missed = [word for indexed, word in by_term.items() if not indexed.startswith(stem)]
        return [term, *spelled(missed[:MAX_ADDED_WORDS])]

    def _begin_with(self, begun: str) -> list[str]:
        if not self._sorted and self._words:
            self._sorted = sorted(self._words)
        # Shortest first: the ones kept when more than MAX_ADDED_WORDS would be added.
        return sorted(beginning_with(self._sorted, begun), key=len)

    def _terms_of(self, folded_words: list[str]) -> list[tuple[str, str]]:
        """Each word with its term, those not yet known asked of FTS5 in one go."""
        unknown = [word for word in folded_words if word not in self._terms]
        if unknown:
            found = terms_of(self._pairs, [self._words[word] for word in unknown])
            self._terms.update(zip(unknown, found, strict=True))
        return [(word, self._terms[word]) for word in folded_words]


def beginning_with(ordered: Sequence[str], prefix: str) -> Sequence[str]:
    """The strings of ``ordered`` (sorted) that begin with ``prefix``."""
    start = bisect.bisect_left(ordered, prefix)
    return ordered[start : bisect.bisect_left(ordered, prefix + "\U0010ffff", start)]


def terms_of(pairs: WordPairs, words: Sequence[str]) -> list[str]:
    """The term FTS5 indexes each of ``words`` under, or "" for one it makes more or fewer
    terms of (a phrase, ``open-source``, a letter newer than SQLite's Unicode tables)."""
    [each] = pairs.tokens([tuple(words)])  # one trip to FTS5, each word tokenized alone
    return [found[0] if len(found) == 1 else "" for found in each]
