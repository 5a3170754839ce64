"""gzip and brotli: chosen by Accept-Encoding, compressed once per cached entry, one ETag each."""

import gzip

import brotli
import pytest

from serving import variants
from tests.support.site import REFERENCE_SLUG

ARTICLE = f"/insights/{REFERENCE_SLUG}/"
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", ()),
        ("gzip", ("gzip",)),
        ("gzip, deflate, br", ("br", "gzip")),
        ("GZIP", ("gzip",)),
        ("br;q=0, gzip", ("gzip",)),
        ("gzip;q=0", ()),
        ("gzip; q=0.000", ()),
        ("gzip;q=0.5, br;q=0.4", ("gzip", "br")),
        ("br;q=0.8, gzip;q=0.8", ("br", "gzip")),
        ("*", ("br", "gzip")),
        ("*;q=0", ()),
        ("*, br;q=0", ("gzip",)),
        ("gzip;q=0, *;q=0.5", ("br",)),
        ("identity", ()),
        ("deflate", ()),
        ("gzip;q=abc, br", ("br",)),  # a q-value that cannot be read: that element is ignored
        ("gzip;q=1.5", ()),
        (" , ;, gzip ;q=1 ", ("gzip",)),
    ],
)
def test_accept_encoding_is_parsed_with_its_q_values(header, expected):
    assert variants.accepted_codings(header) == expected


@pytest.mark.parametrize(
    ("header", "coding"),
    [("gzip", "gzip"), ("gzip, br", "br"), ("br;q=0, gzip", "gzip"), ("gzip;q=0", None),
     ("identity", None), ("", None)],
)  # fmt: skip
def test_pages_are_sent_in_the_best_coding_the_client_accepts(client, header, coding):
    plain = client.get(ARTICLE)
    response = client.get(ARTICLE, headers={"Accept-Encoding": header})
    assert response.headers.get("Content-Encoding") == coding
    body = DECODE[coding](response.data) if coding else response.data
    assert body == plain.data
    assert response.headers["Vary"] == "Accept-Encoding"
    assert int(response.headers["Content-Length"]) == len(response.data)
    suffix = {"gzip": "-gz", "br": "-br", None: ""}[coding]
    assert response.headers["ETag"] == plain.headers["ETag"][:-1] + suffix + '"'


def test_each_coding_revalidates_only_its_own_etag(client):
    gz = client.get(ARTICLE, headers={"Accept-Encoding": "gzip"})
    plain_etag = client.get(ARTICLE).headers["ETag"]
    tag = gz.headers["ETag"]
    assert tag != plain_etag
    again = client.get(ARTICLE, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag
    assert again.headers["Vary"] == "Accept-Encoding"
    # A client that takes no gzip must never be told that the gzip bytes it names are fresh.
    identity = client.get(ARTICLE, headers={"If-None-Match": tag})
    assert identity.status_code == 200 and "Content-Encoding" not in identity.headers
    brotli_client = client.get(ARTICLE, headers={"Accept-Encoding": "br", "If-None-Match": tag})
    assert brotli_client.status_code == 200
    assert brotli_client.headers["Content-Encoding"] == "br"


def test_compressed_bytes_are_made_once_per_entry_not_per_request(client, monkeypatch):
    made: list[int] = []
    real = variants.compressed_forms

    def counted(data: bytes, **kwargs):
        made.append(len(data))
        return real(data, **kwargs)

    monkeypatch.setattr(variants, "compressed_forms", counted)
    bodies = {client.get(ARTICLE, headers={"Accept-Encoding": c}).data for c in ("gzip", "br")}
    for _ in range(3):
        client.get(ARTICLE, headers={"Accept-Encoding": "gzip, br"})
    assert len(made) == 1 and len(bodies) == 2


@pytest.mark.parametrize("url", ["/", "/tags/", "/feed.xml", "/atom.xml", "/feed.json"])
def test_lists_and_feeds_are_compressed_too(client, url):
    plain = client.get(url)
    assert plain.status_code == 200
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == plain.data
    assert response.headers["Content-Type"] == plain.headers["Content-Type"]


def test_error_pages_are_sent_as_they_are(client):
    response = client.get("/insights/no-such/", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 404
    assert "Content-Encoding" not in response.headers
