"""The app's singletons and how views, commands and hooks reach them, as the Flask tutorial's
``get_db()`` does: ``settings()``, ``library()``, ``renderer()``, ``static_build()``,
``search_index()``, ``share_images()``.

``create_app`` makes each once and ``install``s them on the app. Inside a request or a command
the accessors find them through ``current_app``; elsewhere (gunicorn's hooks, tests) pass the
app: ``library(app)``.
"""

from dataclasses import dataclass

from flask import Flask, current_app

from publishing.library import Library, Snapshot
from publishing.live_index import LiveIndex
from publishing.render_cache import Renderer
from publishing.search_index import SearchIndex
from publishing.share_images import ShareImages
from serving.static_assets import StaticBuild
from settings import Settings

_KEY = "insights"


@dataclass(frozen=True)
class Singletons:
    settings: Settings
    library: Library
    renderer: Renderer
    static_build: StaticBuild
    search: LiveIndex
    share: ShareImages


def install(app: Flask, singletons: Singletons) -> None:
    app.extensions[_KEY] = singletons


def _of(app: Flask | None) -> Singletons:
    return (app or current_app).extensions[_KEY]


def settings(app: Flask | None = None) -> Settings:
    return _of(app).settings


def library(app: Flask | None = None) -> Library:
    """The index of the content directory; its ``snapshot()`` is what a request shows."""
    return _of(app).library


def renderer(app: Flask | None = None) -> Renderer:
    """Renders articles under the render budget, through the render cache."""
    return _of(app).renderer


def static_build(app: Flask | None = None) -> StaticBuild:
    """The hashed build of ``static/`` that pages link to."""
    return _of(app).static_build


def share_images(app: Flask | None = None) -> ShareImages:
    """Articles' covers, measured once per version, and their share cards, kept on disk."""
    return _of(app).share


def ready_search_index(snapshot: Snapshot, app: Flask | None = None) -> SearchIndex | None:
    """This worker's index level with ``snapshot``, or None while its first build runs."""
    return _of(app).search.if_ready(snapshot)


def search_index(snapshot: Snapshot, app: Flask | None = None) -> SearchIndex:
    """This worker's full-text index, holding exactly ``snapshot``'s articles (built in each
    process on first use, brought level with a newer snapshot on the next)."""
    return _of(app).search.current(snapshot)
