import pytest

from app import create_app
from tests.conftest import REFERENCE_SLUG

PAGES = [
    "/",
    "/tags/",
    f"/insights/{REFERENCE_SLUG}/",
    "/insights/reading-the-latency-budget/",
    "/no-such-page",
    "/static/css/site.css",
]


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize("url", PAGES)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = directives(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp["script-src"] and "unsafe-eval" not in str(csp)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_styles_are_strict_except_where_mermaid_must_style_its_svg(client):
    plain = directives(client.get("/insights/reading-the-latency-budget/"))
    assert plain["style-src"] == "'self'"
    diagram = directives(client.get(f"/insights/{REFERENCE_SLUG}/"))
    assert diagram["style-src"] == "'self' 'unsafe-inline'"
    assert diagram["script-src"] == "'self'"


def test_hsts_is_sent_when_the_site_sits_behind_tls(content_dir):
    app = create_app({"CONTENT_DIR": str(content_dir), "HSTS_SECONDS": 31536000})
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
