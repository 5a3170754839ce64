"""Full-text search over the articles: an SQLite FTS5 index from Python's standard ``sqlite3``.

One ``SearchIndex`` per worker, in memory, fed the snapshot's articles with ``update`` after each
scan. Measured with ``bench/search.py`` (one process per case, 2 shared cores), 10,003 generated
articles of 500 words (the generator draws from a vocabulary of a few hundred words, so nearly
every query word is in nearly every article: the worst case for ranking), on the slower of the
README's Benchmark machines (2 to 2.5 times slower at everything than the first):

======================  ===================  ===================
10,003 articles         in memory            one file (WAL)
======================  ===================  ===================
searchable from cold     4.7 s                5.7 s
then its word pairs     19.9 s               25.2 s
one edited article      59 ms                96 ms
query p50 / p99         2.4 ms / 5.2 ms      2.7 ms / 6.2 ms
related p50 / p99       13 ms / 21 ms        13 ms / 24 ms
index size              134 MB               134 MB
process RSS             103 -> 299 MB        103 -> 153 MB
======================  ===================  ===================

At 1,003 articles: 0.36 s from cold then 1.4 s for the pairs, p50 1.8 ms, p99 3.3 ms, 15 MB.
Before ``Ranking`` below, on the same machine: p50 14 to 15 ms, p99 32 to 34 ms (14.4 ms on
the faster one); before the word pairs, p99 30 ms on the faster one.

Queries cost the same from a file; what a file saves is memory, and only if one file were shared by
the workers (its pages then sit once in the OS cache). But the workers do not see a change at the
same moment (each rescans on its own clock), so with one shared file a worker that has not yet seen
an edit would write the old version back, and sharing would need rows kept per version, a
cross-process clean-up and a writable directory the service owns. In memory, each worker's index
holds exactly the articles of its own snapshot, its pages and its search change together, and
nothing is written to disk: that is the choice, at the price of about 200 MB per worker at 10,000
articles (24 MB of the index is the prefix indexes below, which keep ``pro*`` as fast as a word;
35 MB the word pairs; some 40 MB the rankings' arrays, and 12 MB numpy itself).

Word pairs (``search_pairs``): a query made only of phrases (``"open source"``, or a word such as
``open-source`` that the tokenizer cuts in two) is looked up in a second, contentless FTS5 table
whose tokens are each two neighbouring terms, not in ``search`` by positions. Without it the p99
was 30 ms: a phrase of two words that most articles hold many times ("open source", "source
models") cost 25 to 30 ms, since FTS5 compares positions in some 8,500 articles and bm25 does it
again to count them; as one pair token it costs 8 ms. It costs 35 MB and about 6 s of a core
at 10,000 articles, and the table keeps no text, so an article is taken out by
giving FTS5 back the pairs of its indexed text. A phrase beside a single word or a prefix
(``"open source" models``, ``"open sou"*``) is still found by positions in ``search``: such a
query costs what it did (up to about 30 ms for words in most articles). An update of more than
``PAIRED_AT_ONCE`` articles (a worker's first build) writes the articles at once and leaves their
pairs to ``pair_up``, which a thread of ``live_index`` calls a batch at a time: the index answers
as soon as before, finding phrases by positions until every article has its pairs. An update
that changes more than ``PAIRED_AT_ONCE`` paired articles (a new checkout) drops every pair and
leaves them all to ``pair_up``: taking out the old ones one by one means making them again, which
held searches up for 1.2 s at 1,000 articles.

Ranking (``search_ranking``): a query of words and prefixes, once every article has its word
pairs, is ranked by ``Ranking``, which holds each term's articles and weighted frequencies in C
arrays and works FTS5's ``bm25()`` out over them with numpy, to the same scores; FTS5 is then
asked only for the snippets of the page's hits. ``bm25()`` itself visits every matching article
one row at a time: 10 to 20 ms for a word in most of 10,000 articles, the p99 of 30 ms, against
about 3 ms for the whole query now. It costs some 25 MB at 10,000 articles (1.7 million
entries), made with the pairs and kept by every update. A query of phrases of two words is
ranked the same way over the word pairs, by a second ``Ranking`` that holds only the pairs
``RANKED_PAIR_AT`` articles or more hold: a phrase in most articles cost 8 ms of ``bm25()``
and 14 ms in all, while one in fewer costs FTS5 little, and holding every pair (5.7 million
entries at 10,000 generated articles, far more kinds of pair in real prose) would take more
memory than it saves time. The pairs are taken from FTS5's own index (``fts5vocab``) by
``rank_common_pairs``, which a worker's thread calls once every article has its pairs (819
pairs and about 20 MB at 10,000 generated articles, 5 s of the thread); a pair that becomes
that common later is taken in by its first search (20 to 40 ms, once). Longer phrases, and
phrases beside words or prefixes, need positions and stay FTS5's.

Columns: ``title``, ``tags`` (their names) and ``text`` (the summary when the author wrote one,
then the body made plain by ``markdown_text.plain_text``: no chart or Mermaid blocks, no markup).
Ranking is ``bm25`` with column weights ``TITLE_WEIGHT`` > ``TAGS_WEIGHT`` > ``TEXT_WEIGHT``, so one
word in the title counts for more than in the tags, which counts for more than in the body, then
newest first. The weights are far apart because bm25 saturates (a word scores under 2.2 times its
idf however often it occurs) and divides by the whole article's length: with weights 20, 5 and 1
a short article naming the word once in its body outranked a long one tagged with it, and with
10,000, 100 and 1 a tiny article saying a word five times in its body outranked one tagged with
it ten times the average length. With 1e9, 1e5 and 1, a title match wins over a tag match until
the title's article is about a thousand times the average length, and a tag match over a body
match until twenty times (a body made of the word alone; some three hundred times for one that
says it ten times). Within a place, bm25 still ranks as it does: the scores of title matches
differ by parts in a billion, which doubles hold.

Tokenizer: for English (``language`` "en" or "en-…") ``porter unicode61 remove_diacritics 2``:
"models" finds "model", "cafe" finds "Café". Porter is the only stemmer SQLite ships, so every
other language gets ``unicode61 remove_diacritics 2``: accents and case still do not matter, but
words match only as written ("modèles" does not find "modèle"; a trailing ``*`` does).

Visibility is decided at query time from each article's draft flag and date, never at ``update``:
a scheduled article comes due without any file changing. ``update`` re-indexes only the articles
whose version (the digest of their file) is new or changed, and drops those gone.

Prefix indexes of 2, 3 and 4 characters make a prefix query (``cos*``) one lookup rather than a
merge of every word it begins (79 ms down to 10 ms for ``cos*`` at 10,000 articles).

Thread-safe for a gthread worker: every read and write of the database holds one lock. An
``update`` prepares its rows (the plain text) and their word pairs, the costly part, outside the
lock and writes them in one transaction, so a query sees the index before or after an update,
never halfway; updates (and ``pair_up``) run one at a time.
"""

import html
import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from publishing.article import Article
from publishing.markdown_text import one_line, plain_text
from publishing.metadata import tag_slug
from publishing.pagination import Page, page_count
from publishing.search_pairs import PAIRS_TOKENIZER, WordPairs, pair_tokens, pairs_match
from publishing.search_query import Query, Term, any_of, parse
from publishing.search_ranking import Phrase, Ranking
from publishing.search_words import Vocabulary, fold, terms_of, words_of

TITLE_WEIGHT, TAGS_WEIGHT, TEXT_WEIGHT = 1e9, 1e5, 1.0
WEIGHTS = (TITLE_WEIGHT, TAGS_WEIGHT, TEXT_WEIGHT)
COLUMNS = ("title", "tags", "text")
SNIPPET_TOKENS = 24
MAX_PER_PAGE = 100
PAIRED_AT_ONCE = 400  # an update of more articles leaves their word pairs to ``pair_up``
PAIR_BATCH = 100  # articles paired a time by ``pair_up``: searches wait about 30 ms for each
SIMILAR_CANDIDATES = 100  # the best text matches that ``neighbours`` ranks after shared tags
RANKED_PAIR_AT = 1000  # articles holding a word pair from which ``Ranking`` ranks it, not FTS5
PAIR_TERMS_AT_ONCE = 2000  # pairs of the vocabulary ``rank_common_pairs`` reads under the lock
SIMILAR_WORDS = 12  # the words of an article that ``neighbours`` matches: its rarest
CLOCK_STEPS = 1000  # SQLite instructions between looks at a search's deadline: under 0.1 ms
# Marks around matched words in snippet(): control characters, which the indexed text never
# holds (``one_line``), so they survive the HTML escaping and become our own <mark> elements.
_OPEN, _CLOSE = "\x02", "\x03"
_MARKER = re.compile(f"[{_OPEN}{_CLOSE}]")
_PAIR = "INSERT INTO pairs(rowid, title, tags, text) VALUES (?, ?, ?, ?)"
# The pairs table keeps no copy of its text (it would be as large as its index), so a row is
# taken out by giving FTS5 the pairs it was given again, made from the indexed text.
_UNPAIR = "INSERT INTO pairs(pairs, rowid, title, tags, text) VALUES ('delete', ?, ?, ?, ?)"

_Tokens = tuple[int, tuple[list[str], ...], tuple[list[str], ...]]  # id, terms, pairs by column

_SCHEMA = """
CREATE VIRTUAL TABLE search USING fts5(title, tags, text, tokenize='{tokenizer}', prefix='2 3 4');
CREATE VIRTUAL TABLE pairs USING fts5(title, tags, text, tokenize="{pairs_tokenizer}", content='');
CREATE TABLE docs (
    id INTEGER PRIMARY KEY,  -- the rowid of the article's row in search
    slug TEXT NOT NULL UNIQUE,
    version TEXT NOT NULL,
    date REAL NOT NULL,  -- POSIX time: compared with now, and the tie-break of equal ranks
    draft INTEGER NOT NULL
);
CREATE TABLE doc_tags (slug TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (slug, doc))
    WITHOUT ROWID;
CREATE VIRTUAL TABLE pair_counts USING fts5vocab(pairs, row);
CREATE VIRTUAL TABLE pair_hits USING fts5vocab(pairs, instance);
"""


def _bm25(table: str) -> str:
    """The ranking of ``table``'s rows (``search`` or ``pairs``), smallest best. Called by name
    rather than through FTS5's configurable ``rank``, which costs a tenth more."""
    return f"bm25({table}, {', '.join(map(str, WEIGHTS))})"


def tokenizer(language: str) -> str:
    """The FTS5 tokenizer for a site in ``language`` (a BCP 47 tag such as "en" or "fr-CA")."""
    stemmer = "porter " if language.lower().split("-")[0] == "en" else ""
    return stemmer + "unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class Hit:
    """One search result: the article as indexed, and a snippet of its text."""

    article: Article
    snippet: str  # HTML: the text escaped, the matched words in <mark>; safe to insert as is

    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def title(self) -> str:
        return self.article.title

    @property
    def date(self) -> datetime:
        return self.article.date

    @property
    def tags(self) -> tuple[str, ...]:
        return self.article.tags


@dataclass(frozen=True)
class Results:
    query: Query  # what was searched for, as understood (``str(query)`` to show it)
    total: int  # hits on every page
    page: Page[Hit]  # this page's hits, its number and the number of pages (at least one)

    @property
    def hits(self) -> list[Hit]:
        return self.page.items


@dataclass(frozen=True)
class Changes:
    """What an ``update`` did."""

    indexed: int  # articles new or changed, (re-)indexed
    removed: int  # articles gone, dropped


class SearchTimeout(Exception):
    """A search ran past its time and was stopped; the index is as it was."""

    def __init__(self, query: Query, seconds: float) -> None:
        super().__init__(f"search for {str(query)!r} stopped after {seconds:g} s")
        self.query, self.seconds = query, seconds


class SearchIndex:
    """The searchable text of a set of articles, for a site in ``language``.

    ``path`` None (the default, and the choice above) keeps it in memory; a file is what
    ``bench/search.py`` compares it with, and must not be shared by processes (see above).
    """

    def __init__(self, language: str = "en", path: Path | None = None) -> None:
        self._db = sqlite3.connect(
            ":memory:" if path is None else path, check_same_thread=False, isolation_level=None
        )
        if path is not None:
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(
            _SCHEMA.format(tokenizer=tokenizer(language), pairs_tokenizer=PAIRS_TOKENIZER)
        )
        self._pairs = WordPairs(tokenizer(language))
        self._vocabulary = Vocabulary(self._pairs)  # learnt with the pairs
        self._ranking = Ranking(WEIGHTS)  # also made with the pairs
        self._pair_ranking = Ranking(WEIGHTS, every_term=False)  # holds the pairs of many articles
        self._lock = threading.Lock()  # every use of the connection
        self._updating = threading.Lock()  # one update at a time: each diffs against the last
        self._articles: dict[int, Article] = {}  # docs.id -> the article indexed
        self._ids: dict[str, int] = {}  # slug -> docs.id
        self._next_id = 1
        self._unpaired: set[int] = set()  # docs.id of articles whose pairs ``pair_up`` owes
        self._spread: dict[str, int] = {}  # term -> articles holding it, until the next change

    def update(self, articles: Iterable[Article]) -> Changes:
        """Make the index hold exactly ``articles`` (every one the snapshot read, drafts and
        scheduled ones included): new versions are indexed, gone slugs dropped, the rest kept."""
        with self._updating:
            current = {article.slug: article for article in articles}
            indexed = {slug: self._articles[doc].version for slug, doc in self._ids.items()}
            fresh = [a for a in current.values() if indexed.get(a.slug) != a.version]
            stale = [
                doc
                for slug, doc in self._ids.items()
                if slug not in current or current[slug].version != indexed[slug]
            ]
            removed = sum(slug not in current for slug in self._ids)
            first_id = self._next_id
            rows = [_row(article) for article in fresh]  # the costly part, outside the lock
            ids = range(first_id, first_id + len(fresh))
            # ``_unpaired`` changes only under ``_updating``, held here: no lock to read it.
            paired = [doc for doc in stale if doc not in self._unpaired]
            # Many paired articles changed at once (a new checkout): every pair is dropped and
            # left to ``pair_up``, since remaking their old pairs only to delete them would cost
            # as much as a first build.
            reset = len(paired) > PAIRED_AT_ONCE
            defer = reset or len(fresh) > PAIRED_AT_ONCE
            old: list[_Tokens] = []
            if not reset:
                with self._lock:
                    old_texts = [self._text(doc) for doc in paired]
                old = self._tokenized(paired, old_texts)
            new = [] if defer else self._tokenized(ids, rows)
            words = {} if defer else words_of(rows)
            with self._lock:
                with self._transaction():
                    if reset:
                        self._db.execute("INSERT INTO pairs(pairs) VALUES ('delete-all')")
                    self._write_pairs(_UNPAIR, old)
                    self._drop(stale)
                    self._add(list(zip(ids, fresh, rows, strict=True)))
                    self._write_pairs(_PAIR, new)
                if reset:
                    self._ranking.clear()
                    self._pair_ranking.clear()
                for doc, terms, pairs in old:
                    self._ranking.remove(doc, terms)
                    self._pair_ranking.remove(doc, pairs)
                for doc in stale:
                    del self._ids[self._articles.pop(doc).slug]
                for doc, article in zip(ids, fresh, strict=True):
                    self._articles[doc], self._ids[article.slug] = article, doc
                self._rank(new)
                self._next_id = first_id + len(fresh)
                self._vocabulary.learn(words)
                if fresh or stale:
                    self._spread.clear()
                self._unpaired.difference_update(stale)
                if reset:
                    self._unpaired = set(self._articles)
                elif defer:
                    self._unpaired.update(ids)
            return Changes(indexed=len(fresh), removed=removed)

    @property
    def unpaired(self) -> int:
        """How many articles still wait for ``pair_up`` (their phrases found by positions)."""
        with self._lock:
            return len(self._unpaired)

    def pair_up(self, limit: int = PAIR_BATCH) -> int:
        """Write the word pairs of up to ``limit`` articles that an update of many left without
        them, and say how many are still left. Their text is read from the index, their pairs
        made outside the lock, so searches go on meanwhile."""
        with self._updating:
            with self._lock:
                todo = sorted(self._unpaired)[:limit]
                texts = [self._text(doc) for doc in todo]
            tokens = self._tokenized(todo, texts)
            words = words_of(texts)
            with self._lock:
                with self._transaction():
                    self._write_pairs(_PAIR, tokens)
                self._rank(tokens)
                self._vocabulary.learn(words)
                self._unpaired.difference_update(todo)
                return len(self._unpaired)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction, so that a query sees all of a write or none of it."""
        self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _text(self, doc: int) -> tuple[str, str, str]:
        return self._db.execute(
            "SELECT title, tags, text FROM search WHERE rowid = ?", (doc,)
        ).fetchone()

    def _tokenized(self, ids: Iterable[int], texts: Iterable[tuple[str, ...]]) -> list[_Tokens]:
        """Each article's id, the terms of its columns and their word pairs."""
        found = zip(ids, self._pairs.tokens(texts), strict=True)
        return [(doc, terms, pair_tokens(terms)) for doc, terms in found]

    def _write_pairs(self, statement: str, rows: list[_Tokens]) -> None:
        self._db.executemany(statement, [(doc, *map(" ".join, pairs)) for doc, _, pairs in rows])

    def _rank(self, rows: list[_Tokens]) -> None:
        """Gives the rankings the articles ``rows``, as they get pairs."""
        for doc, terms, pairs in rows:
            article = self._articles[doc]
            date = article.date.timestamp()
            self._ranking.add(doc, terms, date=date, draft=article.draft)
            self._pair_ranking.add(doc, pairs, date=date, draft=article.draft)

    def _drop(self, stale: list[int]) -> None:
        gone = [(doc,) for doc in stale]
        self._db.executemany("DELETE FROM search WHERE rowid = ?", gone)
        self._db.executemany("DELETE FROM docs WHERE id = ?", gone)
        self._db.executemany("DELETE FROM doc_tags WHERE doc = ?", gone)

    def _add(self, fresh: list[tuple[int, Article, tuple[str, str, str]]]) -> None:
        for doc, article, columns in fresh:
            self._db.execute(
                "INSERT INTO search(rowid, title, tags, text) VALUES (?, ?, ?, ?)", (doc, *columns)
            )
            self._db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                (doc, article.slug, article.version, article.date.timestamp(), article.draft),
            )
            self._db.executemany(
                "INSERT INTO doc_tags VALUES (?, ?)", [(slug, doc) for slug in article.tag_slugs]
            )

    def search(
        self,
        query: str,
        *,
        tag: str | None = None,
        page: int = 1,
        per_page: int = 10,
        now: datetime,
        show_drafts: bool = False,
        timeout: float | None = None,
    ) -> Results:
        """Page ``page`` of the articles matching every term of ``query`` (a visitor's text, read
        by ``search_query.parse``), best first, visible at ``now`` (drafts and scheduled articles
        too with ``show_drafts``), only those tagged ``tag`` (a tag or its URL slug) when given.

        Never fails on any ``query``: one with no usable term finds nothing. But one that asks
        much of a large site (eight phrases ending in prefixes at 10,000 articles: 0.2 s) is
        stopped after ``timeout`` seconds, when given, with ``SearchTimeout``, so that no
        visitor can hold the index for long: every search of the process waits for it.
        ``page`` and ``per_page`` are brought into range (1 or more; at most ``MAX_PER_PAGE`` a
        page); a page past the last has no hits but the right ``total`` and ``page.count``.
        """
        parsed = parse(query)
        page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
        if not parsed:
            return Results(parsed, 0, Page([], page, 1))
        # A query of phrases alone is looked up in the word pairs once every article has them;
        # any single word or prefix needs the word index (phrases then found by positions).
        pairs = self._pairs.phrases(parsed)
        params: dict[str, object] = {"now": now.timestamp(), "everything": show_drafts}
        where = "(:everything OR (docs.draft = 0 AND docs.date <= :now))"
        if tag is not None:
            where += " AND docs.id IN (SELECT doc FROM doc_tags WHERE slug = :tag)"
            params["tag"] = tag_slug(tag)
        with self._lock, self._deadline(parsed, timeout) as deadline:
            table = "pairs" if pairs and not self._unpaired else "search"
            groups = self._groups(parsed)
            if not groups:
                return Results(parsed, 0, Page([], page, 1))
            match = " AND ".join(any_of([term for term, _ in group]) for group in groups)
            if table == "pairs":
                ranking, phrases = self._pair_ranking, self._ranked_pairs(pairs)
            else:
                ranking, phrases = self._ranking, None if self._unpaired else _phrases(groups)
            if phrases is not None:
                total, ids = ranking.top(
                    phrases,
                    now=now.timestamp(),
                    everything=show_drafts,
                    only=None if tag is None else self._tagged(tag_slug(tag)),
                    limit=per_page,
                    offset=(page - 1) * per_page,
                    deadline=deadline,
                )
            else:
                params["match"] = pairs_match(pairs) if table == "pairs" else match
                found = f"FROM {table} JOIN docs ON docs.id = {table}.rowid"
                found += f" WHERE {table} MATCH :match AND {where}"
                (total,) = self._db.execute(f"SELECT count(*) {found}", params).fetchone()
                ids = [
                    doc
                    for (doc,) in self._db.execute(
                        f"SELECT docs.id {found} ORDER BY {_bm25(table)}, docs.date DESC,"
                        " docs.id LIMIT :limit OFFSET :offset",
                        {**params, "limit": per_page, "offset": (page - 1) * per_page},
                    )
                ]
            snippets = self._snippets(match, ids)
            # A hit the snippets' query does not match (none should) keeps its place unmarked.
            hits = [Hit(self._articles[doc], snippets.get(doc, "")) for doc in ids]
        return Results(parsed, total, Page(hits, page, page_count(total, per_page)))

    def _groups(self, query: Query) -> list[list[tuple[Term, list[str]]]] | None:
        """The terms of ``query``, each group of which must match, each term with the FTS5
        terms it makes: a word or phrase alone, a prefix as the terms ``Vocabulary`` reads it as
        (FTS5 would stem it: ``deploy*`` missed "deployment", ``cos*`` found "community"). None
        when a prefix begins no word of the site. A word FTS5 makes nothing of (a letter newer
        than SQLite's Unicode tables) is left out, as FTS5 leaves it out of a phrase: joined by
        AND, it would match nothing."""
        groups = []
        for term in query.terms:
            group = (
                self._vocabulary.prefix(term, complete=not self._unpaired)
                if term.prefix
                else [term]
            )
            if group is None:
                return None
            groups.append(group)
        [tokens] = self._pairs.tokens([tuple(term.text for group in groups for term in group)])
        found = iter(tokens)
        made = [[(term, next(found)) for term in group] for group in groups]
        return [group for group in made if any(terms for _, terms in group)]

    def _ranked_pairs(self, phrases: list[list[str]]) -> list[list[Phrase]] | None:
        """``phrases`` (each as its word pairs) as ``Ranking`` reads them, or None when FTS5 had
        better rank them: a phrase of three words or more (its pairs by their positions), or one
        whose pair fewer than ``RANKED_PAIR_AT`` articles hold (few rows for ``bm25()``). A pair
        more articles hold is handed to the ranking the first time it is asked for."""
        if any(len(pairs) != 1 for pairs in phrases):
            return None
        for [pair] in phrases:
            if self._pair_ranking.holds(pair):
                continue
            found = self._db.execute("SELECT doc FROM pair_counts WHERE term = ?", (pair,))
            if next(found, (0,))[0] < RANKED_PAIR_AT:
                return None
            self._track(pair)
        return [[(pair, False)] for [pair] in phrases]

    def _track(self, pair: str) -> None:
        """Hands ``pair`` to the pairs' ranking, with its hits as FTS5's index holds them."""
        hits = self._db.execute(
            "SELECT doc, col, count(*) FROM pair_hits WHERE term = ? GROUP BY doc, col", (pair,)
        )
        self._pair_ranking.track(pair, ((doc, COLUMNS.index(c), n) for doc, c, n in hits))

    def rank_common_pairs(self, chunk: int = PAIR_TERMS_AT_ONCE) -> int:
        """Hands every word pair ``RANKED_PAIR_AT`` articles or more hold to the pairs' ranking,
        so that no search pays for taking one in (20 to 40 ms each at 10,000 articles), and
        says how many the ranking holds. Once every article has its pairs (a worker's thread
        calls it after ``pair_up``); the pairs' vocabulary is read ``chunk`` pairs at a time,
        each pair taken in under the lock on its own, so searches go on meanwhile."""
        after = ""
        while True:
            with self._lock:
                if self._unpaired:  # an update of many since: the next pairing starts over
                    return self.ranked_pairs
                common = self._db.execute(
                    "SELECT term, doc FROM pair_counts WHERE term > ? ORDER BY term LIMIT ?",
                    (after, chunk),
                ).fetchall()
            if not common:
                return self.ranked_pairs
            after = common[-1][0]
            for pair, count in common:
                with self._lock:
                    if self._unpaired:
                        return self.ranked_pairs
                    if count >= RANKED_PAIR_AT and not self._pair_ranking.holds(pair):
                        self._track(pair)

    @property
    def ranked_pairs(self) -> int:
        """How many word pairs the pairs' ranking holds."""
        return self._pair_ranking.tracked

    def _tagged(self, slug: str) -> set[int]:
        return {
            doc for (doc,) in self._db.execute("SELECT doc FROM doc_tags WHERE slug = ?", (slug,))
        }

    @contextmanager
    def _deadline(self, query: Query, seconds: float | None) -> Iterator[float | None]:
        """Stops the statements run inside once ``seconds`` have passed, and ``Ranking`` given
        the deadline it yields (``time.monotonic``): ``SearchTimeout``."""
        if seconds is None:
            yield None
            return
        deadline = time.monotonic() + seconds
        self._db.set_progress_handler(lambda: time.monotonic() > deadline, CLOCK_STEPS)
        try:
            yield deadline
        except TimeoutError as error:
            raise SearchTimeout(query, seconds) from error
        except sqlite3.OperationalError as error:
            if error.sqlite_errorname == "SQLITE_INTERRUPT":
                raise SearchTimeout(query, seconds) from error
            raise
        finally:
            self._db.set_progress_handler(None, 0)

    def _snippets(self, match: str, ids: list[int]) -> dict[int, str]:
        """Each article's snippet of ``match``: only for the page's hits, not for every match."""
        if not ids:
            return {}
        rows = self._db.execute(
            f"SELECT rowid, snippet(search, 2, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS})"
            f" FROM search WHERE search MATCH ? AND rowid IN ({', '.join('?' * len(ids))})",
            [match, *ids],
        )
        return {doc: marked(snippet) for doc, snippet in rows}

    def tag_counts(self, tags: Iterable[str], *, now: datetime) -> tuple[int, dict[str, int]]:
        """(articles public at ``now``, how many of them carry each of ``tags``, URL slugs)."""
        with self._lock:
            (total,) = self._db.execute(
                "SELECT count(*) FROM docs WHERE draft = 0 AND date <= ?", (now.timestamp(),)
            ).fetchone()
            counts = self._db.execute(
                "SELECT doc_tags.slug, count(*) FROM doc_tags JOIN docs ON docs.id = doc_tags.doc"
                " WHERE docs.draft = 0 AND docs.date <= ? AND doc_tags.slug IN"
                " (SELECT value FROM json_each(?)) GROUP BY doc_tags.slug",
                (now.timestamp(), json.dumps(list(tags))),
            ).fetchall()
        return total, dict(counts)

    def neighbours(
        self,
        slug: str,
        *,
        tag_weights: Mapping[str, float],
        words: Sequence[str],
        now: datetime,
        limit: int,
    ) -> list[Article]:
        """Up to ``limit`` articles public at ``now``, never ``slug``'s: those whose tags weigh
        most in ``tag_weights`` (tag URL slug -> weight, summed over shared tags) first, then
        those whose text best matches any of the ``SIMILAR_WORDS`` of ``words`` (runs of
        letters and digits) that the fewest articles hold (bm25, as ``search``), then the
        newest."""
        with self._lock:
            telling = self._telling(words)
            if not telling:
                terms, similar = "", "SELECT NULL AS doc, NULL AS closeness WHERE 0"
            elif self._unpaired:
                terms = any_of([Term(word) for word in telling.values()])
                similar = (
                    f"SELECT rowid AS doc, {_bm25('search')} AS closeness"
                    f" FROM search WHERE search MATCH :terms ORDER BY closeness"
                    f" LIMIT {SIMILAR_CANDIDATES}"
                )
            else:  # the same, ranked by ``Ranking``
                best = self._ranking.best([[(term, False) for term in telling]], SIMILAR_CANDIDATES)
                terms = json.dumps(best)
                # An integer doc, which SQLite will index for the join below: a scan was 50 ms.
                similar = (
                    "SELECT CAST(json_extract(value, '$[0]') AS INTEGER) AS doc,"
                    " json_extract(value, '$[1]') AS closeness FROM json_each(:terms)"
                )
            ids = self._db.execute(
                "WITH weights AS (SELECT key AS slug, value AS weight FROM json_each(:weights)),"
                " tagged AS (SELECT doc, sum(weight) AS score FROM doc_tags"
                "   JOIN weights USING (slug) GROUP BY doc),"
                f" similar AS MATERIALIZED ({similar})"
                " SELECT docs.id FROM docs"
                " LEFT JOIN tagged ON tagged.doc = docs.id"
                " LEFT JOIN similar ON similar.doc = docs.id"
                " WHERE (tagged.doc IS NOT NULL OR similar.doc IS NOT NULL)"
                "   AND docs.slug != :slug AND docs.draft = 0 AND docs.date <= :now"
                " ORDER BY coalesce(tagged.score, 0) DESC, coalesce(similar.closeness, 0),"
                "   docs.date DESC, docs.id LIMIT :limit",
                {
                    "weights": json.dumps(dict(tag_weights)),
                    "terms": terms,
                    "slug": slug,
                    "now": now.timestamp(),
                    "limit": limit,
                },
            ).fetchall()
            return [self._articles[doc] for (doc,) in ids]

    def _telling(self, words: Sequence[str]) -> dict[str, str]:
        """The ``SIMILAR_WORDS`` of ``words`` held by the fewest articles, one per term (term ->
        word): bm25 weighs a word by its rarity (one in over half the articles adds nothing),
        and a title's small words ("why", "the", "are") came first and crowded out what it is
        about."""
        unique = list({fold(word): word for word in words}.values())
        found = zip(unique, terms_of(self._pairs, unique), strict=True)
        by_term = {term: word for word, term in found if term}
        if self._unpaired:  # counted by FTS5, and kept until the next change
            for term, word in by_term.items():
                if term not in self._spread:
                    (self._spread[term],) = self._db.execute(
                        "SELECT count(*) FROM search WHERE search MATCH ?", (Term(word).fts(),)
                    ).fetchone()
        spread = self._spread.__getitem__ if self._unpaired else self._ranking.holding
        rarest = sorted(by_term, key=spread)[:SIMILAR_WORDS]
        return {term: by_term[term] for term in rarest}

    def size(self) -> int:
        """Bytes the index takes (text, FTS5 index, tables), in memory or on disk."""
        with self._lock:
            (pages,) = self._db.execute("PRAGMA page_count").fetchone()
            (page_size,) = self._db.execute("PRAGMA page_size").fetchone()
        return pages * page_size

    def close(self) -> None:
        with self._lock:
            self._db.close()
        self._pairs.close()


def marked(snippet: str) -> str:
    """``snippet`` (text with matches between the marker characters) as HTML: the text escaped,
    each match in ``<mark>``, every ``<mark>`` closed; no other element, whatever the text held."""
    inside = False

    def swap(marker: re.Match[str]) -> str:
        nonlocal inside
        opens = marker[0] == _OPEN
        if opens == inside:  # a stray marker: one cut off at the snippet's edge
            return ""
        inside = opens
        return "<mark>" if opens else "</mark>"

    escaped = _MARKER.sub(swap, html.escape(snippet, quote=True))
    return escaped + "</mark>" if inside else escaped


def searchable_text(article: Article) -> str:
    """The text of ``article`` that search finds words in: its summary when the author wrote
    one, then its body made plain, on one line."""
    text = plain_text(article.body)
    return one_line(article.summary) + " " + text if article.summary else text


def _phrases(groups: list[list[tuple[Term, list[str]]]]) -> list[list[Phrase]] | None:
    """``groups`` as ``Ranking`` reads them, or None when a term makes more than one FTS5 term
    (a phrase, ``open-source``): those need positions, which only FTS5 keeps."""
    if any(len(terms) != 1 for group in groups for _, terms in group):
        return None
    return [[(terms[0], term.prefix) for term, terms in group] for group in groups]


def _row(article: Article) -> tuple[str, str, str]:
    """The (title, tags, text) columns of ``article``: plain text on one line each."""
    return one_line(article.title), one_line(" ".join(article.tags)), searchable_text(article)
