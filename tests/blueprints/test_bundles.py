"""A bundle's files over HTTP: known kinds only, with their type, validators and lifetime; SVG
that can run nothing; everything else a 404."""

import json
import os
from urllib.parse import urljoin

import pytest

from tests.support.bundles import SCRIPTED_SVG, image_bytes, write_bundle
from tests.support.pages import soup
from tests.support.site import SITE_URL

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
    folder = write_bundle(content_dir, "secret-plan", "Text.\n", {"photo.png": PNG})
    index = folder / "index.md"
    index.write_text(index.read_text().replace("title:", "draft: true\ntitle:"))
    assert client.get("/insights/secret-plan/photo.png").status_code == 404


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
