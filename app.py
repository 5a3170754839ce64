"""The application factory.

Run with ``flask --app app run`` or ``gunicorn -c gunicorn.conf.py 'app:create_app()'``.
"""

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_caching import Cache

import extensions
import hooks
import settings
from blueprints import (
    bundles,
    commands,
    feeds,
    health,
    live_reload,
    search,
    share_cards,
    site,
    sitemaps,
)
from hooks import security
from publishing.image_variants import ImageVariants
from publishing.library import Clock, Library
from publishing.live_index import LiveIndex
from publishing.render_cache import Renderer
from publishing.share_images import ShareImages
from serving import static_assets
from serving.hosts import AllowedHosts, allowed_hosts
from serving.paths import MergedSlashes
from serving.response_cache import ResponseCache

log = logging.getLogger(__name__)


def _private_folder(folder: Path, what: str, without: str) -> Path | None:
    """``folder``, private like the static builds (a folder another user could write to stops
    the start), or None when it cannot be written: the site then goes
    ``without`` what it would keep there, and says so once."""
    try:
        # The folder holding it too: whoever may write there could swap the folder itself.
        static_assets.private_dir(folder.parent, what)
        static_assets.private_dir(folder, what)
    except OSError as exc:
        log.warning("%s: cannot write %s: %s", without, folder, exc)
        return None
    return folder


def create_app(test_config: Mapping[str, Any] | None = None, clock: Clock = time) -> Flask:
    """The site, configured by the ``INSIGHTS_`` variables and then ``test_config`` (setting
    names such as ``{"PER_PAGE": 5}``, and any Flask or Flask-Caching key). ``clock`` is what
    the site reads the time from (tests pass one they move)."""
    config = settings.load(test_config)
    app = Flask(__name__)
    app.config.from_mapping(settings.other_keys(test_config))

    # Flask-Caching builds the backend (SimpleCache, Redis, …) from every CACHE_* key.
    store = Cache(app, config=config.cache_config(app.config)).cache
    library = Library(
        config.content_dir,
        author=config.author,
        tz=config.timezone,
        rescan_interval=config.rescan_interval,
        max_bytes=config.max_article_bytes,
        quiet_seconds=config.quiet_seconds,
        clock=clock,
    )
    static = static_assets.build(Path(app.static_folder), config.static_cache_dir)
    generated = config.image_cache_dir
    no_variants, no_cards = "images get no smaller variants", "articles get no share cards"
    variants = ImageVariants(
        _private_folder(generated / "variants", "image cache dir", no_variants)
    )
    renderer = Renderer(store, config.render_timeout, variants)
    extensions.install(
        app,
        extensions.Singletons(
            config,
            library,
            renderer,
            static,
            LiveIndex(config.site_language),
            ShareImages(
                Path(app.static_folder),
                _private_folder(generated / "cards", "share card dir", no_cards),
                frozenset(static.digests),
            ),
        ),
    )

    for blueprint in (
        site.bp,
        share_cards.bp,
        bundles.bp,
        search.bp,
        feeds.bp,
        sitemaps.bp,
        health.bp,
        commands.bp,
    ):
        app.register_blueprint(blueprint)
    # Only for an author at the development server: `flask run --debug` sets FLASK_DEBUG
    # before this runs, so app.debug already says so here.
    if app.debug:
        app.register_blueprint(live_reload.bp)
    hooks.register(app)

    if config.response_cache_bytes:

        def content_state() -> tuple:
            return library.state(), config.show_drafts

        app.wsgi_app = ResponseCache(
            app.wsgi_app,
            content_state,
            config.response_cache_bytes,
            vary_on_host=not config.site_url,
            passed=(live_reload.PREFIX,) if app.debug else (),
        )
    headers = security.security_headers(config.hsts_seconds)
    app.wsgi_app = static_assets.StaticFiles(app.wsgi_app, static, config.page_max_age, headers)
    app.wsgi_app = MergedSlashes(app.wsgi_app, headers.items())
    hosts = allowed_hosts(config.allowed_hosts, config.site_url)
    if hosts is not None:
        app.wsgi_app = AllowedHosts(app.wsgi_app, hosts, headers.items())
    return app
