"""The application factory.

Run with ``flask --app app run`` or ``gunicorn -c gunicorn.conf.py 'app:create_app()'``.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

import hooks
from blueprints import commands, feeds, health, site, sitemaps
from hooks import security
from publishing.library import Library
from publishing.rendering import cache
from serving import static_assets
from serving.hosts import AllowedHosts, allowed_hosts
from serving.response_cache import ResponseCache
from settings import DEFAULTS, cache_settings, static_cache_dir, typed


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(prefix="INSIGHTS")
    if test_config is not None:
        app.config.from_mapping(test_config)
    typed(app.config)

    cache.init_app(app, cache_settings(app.config))
    library = app.extensions["insights.library"] = Library.from_config(app.config)
    static = app.extensions["insights.static"] = static_assets.build(
        Path(app.static_folder), static_cache_dir(app.config)
    )

    for blueprint in (site.bp, feeds.bp, sitemaps.bp, health.bp, commands.bp):
        app.register_blueprint(blueprint)
    hooks.register(app)

    if cache_bytes := int(app.config["RESPONSE_CACHE_BYTES"]):

        def content_state() -> tuple:
            return library.state(), app.config["SHOW_DRAFTS"]

        app.wsgi_app = ResponseCache(
            app.wsgi_app, content_state, cache_bytes, vary_on_host=not app.config["SITE_URL"]
        )
    headers = security.security_headers(int(app.config["HSTS_SECONDS"]))
    app.wsgi_app = static_assets.StaticFiles(
        app.wsgi_app, static, int(app.config["PAGE_MAX_AGE"]), headers
    )
    hosts = allowed_hosts(app.config["ALLOWED_HOSTS"], app.config["SITE_URL"])
    if hosts is not None:
        app.wsgi_app = AllowedHosts(app.wsgi_app, hosts, headers.items())
    return app
