"""What list pages, article headers and feeds show of an article: its rendering and reading
time."""

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
