"""``flask export`` writes the published site; a plain file server then serves every link."""

from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from app import create_app
from harness.http import get
from harness.servers import file_server
from publishing import rendering
from publishing.html_tree import TooDeep, srcset_candidates
from publishing.time_budget import ChildDied
from serving.export import file_for, links
from tests.support.bundles import image_bytes, write_bundle
from tests.support.pages import text
from tests.support.site import ROOT, SITE_URL

pytestmark = pytest.mark.server


def fetch(url: str) -> tuple[int, str, bytes]:
    status, headers, body = get(url)
    kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return status, kind.split(";")[0], body


@pytest.fixture
def many(write_article) -> None:
    """Enough articles for two list pages and a tag with two pages."""
    for n in range(23):
        tags = "[bulk]" if n % 2 else "[other]"
        write_article(
            f"bulk-{n:02d}", f"title: Bulk {n}\ndate: 2025-03-{n + 1:02d}\ntags: {tags}\n"
        )
    write_article("wip", "title: Not yet\ndate: 2025-01-01\ndraft: true\n")


@pytest.fixture
def exported(app, many, tmp_path) -> Path:
    target = tmp_path / "site"
    result = app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_every_internal_link_of_every_exported_page_answers_200(exported):
    pages = ["/" + str(p.relative_to(exported).parent) + "/" for p in exported.rglob("index.html")]
    pages = [page.replace("/./", "/") for page in pages]
    assert "/" in pages and "/insights/page/2/" in pages and "/tags/bulk/page/2/" in pages
    with file_server(exported) as base:
        queue, checked, broken = list(pages), set(), []
        while queue:
            path = queue.pop()
            if path in checked:
                continue
            checked.add(path)
            status, kind, body = fetch(base + path)
            if status != 200:
                broken.append(f"{path}: {status}")
            elif kind == "text/html":
                queue += links(body.decode(), path, SITE_URL)
        assert broken == []
        assert sum(path.startswith("/static/") for path in checked) >= 4
        bulk = [path for path in checked if path.startswith("/insights/bulk-")]
        assert sum(path.endswith("/") for path in bulk) == 23
        assert sum(path.endswith(".png") for path in bulk) == 23  # each one's share card


def test_numbered_list_pages_are_byte_for_byte_what_the_server_sends(client, exported):
    with file_server(exported) as base:
        for page in ("/insights/page/2/", "/tags/bulk/page/2/"):
            served = fetch(base + page)[2]
            assert served == client.get(page).data
            assert BeautifulSoup(served, "html.parser").select(".card h2")


def test_feeds_sitemap_robots_and_the_404_page_are_written(client, exported):
    assert (exported / "feed.xml").read_bytes() == client.get("/feed.xml").data
    assert (exported / "robots.txt").read_bytes() == client.get("/robots.txt").data
    assert (exported / "tags/bulk/atom.xml").is_file()
    locations = [
        loc.text
        for loc in ElementTree.fromstring((exported / "sitemap.xml").read_bytes()).iter()
        if loc.tag.endswith("loc")
    ]
    assert f"{SITE_URL}/insights/page/2/" in locations
    for location in locations:
        assert (exported / file_for(urlsplit(location).path)).is_file(), location
    missing = BeautifulSoup((exported / "404.html").read_bytes(), "html.parser")
    assert text(missing.select_one("title")) == "404 Not Found · Insights"
    assert not (exported / "insights/wip").exists()
    assert not (exported / "healthz").exists()


def test_export_refuses_a_directory_that_is_not_empty(app, tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code != 0
    assert "is not an empty directory" in result.output
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_a_page_whose_render_was_lost_is_reported_not_exported(app, tmp_path, monkeypatch):
    def losing(seconds, function, *args):
        raise ChildDied(-9)

    monkeypatch.setattr(rendering._children, "run", losing)
    target = tmp_path / "site"
    result = app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code != 0
    assert "/: not whole this time (a render failed for this process): export again" in (
        result.output
    )
    assert not (target / "index.html").exists()


def test_export_needs_the_site_url(content_dir, tmp_path):
    app = create_app({"CONTENT_DIR": str(content_dir)})
    result = app.test_cli_runner().invoke(args=["export", str(tmp_path / "out")])
    assert result.exit_code != 0 and "INSIGHTS_SITE_URL" in result.output


def test_a_link_that_is_no_url_is_kept_as_written_to_be_reported():
    html = '<a href="http://[oops/">x</a> <a href="/tags/">y</a> <a href="https://a.example/">z</a>'
    assert links(html, "/", SITE_URL) == ["http://[oops/", "/tags/"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [("/", "index.html"), ("/insights/page/3/", "insights/page/3/index.html"),
     ("/feed.xml", "feed.xml"), ("/insights/?page=2", None), ("/insights/?q=1", None),
     ("/../etc/passwd", None), ("/tags/caf%C3%A9/", "tags/café/index.html")],
)  # fmt: skip
def test_where_each_url_is_written(url, expected):
    assert (str(file_for(url)) if file_for(url) else None) == expected


def test_odd_links_are_each_one_reported_line(app, write_article, tmp_path):
    write_article(
        "odd",
        "title: Odd links\ndate: 2025-01-01\n",
        "[a](/static/css/site.css) [b](/static/css/site.css/) [c](/tags/ai//)\n"
        "[d](/nul%00/) [e](/%2e%2e/%2e%2e/etc/) [f](/insights/?page=2) [g](/" + "x" * 300 + "/)\n",
    )
    target = tmp_path / "site"
    result = app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    lines = result.stdout.splitlines()
    expected = [
        "/static/css/site.css/: not written: static/css/site.css/index.html is also",
        "/tags/ai//: answered 3",  # a redirect, which a file server cannot give
        "/nul%00/: ",
        "/%2e%2e/%2e%2e/etc/: a file server cannot serve this URL",
        "/insights/?page=2: a file server cannot serve this URL",
        f"/{'x' * 300}/: ",
    ]
    for start in expected:
        assert sum(line.startswith(start) for line in lines) == 1, (start, lines)
    assert len(lines) == len(expected), lines
    assert (target / "static/css/site.css").read_bytes() == (
        ROOT / "static/css/site.css"
    ).read_bytes()
    assert (target / "insights/odd/index.html").is_file()


def test_every_kind_of_link_is_followed_srcset_included():
    html = (
        '<link rel="stylesheet" href="/static/site.css"><script src="app.js"></script>'
        '<img src="/a.png" srcset="/b.png 2x, c.png?w=1,2 3x,/d.png,">'
        '<picture><source srcset=" /e.webp 100w "></picture>'
        '<div style="background: url(/f.png)">\x01</div><a href="  /g/ ">g</a>'
        '<a href="https://elsewhere.example/h">h</a><a href="mailto:x@example.org">m</a>'
    )
    assert sorted(links(html, "/insights/x/", SITE_URL)) == [
        "/a.png", "/b.png", "/d.png", "/e.webp", "/f.png", "/g/",
        "/insights/x/app.js", "/insights/x/c.png?w=1,2", "/static/site.css",
    ]  # fmt: skip


def test_a_page_nested_past_the_parser_limit_is_written_and_reported(app, write_article, tmp_path):
    deep = "<div>" * 50_000 + "[lost](/tags/)" + "</div>" * 50_000
    write_article("deep", "title: Deep\ndate: 2025-01-01\n", deep + "\n")
    target = tmp_path / "site"
    result = app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "/insights/deep/: nested deeper than the parser reads: its links were not followed"
    ]
    assert (target / "insights/deep/index.html").is_file()
    with pytest.raises(TooDeep):
        links((target / "insights/deep/index.html").read_text(), "/insights/deep/", SITE_URL)


def test_the_files_of_an_article_in_its_own_folder_are_exported_and_resolve(
    app, content_dir, tmp_path
):
    photo = image_bytes(4, 3)
    write_bundle(
        content_dir,
        "field-notes",
        "![A teal square](figures/photo.png)\n\n[The paper](paper.pdf)\n",
        {"figures/photo.png": photo, "paper.pdf": b"%PDF-1.4\n", "unlinked.csv": b"a\n1\n"},
    )
    target = tmp_path / "site"
    result = app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "insights/field-notes/figures/photo.png").read_bytes() == photo
    assert (target / "insights/field-notes/unlinked.csv").read_bytes() == b"a\n1\n"
    assert not (target / "insights/field-notes/index.md").exists()
    with file_server(target) as base:
        page = fetch(base + "/insights/field-notes/")[2].decode()
        for link in links(page, "/insights/field-notes/", SITE_URL):
            if link.startswith("/insights/field-notes/") and link != "/insights/field-notes/":
                assert fetch(base + link)[0] == 200, link
        assert fetch(base + "/insights/field-notes/figures/photo.png")[1] == "image/png"


def test_the_download_link_of_a_chart_drawn_from_a_csv_resolves_in_the_export(
    app, content_dir, tmp_path
):
    data = b"month,spend\nJan,3\nFeb,4\n"
    chart = "```chart\ntype: bar\ndata: data/spend.csv\n```\n"
    write_bundle(content_dir, "gpu-spend", chart, {"data/spend.csv": data})
    target = tmp_path / "site"
    assert app.test_cli_runner().invoke(args=["export", str(target)]).exit_code == 0
    with file_server(target) as base:
        page = BeautifulSoup(fetch(base + "/insights/gpu-spend/")[2], "html.parser")
        link = page.select_one("figure.chart .chart-download a")
        assert text(link) == "Download the data (CSV)"
        assert fetch(urljoin(base + "/insights/gpu-spend/", link["href"]))[2] == data


def test_every_image_url_of_every_exported_page_resolves_variants_included(
    app, content_dir, tmp_path
):
    body = '![A wide view](wide.jpg "The view")\n\n![A chart](figures/my chart.png)\n'
    files = {
        "wide.jpg": image_bytes(2000, 900, "JPEG"),
        "figures/my chart.png": image_bytes(900, 300),
    }
    write_bundle(content_dir, "wide-views", body, files)
    target = tmp_path / "site"
    assert app.test_cli_runner().invoke(args=["export", str(target)]).exit_code == 0
    folder = target / "insights/wide-views/_"
    made = sorted(p.name for p in folder.rglob("*.*") if not p.name.startswith("card-"))
    assert len(made) == 6 + 3  # 640/1280/1920 twice for the photo; 640 twice, 900 WebP the chart
    checked = set()
    with file_server(target) as base:
        for html in target.rglob("*.html"):
            page_url = "/" + html.relative_to(target).as_posix().removesuffix("index.html")
            page = BeautifulSoup(html.read_bytes(), "html.parser")
            urls = [image["src"] for image in page.select("img[src]")]
            for element in page.select("[srcset]"):
                urls += [url for url, _ in srcset_candidates(element["srcset"])]
            for url in urls:
                address = urljoin(base + page_url, url)
                if urlsplit(address).netloc == urlsplit(base).netloc and address not in checked:
                    checked.add(address)
                    status, kind, _ = fetch(quote(address, safe=":/%"))  # as a browser would
                    assert (status, kind.split("/")[0]) == (200, "image"), address
    assert sum("/_/" in address for address in checked) == len(made)


def test_every_share_image_and_cover_of_every_exported_page_resolves(
    app, content_dir, tmp_path, write_article
):
    cover = image_bytes(1600, 900, "JPEG")
    front = "image: cover.jpg\nimage_alt: A field\n"
    write_bundle(content_dir, "photo-story", "Text.\n", {"cover.jpg": cover}, front=front)
    write_article("flat-one", "title: A flat article with a card\ndate: 2026-01-02\n")
    target = tmp_path / "site"
    result = app.test_cli_runner().invoke(args=["export", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "insights/photo-story/cover.jpg").read_bytes() == cover
    cards = {card.parts[-3] for card in target.glob("insights/*/_/card-*.png")}
    assert "flat-one" in cards and "photo-story" not in cards  # a cover needs no card
    shared, images = set(), set()
    with file_server(target) as base:
        for html in target.rglob("*.html"):
            page_url = "/" + html.relative_to(target).as_posix().removesuffix("index.html")
            page = BeautifulSoup(html.read_bytes(), "html.parser")
            for meta in page.select('meta[property="og:image"], meta[name="twitter:image"]'):
                shared.add(meta["content"].replace(SITE_URL, base))
            images |= {urljoin(base + page_url, img["src"]) for img in page.select("img[src]")}
        for address in shared | images:
            status, kind, _ = fetch(quote(address, safe=":/%"))
            # A list entry shows a large cover through its 640 px WebP variant.
            assert (status, kind) in {
                (200, "image/png"),
                (200, "image/jpeg"),
                (200, "image/webp"),
            }, address
    assert base + "/insights/photo-story/cover.jpg" in shared
    assert any("/insights/flat-one/_/card-" in address for address in shared)
    # Every published article is shared with its cover or a card that the export wrote.
    articles = {p.parent.name for p in target.glob("insights/*/index.html")} - {"page"}
    assert len(shared) >= len(articles)
