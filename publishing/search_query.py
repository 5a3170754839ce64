"""A visitor's search query read as a visitor means it, and written as FTS5 syntax that cannot
mean anything else.

The query is never handed to FTS5 as it came: it is cut to ``MAX_QUERY_CHARS``, stripped of
control, format, surrogate and unassigned characters, and split into terms: words on white space,
and "quoted phrases" (an unclosed quote runs to the end). A word ending in ``*`` is a prefix, as
is a phrase followed by ``*``. A term with no letter or digit (``-``, ``:``, ``*``, emoji) is
dropped, since the tokenizer would make nothing of it; repeats are dropped and at most
``MAX_TERMS`` are kept. Each term is then written as an FTS5 string (``"…"``, inner quotes
doubled), so ``AND``, ``OR``, ``NOT``, ``NEAR``, ``(``, ``:``, ``^``, ``-`` and column names are
words like any other, and every term must match.
"""

import re
from dataclasses import dataclass

from publishing.markdown_text import one_line

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MIN_PREFIX_CHARS = 2  # "a*" would stand for most of the vocabulary: read as the word "a"

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

    def fts(self) -> str:
        """The FTS5 MATCH expression: every term, all required."""
        return " ".join(term.fts() for term in self.terms)

    def __str__(self) -> str:
        """The query as it was understood, for the results page (to be escaped like any text)."""
        return " ".join(str(term) for term in self.terms)


def parse(raw: str) -> Query:
    """The terms a visitor typed in ``raw``; an empty ``Query`` when none has a letter or digit."""
    text = one_line(raw[:MAX_QUERY_CHARS])
    terms: dict[tuple[str, bool], Term] = {}
    for phrase, phrase_star, word in _PIECE.findall(text):
        if word:
            stem = word.rstrip("*")
            term = Term(stem, prefix=stem != word and _letters(stem) >= MIN_PREFIX_CHARS)
        else:
            term = Term(" ".join(phrase.split()), prefix=bool(phrase_star))
        if _letters(term.text):
            terms.setdefault((term.text.casefold(), term.prefix), term)
    return Query(tuple(terms.values())[:MAX_TERMS])


def _letters(text: str) -> int:
    return sum(char.isalnum() for char in text)
