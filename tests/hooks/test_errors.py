import logging

import pytest

from blueprints import site
from tests.support.pages import asset, soup, text
from tests.support.site import REFERENCE_SLUG


def test_an_unknown_page_is_a_404_page_in_the_site_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = soup(response)
    assert text(page.select_one("h1")) == "Not Found"
    assert page.select_one("a.skip-link") and page.select_one(".site-header")
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"


def test_a_wrong_method_is_a_405_page_that_says_what_is_allowed(client):
    response = client.post("/insights/")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert text(soup(response).select_one("h1")) == "Method Not Allowed"
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(f"/insights/{REFERENCE_SLUG}/").status_code == 405


def test_a_fault_is_a_500_page_that_shows_no_traceback(app, monkeypatch, caplog):
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(site, "card", broken)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get(f"/insights/{REFERENCE_SLUG}/")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "secret internal detail" not in body
    assert text(soup(response).select_one("h1")) == "Internal Server Error"
    assert any("secret internal detail" in (r.exc_text or "") for r in caplog.records)


@pytest.mark.parametrize("url", ["/insights/", "/tags/", "/no-such"])
def test_error_and_normal_pages_share_the_layout(client, url):
    page = soup(client.get(url))
    stylesheets = [asset(link["href"]) for link in page.select('link[rel="stylesheet"]')]
    assert "css/site.css" in stylesheets
    assert page.select_one("footer.site-footer")
