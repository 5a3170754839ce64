"""The application factory.

Run with ``flask --app app run`` or ``gunicorn -c gunicorn.conf.py 'app:create_app()'``.
"""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from blueprints import commands, errors, feeds, security, site, templating
from insights.library import Library
from insights.rendering import cache
from insights.settings import DEFAULTS


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(prefix="INSIGHTS")
    if test_config is not None:
        app.config.from_mapping(test_config)

    cache.init_app(app)
    app.extensions["insights.library"] = Library.from_config(app.config)

    app.register_blueprint(site.bp)
    app.register_blueprint(commands.bp)
    app.register_blueprint(feeds.bp)
    errors.register(app)
    security.register(app)
    templating.register(app)
    return app
