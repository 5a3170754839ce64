"""What the app does around every view: error pages, security headers, template globals,
conditional responses and redirects that stay on the site. ``register`` installs all of it."""

from flask import Flask

from hooks import errors, responses, security, templating


def register(app: Flask) -> None:
    errors.register(app)
    security.register(app)
    templating.register(app)
    app.after_request(responses.redirect_on_site)
