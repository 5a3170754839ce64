"""What a list entry shows of an article: its rendering, reading time and summary."""

from dataclasses import replace

from cachelib import SimpleCache

from extensions import library
from publishing.cards import card
from publishing.render_cache import Renderer
from tests.support.site import REFERENCE_SLUG


def reference(app):
    return next(a for a in library(app).snapshot().articles if a.slug == REFERENCE_SLUG)


def test_a_card_holds_the_rendering_and_the_reading_time_at_the_given_speed(app):
    article, renderer = reference(app), Renderer(SimpleCache(), 3)
    slow, fast = card(article, renderer, 50), card(article, renderer, 2000)
    assert slow.rendered == fast.rendered
    assert slow.rendered.words > 0
    assert slow.minutes > fast.minutes >= 1


def test_the_summary_is_the_authors_or_else_the_first_paragraph(app):
    article, renderer = reference(app), Renderer(SimpleCache(), 3)
    assert card(replace(article, summary="Mine."), renderer, 220).summary == "Mine."
    first = card(replace(article, summary=""), renderer, 220)
    assert first.summary == first.rendered.first_paragraph != ""
