"""The nginx configs in deploy/: a micro-caching front for gunicorn, and a server for the export."""

import contextlib
import gzip
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from app import create_app
from extensions import static_build
from harness.http import get
from harness.nginx import nginx
from harness.servers import free_port, gunicorn
from harness.slow_clients import allow_open_files, attack
from hooks.security import security_headers
from publishing.bundles import CONTENT_TYPES
from serving import static_assets
from settings import default_static_cache_dir
from tests.support.bundles import write_bundle
from tests.support.site import REFERENCE_SLUG, ROOT, SITE_URL

pytestmark = pytest.mark.server

ARTICLE = f"/insights/{REFERENCE_SLUG}/"
IMMUTABLE = "public, max-age=31536000, immutable"
LONG_AGO = "Mon, 01 Jan 1990 00:00:00 GMT"
SLOW_CLIENTS = 1000
HEADER_TIMEOUT = 5  # client_header_timeout in deploy/nginx.conf
CONFIGS = ["nginx.conf", "nginx-export.conf"]
NO_BUILD = "0123456789ab"

# A file of every kind a static/ folder holds and the type nginx must name it by: with nosniff a
# browser refuses a font or an image sent as anything else. Files missing from static/ are added
# to a copy of it (authors put covers there: /static/images/gpu.jpg, README).
STATIC_TYPES = {
    "fonts/DejaVuSans.ttf": "font/ttf",
    "fonts/extra.otf": "font/otf",
    "fonts/extra.woff": "font/woff",
    "fonts/extra.woff2": "font/woff2",
    "images/gpu.jpg": "image/jpeg",
    "images/gpu.jpeg": "image/jpeg",
    "images/chart.png": "image/png",
    "images/chart.webp": "image/webp",
    "images/chart.avif": "image/avif",
    "images/spinner.gif": "image/gif",
    "images/icon.ico": "image/x-icon",
    "favicon.svg": "image/svg+xml",
    "css/site.css": "text/css; charset=utf-8",
    "js/theme.js": "text/javascript; charset=utf-8",
    "js/theme.js.map": "application/json",
    "vendor/mermaid/mermaid.esm.min.mjs": "text/javascript; charset=utf-8",
    "fonts/README.md": "text/markdown; charset=utf-8",
    "data/notes.txt": "text/plain; charset=utf-8",
    "data/table.csv": "text/csv; charset=utf-8",
    "data/points.xml": "text/xml; charset=utf-8",
    "data/points.json": "application/json",
    "data/module.wasm": "application/wasm",
    "data/unknown.xyz": "application/octet-stream",
    "fonts/LICENSE": "application/octet-stream",
}


def assert_security_headers(headers, inline_styles: bool = False) -> None:
    """The app's own security headers, to the letter, also on what nginx serves itself (its
    config repeats them: nginx cannot ask the app)."""
    for name, value in security_headers(0, inline_styles).items():
        assert headers[name] == value, name


def test_the_front_serves_pages_static_files_and_304s_and_revalidates(content_dir, tmp_path):
    log = tmp_path / "gunicorn.log"
    env = {"INSIGHTS_CONTENT_DIR": str(content_dir), "INSIGHTS_SITE_URL": SITE_URL}
    builds = default_static_cache_dir()
    with gunicorn(env, workers=1, log=log) as app_url:
        values = {
            "INSIGHTS_UPSTREAM": app_url.removeprefix("http://"),
            "INSIGHTS_STATIC_CACHE_DIR": str(builds),
            "INSIGHTS_NGINX_CACHE": str(tmp_path / "nginx/cache"),
        }
        with nginx("nginx.conf", values, tmp_path / "nginx") as base:
            # A page: from the app, then from the micro-cache, byte for byte.
            status, headers, body = get(base + ARTICLE)
            assert status == 200 and headers["X-Cache"] == "MISS"
            assert body == get(app_url + ARTICLE)[2]
            status, again, cached = get(base + ARTICLE)
            assert (status, again["X-Cache"], cached) == (200, "HIT", body)
            assert again["ETag"] == headers["ETag"]
            assert again["Content-Security-Policy"] == headers["Content-Security-Policy"]

            # A 304 on the app's validators.
            status, _, empty = get(base + ARTICLE, **{"If-None-Match": headers["ETag"]})
            assert (status, empty) == (304, b"")
            status, _, _ = get(base + ARTICLE, **{"If-Modified-Since": headers["Last-Modified"]})
            assert status == 304
            # Failed preconditions, on nginx's copy as in the app (RFC 9110).
            assert get(base + ARTICLE, **{"If-Match": '"nope"'})[0] == 412
            assert get(base + ARTICLE, **{"If-Unmodified-Since": LONG_AGO})[0] == 412
            assert get(base + ARTICLE, **{"If-Match": headers["ETag"]})[0] == 200
            both = {"If-Match": headers["ETag"], "If-Unmodified-Since": LONG_AGO}
            assert get(base + ARTICLE, **both)[0] == 412  # nginx checks both (README)

            # Codings never mix in the cache.
            status, packed, data = get(base + ARTICLE, **{"Accept-Encoding": "gzip"})
            assert packed["Content-Encoding"] == "gzip" and gzip.decompress(data) == body
            assert "Content-Encoding" not in get(base + ARTICLE)[1]
            refused = get(base + ARTICLE, **{"Accept-Encoding": "gzip;q=0"})[1]
            assert "Content-Encoding" not in refused
            # Browsers spell Accept-Encoding in many ways; each coding is one cache entry.
            first = get(base + ARTICLE, **{"Accept-Encoding": "gzip, deflate, br"})[1]
            other = get(base + ARTICLE, **{"Accept-Encoding": "br, gzip, zstd"})[1]
            assert first["Content-Encoding"] == other["Content-Encoding"] == "br"
            assert other["X-Cache"] == "HIT" and other["Vary"] == "Accept-Encoding"

            # A hashed static file: from disk, immutable, its .gz form when asked.
            asset = next(
                line.split('href="')[1].split('"')[0]
                for line in body.decode().splitlines()
                if 'rel="stylesheet"' in line
            )
            status, headers, css = get(base + asset)
            assert status == 200 and headers["Cache-Control"] == IMMUTABLE
            assert_security_headers(headers)
            assert css == (ROOT / "static" / asset.split("/", 3)[3]).read_bytes()
            zipped = get(base + asset, **{"Accept-Encoding": "gzip"})
            assert zipped[1]["Content-Encoding"] == "gzip" and gzip.decompress(zipped[2]) == css
            assert get(base + asset, **{"If-Match": '"nope"'})[0] == 412
            assert get(base + asset, **{"If-Unmodified-Since": LONG_AGO})[0] == 412
            mjs = asset.rsplit("/", 2)[0] + "/vendor/mermaid/mermaid.esm.min.mjs"
            assert get(base + mjs)[1]["Content-Type"].startswith("text/javascript")

            # An expired copy is revalidated with the app's validators (the app answers nginx
            # with a 304) while it is still served; an edit shows within a second or two.
            time.sleep(2.1)  # nginx counts whole seconds: "1s" lasts one to two
            assert get(base + ARTICLE)[1]["X-Cache"] in ("STALE", "UPDATING", "REVALIDATED")
            time.sleep(0.3)
            assert f'"GET {ARTICLE} HTTP/1.1" 304' in log.read_text()
            page = content_dir / f"{REFERENCE_SLUG}.md"
            page.write_text(page.read_text() + "\nEdited behind nginx.\n")
            deadline = time.monotonic() + 5
            while b"Edited behind nginx." not in get(base + ARTICLE)[2]:
                assert time.monotonic() < deadline, "the edit never showed through nginx"
                time.sleep(0.2)


def test_one_address_searching_without_pause_is_slowed_and_no_other_page_is(content_dir, tmp_path):
    env = {"INSIGHTS_CONTENT_DIR": str(content_dir), "INSIGHTS_SITE_URL": SITE_URL}
    with gunicorn(env, workers=1) as app_url:
        values = {
            "INSIGHTS_UPSTREAM": app_url.removeprefix("http://"),
            "INSIGHTS_STATIC_CACHE_DIR": str(default_static_cache_dir()),
            "INSIGHTS_NGINX_CACHE": str(tmp_path / "nginx/cache"),
        }
        with nginx("nginx.conf", values, tmp_path / "nginx") as base:
            # Distinct queries, as a script would send, so the micro-cache answers none.
            statuses = [get(f"{base}/search/?q=open+{n}")[0] for n in range(40)]
            assert statuses[:20] == [200] * 20  # a burst of twenty is let through
            assert statuses.count(429) >= 10
            assert [get(base + path)[0] for path in (ARTICLE, "/", "/tags/") * 5] == [200] * 15
            time.sleep(1)  # five a second come back
            assert get(f"{base}/search/?q=later")[0] == 200


def test_a_thousand_slow_clients_leave_the_site_answering(content_dir, tmp_path):
    """Clients that send a header byte every two seconds, replaced as soon as nginx cuts them,
    1,000 at all times: nginx holds them at no cost to gunicorn and cuts each at its header
    timeout, and the site answers throughout (16 such clients stop a bare gunicorn; README)."""
    allow_open_files(SLOW_CLIENTS + 500)
    env = {"INSIGHTS_CONTENT_DIR": str(content_dir), "INSIGHTS_SITE_URL": SITE_URL}
    with gunicorn(env, log=tmp_path / "gunicorn.log") as app_url:
        values = {
            "INSIGHTS_UPSTREAM": app_url.removeprefix("http://"),
            "INSIGHTS_STATIC_CACHE_DIR": str(default_static_cache_dir()),
            "INSIGHTS_NGINX_CACHE": str(tmp_path / "nginx/cache"),
        }
        with nginx("nginx.conf", values, tmp_path / "nginx") as base:
            port = int(base.rsplit(":", 1)[1])
            probes = [base + ARTICLE, base + "/healthz", base + "/tags/"]  # /healthz: the app
            outcome = attack(port, probes, connections=SLOW_CLIENTS, seconds=16, interval=2)
    assert outcome.refused == 0
    assert outcome.answered == len(outcome.probes) >= 7, outcome  # within 5 s each
    assert outcome.opened >= 2 * SLOW_CLIENTS and outcome.cut >= SLOW_CLIENTS, outcome
    assert outcome.longest < HEADER_TIMEOUT + 2 * 2, outcome  # cut at the timeout, not later


def test_a_file_planted_in_a_build_is_not_served_by_nginx(content_dir, tmp_path):
    cache = tmp_path / "static-cache"
    build = static_assets.build(ROOT / "static", cache)
    theme = build.root / "js/theme.js"
    theme.write_bytes(b"planted")
    theme.with_name("theme.js.gz").write_bytes(gzip.compress(b"planted"))
    (build.root / "js/extra.js").write_bytes(b"planted")
    env = {"INSIGHTS_CONTENT_DIR": str(content_dir), "INSIGHTS_STATIC_CACHE_DIR": str(cache)}
    with gunicorn(env, workers=1) as app_url:  # starting checks the build and writes it again
        values = {
            "INSIGHTS_UPSTREAM": app_url.removeprefix("http://"),
            "INSIGHTS_STATIC_CACHE_DIR": str(cache),
            "INSIGHTS_NGINX_CACHE": str(tmp_path / "nginx/cache"),
        }
        with nginx("nginx.conf", values, tmp_path / "nginx") as base:
            genuine = (ROOT / "static/js/theme.js").read_bytes()
            status, headers, body = get(f"{base}/static/{build.id}/js/theme.js")
            assert (status, body) == (200, genuine)
            assert headers["Cache-Control"] == IMMUTABLE
            packed = get(f"{base}/static/{build.id}/js/theme.js", **{"Accept-Encoding": "gzip"})
            assert packed[1]["Content-Encoding"] == "gzip"
            assert gzip.decompress(packed[2]) == genuine
            assert get(f"{base}/static/{build.id}/js/extra.js")[0] == 404


def test_nginx_serves_the_export_at_the_sites_urls(content_dir, write_article, tmp_path):
    for n in range(12):
        write_article(f"bulk-{n:02d}", f"title: Bulk {n}\ndate: 2025-03-{n + 1:02d}\n")
    app = create_app({"CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL})
    site = tmp_path / "site"
    assert app.test_cli_runner().invoke(args=["export", str(site)]).exit_code == 0
    client = app.test_client()
    with nginx("nginx-export.conf", {"INSIGHTS_EXPORT_DIR": str(site)}, tmp_path / "ngx") as base:
        status, headers, body = get(base + ARTICLE)
        assert status == 200 and body == client.get(ARTICLE).data
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert_security_headers(headers, inline_styles=True)  # each page narrows it in a <meta>
        assert b'<meta http-equiv="Content-Security-Policy"' in body  # the page's own policy
        status, _, second = get(base + "/insights/page/2/")
        assert status == 200 and b"Bulk 0" in second and b"Bulk 11" not in second
        assert get(base + "/feed.xml")[1]["Content-Type"] == "application/rss+xml; charset=utf-8"
        assert get(base + "/feed.json")[1]["Content-Type"].startswith("application/feed+json")
        status, _, missing = get(base + "/insights/no-such/")
        assert status == 404 and b"404 Not Found" in missing
        build = static_build(app).id
        status, headers, _ = get(f"{base}/static/{build}/js/theme.js")
        assert status == 200 and headers["Cache-Control"] == IMMUTABLE
        assert_security_headers(headers)
        assert_security_headers(get(base + "/feed.xml")[1], inline_styles=True)
        assert headers["Content-Type"].startswith("text/javascript")


def test_every_file_of_the_export_goes_out_with_the_type_the_app_sends(content_dir, tmp_path):
    """Outside /static/ too, where nginx named files by /etc/nginx/mime.types: /opensearch.xml
    went out as text/xml and an article's CSV or TSV as application/octet-stream, which nosniff
    keeps browsers to. Each file is compared with what the app itself answers at its URL."""
    files = {f"data/kind{suffix}": b"a,b\n1,2\n" for suffix in CONTENT_TYPES}
    files |= {"TABLE.TSV": b"a\tb\n", "feed.json": b"{}"}  # not a feed: application/json
    write_bundle(content_dir, "kinds", "Every kind of file beside an article.\n", files)
    app = create_app({"CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL})
    site = tmp_path / "site"
    assert app.test_cli_runner().invoke(args=["export", str(site)]).exit_code == 0
    client = app.test_client()
    compared = set()
    with nginx("nginx-export.conf", {"INSIGHTS_EXPORT_DIR": str(site)}, tmp_path / "ngx") as base:
        for path in (path for path in site.rglob("*") if path.is_file()):
            url = "/" + path.relative_to(site).as_posix()
            url = url.removesuffix("index.html") if path.name == "index.html" else url
            live = client.get(url)
            if url.startswith("/static/") or live.status_code != 200:
                continue  # /static/: tested below; search/index.json is the export's alone
            status, headers, _ = get(base + url)
            assert (status, headers["Content-Type"]) == (200, live.content_type), url
            compared.add(url)
    beside = {f"/insights/kinds/{name}" for name in files}
    expected = {"/", "/opensearch.xml", "/sitemap.xml", "/robots.txt", "/feed.json", *beside}
    assert expected <= compared


@dataclass(frozen=True)
class ExtendedBuild:
    id: str
    cache: Path  # INSIGHTS_STATIC_CACHE_DIR, holding the build
    site: Path  # an export holding it at static/<build>/


@pytest.fixture(scope="module")
def extended_build(tmp_path_factory) -> ExtendedBuild:
    """A build of ``static/`` plus every file of ``STATIC_TYPES`` it lacks (made once: its
    brotli forms take seconds), in a cache dir and in an export's layout."""
    root = tmp_path_factory.mktemp("extended-build")
    source = root / "static"
    shutil.copytree(ROOT / "static", source)
    for name in STATIC_TYPES:
        path = source / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(f"stands for {name}\n".encode())
    cache = root / "static-cache"
    build = static_assets.build(source, cache)
    site = root / "site"
    shutil.copytree(build.root, site / "static" / build.id)
    (site / "404.html").write_text("<!doctype html><title>Not found</title>\n")
    return ExtendedBuild(build.id, cache, site)


@contextlib.contextmanager
def static_build_behind(config: str, build: ExtendedBuild, tmp_path: Path) -> Iterator[str]:
    """nginx with ``deploy/<config>`` serving ``build`` from the cache dir (the front) or from
    the export (the export); yields its URL. nginx serves these itself: no app runs behind it."""
    values = {
        "INSIGHTS_UPSTREAM": f"127.0.0.1:{free_port()}",  # never asked
        "INSIGHTS_STATIC_CACHE_DIR": str(build.cache),
        "INSIGHTS_NGINX_CACHE": str(tmp_path / "nginx/cache"),
        "INSIGHTS_EXPORT_DIR": str(build.site),
    }
    with nginx(config, values, tmp_path / "nginx") as base:
        yield base


@pytest.mark.parametrize("config", CONFIGS)
def test_every_kind_of_static_file_goes_out_with_its_own_type(config, extended_build, tmp_path):
    kinds = {path.suffix for path in (ROOT / "static").rglob("*") if path.is_file()}
    assert kinds <= {PurePosixPath(name).suffix for name in STATIC_TYPES}  # a new kind: add it
    build = extended_build.id
    with static_build_behind(config, extended_build, tmp_path) as base:
        for name, media_type in STATIC_TYPES.items():
            status, headers, _ = get(f"{base}/static/{build}/{name}")
            assert (status, headers["Content-Type"]) == (200, media_type), name
            assert headers["Cache-Control"] == IMMUTABLE, name
            assert_security_headers(headers)  # nosniff among them


@pytest.mark.parametrize("config", CONFIGS)
def test_a_static_url_that_fails_is_not_cached_for_a_year(config, extended_build, tmp_path):
    """A build asked for before it is written (during a deploy), a file it lacks, a folder, a
    failed precondition: none may carry the year-long immutable header, or browsers and CDNs
    keep the error. The front says no-store; the export answers 404 with its own 404 page,
    which it never marks cacheable."""
    missing = "no-store" if config == "nginx.conf" else None
    build = extended_build.id
    with static_build_behind(config, extended_build, tmp_path) as base:
        assert build != NO_BUILD
        for path, status, cache_control in [
            (f"/static/{NO_BUILD}/css/site.css", 404, missing),
            (f"/static/{build}/css/gone.css", 404, missing),
            (f"/static/{build}/fonts/gone.woff2", 404, missing),
            (f"/static/{build}/js/", 403, "no-store"),
        ]:
            got, headers, _ = get(base + path)
            assert (got, headers.get("Cache-Control")) == (status, cache_control), path
            assert headers["X-Content-Type-Options"] == "nosniff", path
        css = f"{base}/static/{build}/css/site.css"
        failed = get(css, **{"If-Match": '"nope"'})
        assert (failed[0], failed[1]["Cache-Control"]) == (412, "no-store")
        # Successes keep it: a 304 and a range.
        modified = get(css)[1]["Last-Modified"]
        unchanged = get(css, **{"If-Modified-Since": modified})
        assert (unchanged[0], unchanged[1]["Cache-Control"]) == (304, IMMUTABLE)
        part = get(css, Range="bytes=0-9")
        assert (part[0], part[1]["Cache-Control"], len(part[2])) == (206, IMMUTABLE, 10)
