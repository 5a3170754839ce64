"""The articles to read next after one: those sharing its rarest tags, then the closest in words.

A shared tag weighs ``log(1 + N / n)``, N the public articles and n those carrying the tag: a tag
on a handful of articles says more about a reader's interest than one on half the site, and a tag
on every article still counts a little. Among articles whose shared tags weigh the same (or none),
the search index's bm25 match of the rarest words of the article's title and summary decides,
then the newest. Only public articles are ever proposed, never the article itself, whatever the
preview setting: a related link is a way onward for readers.
"""

import math
import re
from datetime import datetime

from publishing.article import Article
from publishing.search_index import SearchIndex

_WORD = re.compile(r"[^\W_]{3,}")  # shorter words ("AI" aside, which tags catch) match too much


def related(
    article: Article, index: SearchIndex, *, now: datetime, limit: int = 3
) -> list[Article]:
    """Up to ``limit`` public articles related to ``article``, the most related first."""
    public, counts = index.tag_counts(article.tag_slugs, now=now)
    weights = {tag: math.log(1 + public / count) for tag, count in counts.items()}
    words = _WORD.findall(f"{article.title} {article.summary or ''}")
    return index.neighbours(article.slug, tag_weights=weights, words=words, now=now, limit=limit)
