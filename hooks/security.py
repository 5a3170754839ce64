"""Security headers on every response the app sends.

The Content-Security-Policy allows no inline script at all. Styles are 'self' only, except on
pages with a diagram: Mermaid writes a <style> element and style attributes into each SVG it
draws, and CSP cannot tell those from injected ones.
"""

from flask import Flask, Response, request

from extensions import settings

_BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy(inline_styles: bool = False, in_page: bool = False) -> str:
    """The policy for a page; ``in_page`` leaves out what a <meta> element cannot carry."""
    policy = dict(_BASE_POLICY)
    if inline_styles:
        policy["style-src"] = "'self' 'unsafe-inline'"
    if in_page:
        del policy["frame-ancestors"]
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def page_policy() -> str:
    """The policy a page also carries in a <meta> element, so a static export of it keeps it
    when served by a plain file server."""
    return content_security_policy(_inline_styles(), in_page=True)


def security_headers(hsts_seconds: int, inline_styles: bool = False) -> dict[str, str]:
    """The headers for one response; HSTS only when the site is configured to sit behind TLS."""
    headers = {
        "Content-Security-Policy": content_security_policy(inline_styles),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
        "browsing-topics=()",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    if hsts_seconds > 0:
        headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
    return headers


# Kept on the request, not on ``g``: a command such as ``export`` makes many requests inside one
# application context, and ``g`` lives as long as that.
_INLINE_STYLES = "insights.inline_styles"


def allow_inline_styles() -> None:
    """Called by a view whose page holds a diagram."""
    request.environ[_INLINE_STYLES] = True


def _inline_styles() -> bool:
    return bool(request.environ.get(_INLINE_STYLES))


def _add_headers(response: Response) -> Response:
    headers = security_headers(settings().hsts_seconds, _inline_styles())
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    app.after_request(_add_headers)
    app.add_template_global(page_policy)
