import pytest

from app import create_app
from tests.support.pages import soup
from tests.support.site import REFERENCE_SLUG

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


def test_pages_carry_their_policy_in_a_meta_element_too(client):
    for url, styles in (
        (f"/insights/{REFERENCE_SLUG}/", "'self' 'unsafe-inline'"),
        ("/", "'self'"),
    ):
        page = soup(client.get(url))
        meta = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        policy = dict(part.strip().split(" ", 1) for part in meta.split(";"))
        assert policy["style-src"] == styles and policy["script-src"] == "'self'"
        assert "frame-ancestors" not in policy  # ignored (and warned about) in a <meta>


def test_a_diagram_page_does_not_loosen_later_pages_in_one_app_context(app):
    # flask export makes all its requests inside the command's application context.
    client = app.test_client()
    with app.app_context():
        client.get(f"/insights/{REFERENCE_SLUG}/")
        later = client.get("/insights/reading-the-latency-budget/")
    assert directives(later)["style-src"] == "'self'"
