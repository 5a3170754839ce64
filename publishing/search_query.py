"""A visitor's search query read as a visitor means it, and written as FTS5 syntax that cannot mean
anything else.

The query is never handed to FTS5 as it came: it is cut to ``MAX_QUERY_CHARS``, stripped of
control, format, surrogate and unassigned characters, and split into terms: words on white space,
and "quoted phrases" (an unclosed quote runs to the end). A word ending in ``*`` is a prefix, as is
a phrase followed by ``*``, when the last word the ``*`` ends has ``MIN_PREFIX_CHARS`` letters or
digits at least: FTS5 puts the ``*`` on the last token, and a one-letter prefix (``"open s"*``,
``open-s*``) makes it merge every word beginning with that letter (0.3 s at 10,000 articles,
against 18 ms for ``to*``); without the ``*`` it is read as written. A term with no letter or digit
(``-``, ``:``, ``*``, emoji) is dropped, since the tokenizer would make nothing of it; repeats are
dropped and at most ``MAX_TERMS`` are kept. Each term is then written as an FTS5 string (``"…"``,
inner quotes doubled), so ``AND``, ``OR``, ``NOT``, ``NEAR``, ``(``, ``:``, ``^``, ``-`` and column
names are words like any other, and every term must match.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from publishing.markdown_text import one_line

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MIN_PREFIX_CHARS = 2  # "a*" would stand for most of the vocabulary: read as the word "a"

_RUN = re.compile(r"[^\W_]+")  # letters and digits: what every tokenizer here keeps in a token
_PIECE = re.compile(r'"([^"]*)(?:"(\*)?|$)|([^\s"]+)')


@dataclass(frozen=True)
class Term:
    text: str  # a word, or the words of a phrase separated by single spaces
    prefix: bool = False

    @property
    def phrase(self) -> bool:
        return " " in self.text

    def fts(self) -> str:
        """This term as an FTS5 string: never an operator, a column name or a group."""
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")

    def __str__(self) -> str:
        shown = f'"{self.text}"' if self.phrase else self.text
        return shown + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __str__(self) -> str:
        """The query as it was understood, for the results page (to be escaped like any text)."""
        return " ".join(str(term) for term in self.terms)


def any_of(terms: Sequence[Term]) -> str:
    """An FTS5 expression matching any of ``terms``."""
    return " OR ".join(term.fts() for term in terms).join("()")


def parse(raw: str) -> Query:
    """The terms a visitor typed in ``raw``; an empty ``Query`` when none has a letter or digit."""
    text = one_line(raw[:MAX_QUERY_CHARS])
    terms: dict[tuple[str, bool], Term] = {}
    for phrase, phrase_star, word in _PIECE.findall(text):
        if word:
            stem = word.rstrip("*")
            term = Term(stem, prefix=stem != word and _prefix_ends_well(stem))
        else:
            text = " ".join(phrase.split())
            term = Term(text, prefix=bool(phrase_star) and _prefix_ends_well(text))
        if _letters(term.text):
            terms.setdefault((term.text.casefold(), term.prefix), term)
    return Query(tuple(terms.values())[:MAX_TERMS])


def _prefix_ends_well(text: str) -> bool:
    """Whether the last run of letters and digits in ``text``, the token FTS5 would put the
    ``*`` on, is long enough to be a prefix."""
    runs = _RUN.findall(text)
    return bool(runs) and len(runs[-1]) >= MIN_PREFIX_CHARS


def _letters(text: str) -> int:
    return sum(char.isalnum() for char in text)
