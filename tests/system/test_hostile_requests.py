"""Hostile and malformed requests get a 4xx page, never a 500 and never a file outside static/."""

import socket

import pytest

from harness.servers import gunicorn
from tests.support.site import REFERENCE_SLUG

SECRETS = (b"create_app", b"[core]", b"title: Why Open-Source", b"import ", b"SECRET")

HOSTILE = [
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/static/%252e%252e/app.py",
    "/static/..%2fapp.py",
    "/static/..%252fapp.py",
    "/static/%2e%2e%2f%2e%2e%2fetc/passwd",
    "/static/....//app.py",
    "/static/css/..%5c..%5capp.py",
    "/static/%00",
    "/static/css/site.css%00.py",
    "/insights/%00/",
    "/insights/%ff%fe/",
    "/insights/%c0%ae%c0%ae/",
    "/insights/" + "a" * 5000 + "/",
    "/tags/" + "t" * 5000 + "/",
    "/tags/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
    "/insights/<script>alert(1)</script>/",
    "/app.py",
    "/.git/config",
    "/.git/HEAD",
    "/.env",
    "/content/" + REFERENCE_SLUG + ".md",
    "/insights/" + REFERENCE_SLUG + ".md",
    "/pyproject.toml",
    "/gunicorn.conf.py",
    "/insights/page/-1/",
    "/insights/page/0/",
    "/insights/page/99999999999999999999/",
    "/insights/page/abc/",
    "/insights/page/%00/",
    "/insights/page/1e3/",
    "/insights/page/01/",
    "/tags/ai/page/%ff/",
    "/tags/ai/page/2/",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_get_a_4xx_page_and_no_file(client, url):
    response = client.get(url, follow_redirects=True)  # /insights/x.md -> /insights/x.md/
    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert response.mimetype == "text/html"
    assert not any(secret in response.data for secret in SECRETS)


@pytest.mark.parametrize("host", ["a" * 64 + ".example", "x..y", "." * 300])
@pytest.mark.parametrize("url", ["/", f"/insights/{REFERENCE_SLUG}/", "/healthz", "/nope"])
def test_a_host_header_that_is_no_host_name_is_a_400_not_a_500(client, host, url, caplog):
    response = client.get(url, headers={"Host": host})
    assert response.status_code == 400
    assert b"Host header" in response.data
    assert "Traceback" not in caplog.text


def test_query_strings_with_junk_do_not_break_pages(client):
    response = client.get(f"/insights/{REFERENCE_SLUG}/?x=%00%ff&<script>=1")
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize(
    "url", ["/", f"/insights/{REFERENCE_SLUG}/", "/tags/ai/", "/static/css/site.css"]
)
def test_writes_are_405(client, method, url):
    assert getattr(client, method)(url).status_code == 405


@pytest.mark.parametrize("url", ["/", f"/insights/{REFERENCE_SLUG}/", "/tags/", "/nope"])
def test_head_matches_get_without_a_body(client, url):
    get, head = client.get(url), client.head(url)
    assert head.status_code == get.status_code
    assert head.data == b""
    for name in ("Content-Type", "ETag", "Last-Modified", "Content-Security-Policy"):
        assert head.headers.get(name) == get.headers.get(name), name
    assert int(head.headers["Content-Length"]) == len(get.data)


RAW_TARGETS = [
    b"/static/../app.py",
    b"/static/../../etc/passwd",
    b"/static/%2e%2e/%2e%2e/etc/passwd",
    b"/static/css/../../app.py",
    b"/insights/\xff\xfe/",
    b"/insights/%00/",
    b"/" + b"a" * 3000,
    b"/.git/config",
    b"/.env",
    b"/content/" + REFERENCE_SLUG.encode() + b".md",
]


@pytest.mark.server
def test_raw_hostile_requests_through_gunicorn_get_4xx():
    with gunicorn({"INSIGHTS_SITE_URL": "http://example.test"}, workers=1) as base:
        host, port = base.removeprefix("http://").split(":")
        for target in [*RAW_TARGETS, b"/" + b"b" * 9000]:
            with socket.create_connection((host, int(port)), timeout=10) as sock:
                sock.sendall(
                    b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
            status = int(answer.split(b" ", 2)[1])
            assert 400 <= status < 500, (target[:80], status)
            assert not any(secret in answer for secret in SECRETS), target[:80]
