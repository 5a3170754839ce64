"""Security headers on every response the app sends.

The Content-Security-Policy allows no inline script at all. Styles are 'self' only, except on
pages with a diagram: Mermaid writes a <style> element and style attributes into each SVG it
draws, and CSP cannot tell those from injected ones.
"""

from flask import Flask, Response, current_app, g

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


def content_security_policy(inline_styles: bool = False) -> str:
    policy = dict(_BASE_POLICY)
    if inline_styles:
        policy["style-src"] = "'self' 'unsafe-inline'"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


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


def allow_inline_styles() -> None:
    """Called by a view whose page holds a diagram."""
    g.inline_styles = True


def _add_headers(response: Response) -> Response:
    headers = security_headers(
        int(current_app.config["HSTS_SECONDS"]), g.get("inline_styles", False)
    )
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    app.after_request(_add_headers)
