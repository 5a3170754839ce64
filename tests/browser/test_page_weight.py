"""A page without charts or diagrams stays under 40 KB on the wire, with its CSS and scripts."""

import random
import re

import pytest

from tests.support.pages import soup
from tests.support.site import ROOT

BUDGET = 40 * 1024
SAMPLES = ROOT / "content"
WORDS = 2500


@pytest.fixture
def plain_article(write_article) -> str:
    """A long article of realistic prose (the sample articles' words, shuffled, so that it
    compresses like text rather than like a repeated sentence), with code and a table."""
    vocabulary = re.findall(r"[A-Za-z][a-z]+", "".join(p.read_text() for p in SAMPLES.glob("*.md")))
    rng = random.Random(5)
    paragraphs = [" ".join(rng.choices(vocabulary, k=125)) + "." for _ in range(WORDS // 125)]
    sections = [
        f"## {rng.choice(vocabulary).title()} {n}\n\n" + "\n\n".join(paragraphs[n::4])
        for n in range(4)
    ]
    code = "```python\nbudget = {'dns': 12, 'tls': 38}\nprint(sum(budget.values()))\n```"
    table = "| step | ms |\n|---|---|\n| DNS | 12 |\n| TLS | 38 |"
    body = "\n\n".join([*sections, code, table])
    write_article("plain", "title: A plain article\ndate: 2025-06-01\ntags: [notes]\n", body)
    return "/insights/plain/"


def wire_bytes(client, page: str) -> dict[str, int]:
    """Bytes on the wire, gzip accepted, of the page and every file it makes the browser load."""
    response = client.get(page, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    html = soup(client.get(page))
    loaded = [tag["src"] for tag in html.select("script[src]")]
    loaded += [tag["href"] for tag in html.select('link[rel~="stylesheet"], link[rel~="icon"]')]
    sizes = {page: len(response.data)}
    for url in loaded:
        asset = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200, url
        sizes[url] = len(asset.get_data())
    return sizes


@pytest.mark.parametrize("page", ["article", "/", "/tags/", "/tags/notes/"])
def test_pages_without_charts_or_diagrams_weigh_under_40_kb(client, plain_article, page):
    sizes = wire_bytes(client, plain_article if page == "article" else page)
    assert not any("chart" in url or "mermaid" in url or "diagram" in url for url in sizes)
    assert sum(sizes.values()) < BUDGET, sizes


def test_the_article_is_long_enough_to_mean_something(client, plain_article):
    meta = soup(client.get(plain_article)).select_one(".meta").get_text(" ", strip=True)
    assert int(re.search(r"([0-9,]+) words", meta).group(1).replace(",", "")) >= WORDS
