"""What list pages, article headers and feeds show of an article: its rendering and reading
time."""

from collections.abc import Iterable
from dataclasses import dataclass

from publishing.article import Article
from publishing.render_cache import Renderer
from publishing.rendering import Rendered
from publishing.text import reading_minutes


@dataclass(frozen=True)
class Card:
    """An article with the facts its list entry and its page header need."""

    article: Article
    rendered: Rendered
    minutes: int

    @property
    def summary(self) -> str:
        return self.article.summary or self.rendered.first_paragraph


def card(article: Article, renderer: Renderer, words_per_minute: int) -> Card:
    rendered = renderer.render(article)
    return Card(article, rendered, reading_minutes(rendered.words, words_per_minute))


def lasting(cards: Iterable[Card]) -> bool:
    """Whether a page made of ``cards`` will be the same for the next visitor: not when one's
    rendering failed for a fault of this process (a render child that died), which the next
    request renders again. Such a page must not be kept by the response cache."""
    return not any(card.rendered.transient for card in cards)
