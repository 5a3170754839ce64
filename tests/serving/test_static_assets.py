"""Static files: content-hashed URLs cached for a year, gzip and brotli made once per build."""

import gzip
import importlib.metadata
import inspect
import os
import pwd
import re
import shutil
import stat
from urllib.parse import urljoin

import brotli
import pytest
import whitenoise.responders
from flask import Flask
from whitenoise import WhiteNoise

from app import create_app
from extensions import static_build
from serving import static_assets
from tests.support.pages import soup
from tests.support.site import REFERENCE_SLUG, ROOT

STATIC = ROOT / "static"
IMMUTABLE = "max-age=31536000, public, immutable"
IMPORT_RE = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}/[^"']+)["']""")
DIAGRAM_PAGE = "/insights/how-a-request-reaches-the-model/"


def asset_urls(client, page: str) -> list[str]:
    html = soup(client.get(page))
    found = [tag.get("href") or tag.get("src") for tag in html.select("link[href], script[src]")]
    return [url for url in found if url.startswith("/static/")]


def build_id(app: Flask) -> str:
    return static_build(app).id


def test_pages_link_assets_under_the_build_and_they_are_cached_for_a_year(app, client):
    urls = asset_urls(client, f"/insights/{REFERENCE_SLUG}/")
    assert urls and all(url.startswith(f"/static/{build_id(app)}/") for url in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE
        relative = url.removeprefix(f"/static/{build_id(app)}/")
        assert response.data == (STATIC / relative).read_bytes()
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unversioned_static_urls_still_work_with_a_short_max_age(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=60, public"
    assert response.data == (STATIC / "css/site.css").read_bytes()


def test_module_scripts_are_served_as_javascript(app, client):
    url = f"/static/{build_id(app)}/vendor/mermaid/mermaid.esm.min.mjs"
    assert client.get(url).headers["Content-Type"].startswith("text/javascript")


def test_mermaid_and_every_chunk_it_imports_resolve_under_the_hashed_url(app, client):
    diagrams = next(u for u in asset_urls(client, DIAGRAM_PAGE) if u.endswith("diagrams.js"))
    source = client.get(diagrams).get_data(as_text=True)
    entry = re.search(r'new URL\("([^"]+)", import\.meta\.url\)', source).group(1)
    queue, seen = [urljoin(diagrams, entry)], set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        queue.extend(urljoin(url, found) for found in IMPORT_RE.findall(text))
    assert len(seen) > 20  # the entry, its static imports and the lazily imported diagram kinds
    assert all(url.startswith(f"/static/{build_id(app)}/vendor/mermaid/") for url in seen)


@pytest.mark.parametrize(
    ("coding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)]
)
def test_static_files_come_precompressed_with_one_etag_per_coding(app, client, coding, decode):
    url = f"/static/{build_id(app)}/vendor/chartjs/chart.umd.min.js"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": coding})
    assert packed.headers["Content-Encoding"] == coding
    assert decode(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) // 2
    assert packed.headers["Vary"] == plain.headers["Vary"] == "Accept-Encoding"
    tag = packed.headers["ETag"]
    assert tag != plain.headers["ETag"]
    headers = {"Accept-Encoding": coding, "If-None-Match": tag}
    assert client.get(url, headers=headers).status_code == 304
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 200
    refused = client.get(url, headers={"Accept-Encoding": f"{coding};q=0"})
    assert "Content-Encoding" not in refused.headers


def test_head_and_other_methods(app, client):
    url = f"/static/{build_id(app)}/css/site.css"
    head = client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == str((STATIC / "css/site.css").stat().st_size)
    for refused in (client.post(url), client.options(url), client.delete("/static/css/site.css")):
        assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD"
        assert refused.headers["X-Content-Type-Options"] == "nosniff"  # as every answer has
        assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path", ["{build}/../app.py", "{build}/../../app.py", "../app.py", "{build}", "nothing.css",
             "0123456789ab/css/site.css"],
)  # fmt: skip
def test_only_files_of_the_current_build_are_served(app, client, path):
    assert client.get("/static/" + path.format(build=build_id(app))).status_code == 404


def test_any_change_to_any_static_file_gives_new_urls(tmp_path):
    root = tmp_path / "static"
    shutil.copytree(STATIC / "css", root / "css")
    first = static_assets.build(root, tmp_path / "cache")
    (root / "css/pygments.css").write_bytes(b"changed")
    second = static_assets.build(root, tmp_path / "cache")
    assert first.id != second.id
    assert re.fullmatch(r"[0-9a-f]{12}", second.id)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted([first.id, second.id])


def test_a_build_holds_each_file_as_hashed_with_its_compressed_forms_made_once(tmp_path):
    source = tmp_path / "static"
    shutil.copytree(STATIC / "css", source / "css")
    first = static_assets.build(source, tmp_path / "cache")
    assert first.root == tmp_path / "cache" / first.id
    written = {p: p.stat().st_mtime_ns for p in first.root.rglob("*") if p.is_file()}
    assert {p.relative_to(first.root).as_posix() for p in written} >= {
        "css/site.css", "css/site.css.gz", "css/site.css.br", "css/pygments.css"
    }  # fmt: skip
    assert (first.root / "css/site.css").read_bytes() == (STATIC / "css/site.css").read_bytes()
    assert (
        brotli.decompress((first.root / "css/site.css.br").read_bytes())
        == (STATIC / "css/site.css").read_bytes()
    )
    again = static_assets.build(source, tmp_path / "cache")
    assert again == first
    assert {p: p.stat().st_mtime_ns for p in written} == written
    (first.root / "css/site.css").unlink()  # a temp-file sweeper took a file: build again
    assert static_assets.build(source, tmp_path / "cache") == first
    assert (first.root / "css/site.css").read_bytes() == (STATIC / "css/site.css").read_bytes()


def test_an_unwritable_cache_dir_means_uncompressed_not_broken(content_dir, tmp_path, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache dir should be")
    app = create_app({"CONTENT_DIR": str(content_dir), "STATIC_CACHE_DIR": str(blocker / "x")})
    assert "static files go uncompressed" in caplog.text
    client = app.test_client()
    response = client.get(
        f"/static/{build_id(app)}/css/site.css", headers={"Accept-Encoding": "br"}
    )
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert response.data == (STATIC / "css/site.css").read_bytes()


def test_a_compressed_form_swept_away_falls_back_to_the_file(app, content_dir, tmp_path):
    shared = static_build(app).root
    shutil.copytree(shared, tmp_path / shared.name)  # a private copy of the build
    app = create_app({"CONTENT_DIR": str(content_dir), "STATIC_CACHE_DIR": str(tmp_path)})
    build = static_build(app)
    assert build.root == tmp_path / build.id
    (build.root / "css/site.css.br").unlink()
    response = app.test_client().get(
        f"/static/{build.id}/css/site.css", headers={"Accept-Encoding": "br"}
    )
    assert response.status_code == 200
    assert response.data == (STATIC / "css/site.css").read_bytes()


def test_a_file_planted_in_a_reused_build_is_not_served(content_dir, tmp_path):
    config = {"CONTENT_DIR": str(content_dir), "STATIC_CACHE_DIR": str(tmp_path / "cache")}
    build = static_build(create_app(config))
    theme = build.root / "js/theme.js"
    for path in (theme, theme.with_name("theme.js.gz"), theme.with_name("theme.js.br")):
        path.write_bytes(b"planted")
    (build.root / "js/extra.js").write_bytes(b"planted")
    client = create_app(config).test_client()
    genuine = (STATIC / "js/theme.js").read_bytes()
    url = f"/static/{build.id}/js/theme.js"
    for coding, decode in [
        ("identity", bytes),
        ("gzip", gzip.decompress),
        ("br", brotli.decompress),
    ]:
        response = client.get(url, headers={"Accept-Encoding": coding})
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert decode(response.data) == genuine, coding
    assert client.get(f"/static/{build.id}/js/extra.js").status_code == 404
    assert not (build.root / "js/extra.js").exists()


def test_a_new_cache_dir_is_private(content_dir, tmp_path):
    cache = tmp_path / "new" / "cache"
    create_app({"CONTENT_DIR": str(content_dir), "STATIC_CACHE_DIR": str(cache)})
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_a_cache_dir_others_can_write_to_is_refused(content_dir, tmp_path, mode):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(mode)
    with pytest.raises(static_assets.UnsafeCacheDir, match=f"{cache}: others can write to it"):
        create_app({"CONTENT_DIR": str(content_dir), "STATIC_CACHE_DIR": str(cache)})


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory away takes root")
def test_a_cache_dir_owned_by_another_user_is_refused(content_dir, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.chown(cache, 65534, 65534)
    owner = pwd.getpwuid(65534).pw_name
    with pytest.raises(static_assets.UnsafeCacheDir, match=f"{cache}: it belongs to {owner}"):
        create_app({"CONTENT_DIR": str(content_dir), "STATIC_CACHE_DIR": str(cache)})


def test_failed_preconditions_on_a_static_file_answer_412_with_an_empty_body(app, client):
    url = f"/static/{build_id(app)}/css/site.css"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    long_ago = "Mon, 01 Jan 1990 00:00:00 GMT"
    for headers in ({"If-Match": '"nope"'}, {"If-Unmodified-Since": long_ago}):
        failed = client.get(url, headers={"Accept-Encoding": "gzip", **headers})
        assert (failed.status_code, failed.data) == (412, b""), headers
        assert "Cache-Control" not in failed.headers and failed.headers["Content-Length"] == "0"
    matched = {"Accept-Encoding": "gzip", "If-Match": first.headers["ETag"]}
    assert client.get(url, headers=matched).data == first.data
    assert client.get(url, headers={"If-Match": first.headers["ETag"]}).status_code == 412


# What serving/static_assets.py builds on and WhiteNoise does not promise to keep: StaticFiles
# overrides get_static_file (WhiteNoise calls it for each file, with stat_cache) and calls
# add_mime_headers and add_cache_headers; its responders are handed to serve(), which calls
# get_response(method, environ) and reads Response's status, headers and file.
WHITENOISE_INTERNALS = {
    "WhiteNoise.get_static_file": (
        WhiteNoise.get_static_file, "(self, path, url, stat_cache=None)"
    ),
    "WhiteNoise.add_mime_headers": (WhiteNoise.add_mime_headers, "(self, headers, path, url)"),
    "WhiteNoise.add_cache_headers": (WhiteNoise.add_cache_headers, "(self, headers, path, url)"),
    "WhiteNoise.add_file_to_dictionary": (
        WhiteNoise.add_file_to_dictionary, "(self, url, path, stat_cache=None)"
    ),
    "WhiteNoise.serve": (WhiteNoise.serve, "(static_file, environ, start_response)"),
    "whitenoise.responders.Response": (whitenoise.responders.Response, "(status, headers, file)"),
    "whitenoise.responders.StaticFile.get_response": (
        whitenoise.responders.StaticFile.get_response, "(self, method, request_headers)"
    ),
}  # fmt: skip


def test_the_whitenoise_internals_static_files_override_are_as_tested():
    """When this fails, WhiteNoise changed what static_assets.py overrides: read the new code,
    adapt StaticFiles and _Asset, then widen the pin in pyproject.toml."""
    changed = [
        f"{name} is now {inspect.signature(found)}, was {signature}"
        for name, (found, signature) in WHITENOISE_INTERNALS.items()
        if str(inspect.signature(found)) != signature
    ]
    if whitenoise.responders.Response.__slots__ != ("status", "headers", "file"):
        changed.append(f"Response holds {whitenoise.responders.Response.__slots__}")
    installed = importlib.metadata.version("whitenoise")
    assert not changed, f"WhiteNoise {installed} changed its internals: " + "; ".join(changed)


def test_every_static_file_is_served_by_our_own_responder(tmp_path):
    """WhiteNoise still sends each file it finds through the overridden get_static_file."""
    shutil.copytree(STATIC / "css", tmp_path / "static/css")
    static = static_assets.build(tmp_path / "static", tmp_path / "cache")
    served = static_assets.StaticFiles(lambda environ, start_response: [], static, 60, {})
    assert set(served.files) == {
        f"{prefix}css/{path.name}"
        for prefix in (f"/static/{static.id}/", "/static/")
        for path in (STATIC / "css").iterdir()
    }
    assert all(isinstance(found, static_assets._Asset) for found in served.files.values())
