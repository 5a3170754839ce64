"""A bundle's files over HTTP: known kinds only, with their type, validators and lifetime; SVG
that can run nothing; everything else a 404."""

import hashlib
import io
import json
import os
import tracemalloc
from urllib.parse import urljoin

import pytest
from PIL import Image

from app import create_app
from extensions import renderer
from publishing import image_variants
from publishing.html_tree import srcset_candidates
from publishing.listed_files import open_listed
from tests.support.bundles import SCRIPTED_SVG, broken_animation, image_bytes, write_bundle
from tests.support.pages import soup
from tests.support.site import INSTANT, SITE_URL

PNG = image_bytes(4, 3)


@pytest.fixture
def bundle(content_dir):
    return write_bundle(
        content_dir,
        "field-notes",
        "Text ![A teal square](photo.png)\n",
        {
            "photo.png": PNG,
            "figures/drawing.svg": SCRIPTED_SVG,
            "spend.csv": b"month,spend\nJan,3\n",
            "paper.pdf": b"%PDF-1.4\n",
            "data.json": b"[]",
        },
    )


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("photo.png", "image/png"),
        ("figures/drawing.svg", "image/svg+xml; charset=utf-8"),
        ("spend.csv", "text/csv; charset=utf-8"),
        ("paper.pdf", "application/pdf"),
        ("data.json", "application/json"),
    ],
)
def test_each_known_kind_is_served_with_its_type_nosniff_an_etag_and_a_lifetime(
    client, bundle, name, content_type
):
    response = client.get(f"/insights/field-notes/{name}")
    assert response.status_code == 200
    assert response.data == (bundle / name).read_bytes()
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    etag = response.headers["ETag"]
    again = client.get(f"/insights/field-notes/{name}", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_an_svg_can_run_no_script_on_the_site(client, bundle):
    response = client.get("/insights/field-notes/figures/drawing.svg")
    policy = response.headers["Content-Security-Policy"]
    assert policy == "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@pytest.mark.parametrize(
    "path",
    [
        "/insights/field-notes/index.md",
        "/insights/field-notes/../flat.md",
        "/insights/field-notes/..%2f..%2fapp.py",
        "/insights/field-notes/%2e%2e/%2e%2e/app.py",
        "/insights/field-notes/figures/..%252fphoto.png",
        "/insights/field-notes/figures%2f..%2f..%2findex.md",
        "/insights/field-notes/%2fetc%2fpasswd",
        "/insights/field-notes/.hidden.png",
        "/insights/field-notes/photo.png~",
        "/insights/field-notes/missing.png",
        "/insights/no-such-article/photo.png",
        "/insights/why-open-source-ai-models-are-winning-in-2026/photo.png",
    ],
)
def test_anything_else_is_a_404(client, bundle, path):
    (bundle / ".hidden.png").write_bytes(PNG)
    (bundle / "photo.png~").write_bytes(PNG)
    # werkzeug first folds a doubled slash with a redirect, on the site: it ends in a 404 too
    assert client.get(path, follow_redirects=True).status_code == 404


def test_a_drafts_files_are_not_served_while_it_is_hidden(client, content_dir):
    write_bundle(content_dir, "secret-plan", "Text.\n", {"photo.png": PNG}, front="draft: true\n")
    assert client.get("/insights/secret-plan/photo.png").status_code == 404


def test_a_large_data_file_is_sent_as_it_is_each_time_and_revalidated(client, bundle):
    """Five MB of CSV: over what the response cache keeps (4 MiB of its 64), so never
    compressed for a single answer (seconds of a core at every request), and a browser that
    has it gets a 304."""
    rows = b"".join(b"2025-%02d,%d\n" % (n % 12 + 1, n) for n in range(500_000))
    (bundle / "big.csv").write_bytes(b"month,spend\n" + rows)
    first = client.get("/insights/field-notes/big.csv", headers={"Accept-Encoding": "br, gzip"})
    assert first.status_code == 200 and len(first.data) > 5_000_000
    assert "Content-Encoding" not in first.headers
    again = client.get(
        "/insights/field-notes/big.csv", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert (again.status_code, again.data) == (304, b"")
    (bundle / "small.csv").write_bytes(b"month,spend\n" + rows[:20_000])
    small = client.get("/insights/field-notes/small.csv", headers={"Accept-Encoding": "gzip"})
    assert small.headers["Content-Encoding"] == "gzip"  # a smaller file is kept, compressed


def test_a_new_changed_or_removed_file_shows_at_once(client, bundle):
    (bundle / "extra.png").write_bytes(PNG)
    assert client.get("/insights/field-notes/extra.png").status_code == 200
    bigger = image_bytes(9, 9)
    (bundle / "photo.png").write_bytes(bigger)
    stat = os.stat(bundle / "photo.png")
    os.utime(bundle / "photo.png", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert client.get("/insights/field-notes/photo.png").data == bigger
    (bundle / "extra.png").unlink()
    assert client.get("/insights/field-notes/extra.png").status_code == 404


def test_a_relative_image_of_the_article_resolves_to_its_file(client, bundle):
    page = client.get("/insights/field-notes/").get_data(as_text=True)
    assert 'src="photo.png"' in page


@pytest.mark.parametrize("feed", ["/feed.xml", "/atom.xml", "/feed.json"])
def test_feeds_link_a_bundle_file_by_its_absolute_url_which_answers(client, bundle, feed):
    url = f"{SITE_URL}/insights/field-notes/photo.png"
    assert url in client.get(feed).get_data(as_text=True)
    assert client.get(url.removeprefix(SITE_URL)).data == PNG


def test_the_page_sizes_the_image_and_check_names_a_bad_one(app, client, bundle):
    image = soup(client.get("/insights/field-notes/")).select_one(".prose img")
    assert image.attrs == {
        "alt": "A teal square",
        "src": "photo.png",
        "width": "4",
        "height": "3",
        "decoding": "async",
    }
    (bundle / "broken.png").write_bytes(b"not an image")
    index = bundle / "index.md"
    index.write_text(index.read_text() + "\n![](broken.png)\n")
    assert client.get("/insights/field-notes/").status_code == 200
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "field-notes/index.md: image broken.png: not an image Pillow can read" in result.output
    assert "field-notes/index.md: image broken.png: no alt text" in result.output


CSV_CHART = "```chart\ntype: line\ndata: data/spend.csv\nx: month\ny: [training]\n```\n"


def chart_config(client, path: str) -> dict:
    page = soup(client.get(path))
    return json.loads(page.select_one("figure.chart script.chart-config").string)


def test_a_chart_drawn_from_a_csv_follows_each_edit_of_the_file_and_links_it(client, content_dir):
    folder = write_bundle(
        content_dir, "gpu-spend", CSV_CHART, {"data/spend.csv": b"month,training\nJan,1\n"}
    )
    assert chart_config(client, "/insights/gpu-spend/")["data"]["datasets"][0]["data"] == [1]
    csv_file = folder / "data/spend.csv"
    csv_file.write_bytes(b"month,training\nJan,7\nFeb,\n")
    stat = os.stat(csv_file)
    os.utime(csv_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    config = chart_config(client, "/insights/gpu-spend/")
    assert config["data"] == {
        "labels": ["Jan", "Feb"],
        "datasets": [{"label": "training", "data": [7, None]}],
    }
    link = soup(client.get("/insights/gpu-spend/")).select_one("figure.chart .chart-download a")
    assert link.get_text() == "Download the data (CSV)"
    download = client.get(urljoin("/insights/gpu-spend/", link["href"]))
    assert download.data == csv_file.read_bytes()
    assert download.mimetype == "text/csv"


def test_a_feed_links_a_charts_data_file_by_its_absolute_url(client, content_dir):
    write_bundle(
        content_dir, "gpu-spend", CSV_CHART, {"data/spend.csv": b"month,training\nJan,1\n"}
    )
    feed = client.get("/feed.json").get_json()
    item = next(item for item in feed["items"] if item["url"].endswith("/gpu-spend/"))
    assert f'href="{SITE_URL}/insights/gpu-spend/data/spend.csv"' in item["content_html"]


WIDE = image_bytes(2000, 1000, "JPEG")


@pytest.fixture(scope="module")
def image_cache_dir(tmp_path_factory):
    """The folder of variants and cards for these tests alone."""
    return tmp_path_factory.mktemp("cache") / "images"


@pytest.fixture
def wide_app(content_dir, image_cache_dir):
    """The site with an article holding a photo wider than the text column."""
    write_bundle(content_dir, "wide", '![A wide view](photo.jpg "The view")\n', {"photo.jpg": WIDE})
    config = {"CONTENT_DIR": str(content_dir), "SITE_URL": SITE_URL, **INSTANT}
    return create_app({"TESTING": True, "IMAGE_CACHE_DIR": str(image_cache_dir), **config})


def variant_urls(client) -> list[str]:
    page = soup(client.get("/insights/wide/"))
    urls = [
        url
        for element in page.select(".prose picture [srcset]")
        for url, _ in srcset_candidates(element["srcset"])
    ]
    return [f"/insights/wide/{url}" for url in urls if url.startswith("_/")]


def test_each_variant_is_served_immutable_with_its_type_nosniff_and_an_etag(wide_app):
    client = wide_app.test_client()
    urls = variant_urls(client)
    assert len(urls) == 6
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == (
            "image/webp" if url.endswith(".webp") else "image/jpeg"
        )
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        with Image.open(io.BytesIO(response.data)) as variant:
            assert f"-{variant.width}-" in url
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


def test_a_variant_missing_from_disk_is_made_again_on_request(wide_app):
    client = wide_app.test_client()
    urls = variant_urls(client)
    for made in renderer(wide_app).images.root.iterdir():
        made.unlink()
    assert client.get(urls[0]).status_code == 200
    with Image.open(io.BytesIO(client.get(urls[-1]).data)) as variant:
        assert variant.format == "JPEG"


def test_after_the_image_changes_its_old_variants_answer_404(wide_app, content_dir):
    client = wide_app.test_client()
    old = variant_urls(client)
    photo = content_dir / "wide" / "photo.jpg"
    photo.write_bytes(image_bytes(2000, 1000, "JPEG", colour="navy"))
    stat = os.stat(photo)
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    new = variant_urls(client)
    assert set(old).isdisjoint(new)
    assert [client.get(url).status_code for url in old] == [404] * 6
    assert client.get(new[0]).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "photo-641-{digest}.webp",  # a width that is no variant
        "photo-2000-{digest}.jpg",  # the original's own width is the original
        "photo-640-{digest}.png",  # not its format
        "photo-640-{digest}.WEBP",
        "photo-640-0123456789abcdef0123.webp",  # another digest
        "other-640-{digest}.webp",
        "photo-640-{digest}.webp/",
        "../photo.jpg",
        "..%2fphoto.jpg",
        "%2e%2e/index.md",
        "/etc/passwd",
        "{digest}-640.webp",  # the name on disk
        ".{digest}.lock",
    ],
)
def test_unknown_variant_names_and_traversals_are_404(wide_app, name):
    client = wide_app.test_client()
    digest = variant_urls(client)[0].split("-")[-1].split(".")[0]
    url = f"/insights/wide/_/{name.format(digest=digest)}"
    assert client.get(url, follow_redirects=True).status_code == 404
    assert client.get(f"/insights/field-notes/_/photo-640-{digest}.webp").status_code == 404


def test_variants_that_cannot_be_made_leave_the_plain_image_and_check_says_why(wide_app, tmp_path):
    renderer(wide_app).images.root = tmp_path / "swept-away"
    client = wide_app.test_client()
    image = soup(client.get("/insights/wide/")).select_one(".prose figure img")
    assert image.parent.name == "figure" and "srcset" not in image.attrs
    assert image["width"] == "2000"
    result = wide_app.test_cli_runner().invoke(args=["check"])
    expected = "wide/index.md: image photo.jpg: its smaller variants could not be made"
    assert f"{expected} (FileNotFoundError" in result.output


@pytest.mark.parametrize("feed", ["/feed.xml", "/atom.xml", "/feed.json"])
def test_feeds_carry_the_variants_by_absolute_urls_that_answer(wide_app, feed):
    client = wide_app.test_client()
    body = client.get(feed).get_data(as_text=True)
    for url in variant_urls(client):
        assert f"{SITE_URL}{url}" in body


def truncated_photo() -> bytes:
    """A 1600 px JPEG cut to a third: its header measures, its pixels cannot be decoded."""
    out = io.BytesIO()
    Image.effect_noise((1600, 900), 64).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()[: len(out.getvalue()) // 3]


def covered(content_dir, image: str, data: bytes, body: str = "Text.\n") -> None:
    write_bundle(content_dir, "trip", body, {image: data}, "Trip", front=f"image: {image}\n")


def test_an_animation_broken_past_its_first_frame_costs_no_page(content_dir, image_cache_dir):
    covered(content_dir, "cover.gif", broken_animation(), "![Moving](cover.gif)\n")
    config = {"CONTENT_DIR": str(content_dir), "IMAGE_CACHE_DIR": str(image_cache_dir)}
    app = create_app({"TESTING": True, "SITE_URL": SITE_URL, **config, **INSTANT})
    client = app.test_client()
    for url in ("/insights/trip/", "/", "/feed.xml", "/atom.xml", "/feed.json"):
        assert client.get(url).status_code == 200, url
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_variant_that_cannot_be_made_is_a_404_tried_once_and_never_offered(
    content_dir, image_cache_dir, monkeypatch
):
    covered(content_dir, "cover.jpg", truncated_photo())
    config = {"CONTENT_DIR": str(content_dir), "IMAGE_CACHE_DIR": str(image_cache_dir)}
    app = create_app({"TESTING": True, **config, **INSTANT})
    client = app.test_client()
    article, home = soup(client.get("/insights/trip/")), soup(client.get("/"))
    # Its variants failed at render time: the cover is offered as it is, on the page and in lists.
    assert article.select_one("picture") is None
    assert article.select_one("img.cover")["src"] == "/insights/trip/cover.jpg"
    assert home.select_one("img.card-cover")["src"] == "/insights/trip/cover.jpg"
    # A variant URL made up from the plan (or kept from a page cached elsewhere): a 404, and
    # the image is decoded once for it, not on every request.
    photo = (content_dir / "trip" / "cover.jpg").read_bytes()
    variants = image_variants.plan_or_none("cover.jpg", photo)
    url = f"/insights/trip/{variants.url(640, 'webp')}"
    tries = []
    make = image_variants.ImageVariants.make
    monkeypatch.setattr(
        image_variants.ImageVariants, "make", lambda *a: (tries.append(1), make(*a))
    )
    assert [client.get(url).status_code for _ in range(3)] == [404] * 3
    assert len(tries) == 1


def test_a_png_named_like_a_card_keeps_its_variants(content_dir, image_cache_dir):
    body = "![Front](card-front.png)\n"
    write_bundle(content_dir, "cards", body, {"card-front.png": image_bytes(1600, 800)})
    config = {"CONTENT_DIR": str(content_dir), "IMAGE_CACHE_DIR": str(image_cache_dir)}
    client = create_app({"TESTING": True, **config, **INSTANT}).test_client()
    image = soup(client.get("/insights/cards/")).select_one(".prose img")
    urls = [url for url, _ in srcset_candidates(image["srcset"])]
    assert any(url.endswith(".png") and "/_/" not in url for url in urls)  # the original
    for url in urls:
        assert client.get(urljoin("/insights/cards/", url)).status_code == 200, url


BIG = 5 * 2**20  # over the 4 MiB of its 64 the response cache keeps


def large_pdf(folder) -> bytes:
    data = b"%PDF-1.4\n" + os.urandom(BIG)
    (folder / "report.pdf").write_bytes(data)
    return data


def test_a_large_files_etag_comes_from_its_size_and_time_not_its_bytes(client, bundle):
    large_pdf(bundle)
    url = "/insights/field-notes/report.pdf"
    etag = client.get(url).headers["ETag"]
    pdf = bundle / "report.pdf"
    listed = os.stat(pdf)
    # Other bytes of the same size at the same time keep the ETag: it was never a digest of them.
    large_pdf(bundle)
    os.utime(pdf, ns=(listed.st_atime_ns, listed.st_mtime_ns))
    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.data) == (304, b"")
    os.utime(pdf, ns=(listed.st_atime_ns, listed.st_mtime_ns + 10**9))  # an edit
    edited = client.get(url, headers={"If-None-Match": etag})
    assert edited.status_code == 200 and edited.headers["ETag"] != etag
    assert edited.data == pdf.read_bytes()


class Sealed(io.BufferedReader):
    """A bundle file that fails the test if any of it is read."""

    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("the file was read")

    readinto = read1 = readinto1 = read


@pytest.fixture(params=[0, 64 * 2**20], ids=["view", "response-cache"])
def scanned_once(request, content_dir, bundle):
    """The bundle with its large PDF, scanned once (a change since is the view's to notice),
    answered by the view itself or through the response cache, which keeps none of it."""
    large_pdf(bundle)
    config = {"CONTENT_DIR": str(content_dir), "RESPONSE_CACHE_BYTES": request.param}
    app = create_app({"TESTING": True, **config, "RESCAN_INTERVAL": 3600, "QUIET_SECONDS": 0})
    return app.test_client()


def test_a_revalidation_a_412_or_a_head_reads_none_of_the_file(scanned_once, monkeypatch):
    url = "/insights/field-notes/report.pdf"
    etag = scanned_once.get(url).headers["ETag"]
    opened = []

    def sealed(source: str) -> tuple[io.BufferedReader, os.stat_result]:
        handle, found = open_listed(source)
        opened.append(Sealed(handle.detach()))
        return opened[-1], found

    monkeypatch.setattr("publishing.bundles.open_listed", sealed)
    with scanned_once.get(url, headers={"If-None-Match": etag}) as revalidated:
        assert (revalidated.status_code, revalidated.data) == (304, b"")
    with scanned_once.get(url, headers={"If-Match": '"another"'}) as failed:
        assert (failed.status_code, failed.data, failed.headers["ETag"]) == (412, b"", etag)
        assert "Cache-Control" not in failed.headers
        assert failed.headers["X-Content-Type-Options"] == "nosniff"
    with scanned_once.head(url) as head:
        assert (head.status_code, head.data) == (200, b"")
        assert head.headers["Content-Length"] == str(len(b"%PDF-1.4\n") + BIG)
    assert [handle.closed for handle in opened] == [True] * 3  # as a server closes a response


def test_a_get_sends_the_file_a_piece_at_a_time(scanned_once, bundle):
    tracemalloc.start()
    try:
        response = scanned_once.get("/insights/field-notes/report.pdf", buffered=False)
        sent = hashlib.blake2b()
        for chunk in response.response:
            sent.update(chunk)
        response.close()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sent.digest() == hashlib.blake2b((bundle / "report.pdf").read_bytes()).digest()
    assert peak < BIG // 10


# Only the view: a response cache hit, made before the swap, is answered until the next scan.
@pytest.mark.parametrize("scanned_once", [0], ids=["view"], indirect=True)
def test_a_file_swapped_for_a_symlink_since_the_scan_is_refused_even_to_a_revalidation(
    scanned_once, bundle, tmp_path
):
    url = "/insights/field-notes/photo.png"
    etag = scanned_once.get(url).headers["ETag"]
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    listed = os.stat(bundle / "photo.png")
    os.utime(secret, ns=(listed.st_atime_ns, listed.st_mtime_ns))
    (bundle / "photo.png").unlink()
    os.symlink(secret, bundle / "photo.png")
    assert scanned_once.get(url, headers={"If-None-Match": etag}).status_code == 404
    assert scanned_once.get(url).status_code == 404
