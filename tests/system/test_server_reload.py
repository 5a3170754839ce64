"""A real gunicorn with two workers sees edits, additions and deletions without a restart."""

import os
import shutil
import time

import pytest

from harness.servers import gunicorn
from tests.support.hostile_input import billion_laughs
from tests.support.site import ROOT
from tests.support.traffic import fetch

pytestmark = pytest.mark.server


def every_worker_sees(url: str, expect, tries: int = 24) -> bool:
    """True when ``tries`` requests in a row all meet ``expect``: enough that both workers
    answer some of them (gunicorn's workers take connections as they come)."""
    return all(expect(*fetch(url)) for _ in range(tries))


def wait_until(url: str, expect, seconds: float = 1.0):
    """Seconds until every worker meets ``expect``; fails the test after ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if every_worker_sees(url, expect):
            return time.monotonic() - start
        time.sleep(0.05)
    pytest.fail(f"{url} did not change within {seconds} s")


def test_every_worker_shows_an_edit_within_a_second(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    page = content / "live.md"
    page.write_text("---\ntitle: Live\ndate: 2026-01-01\n---\nVersion one.\n")
    an_hour_ago = time.time() - 3600
    os.utime(page, (an_hour_ago, an_hour_ago))  # published before the server starts
    env = {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": "http://example.test"}
    with gunicorn(env, workers=2) as base:
        url = f"{base}/insights/live/"
        assert every_worker_sees(url, lambda status, body: "Version one." in body)

        page.write_text("---\ntitle: Live\ndate: 2026-01-01\n---\nVersion two, edited.\n")
        wait_until(url, lambda status, body: "Version two, edited." in body)

        (content / "added.md").write_text("---\ntitle: Added later\ndate: 2026-01-02\n---\nNew.\n")
        wait_until(f"{base}/insights/added/", lambda status, body: status == 200)
        wait_until(f"{base}/", lambda status, body: "Added later" in body)

        os.remove(page)
        wait_until(url, lambda status, body: status == 404)


def test_every_worker_shows_a_change_of_an_articles_folder_within_a_second(tmp_path):
    """A file beside index.md is part of the article: its chart's data, and the file itself."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    folder = content / "spend"
    folder.mkdir()
    chart = "```chart\ntype: bar\ndata: spend.csv\n```\n"
    (folder / "index.md").write_text(f"---\ntitle: Spend\ndate: 2026-01-01\n---\n{chart}")
    (folder / "spend.csv").write_text("month,k\nAlphaquarter,1\n")
    an_hour_ago = time.time() - 3600
    for path in (folder / "index.md", folder / "spend.csv", folder):
        os.utime(path, (an_hour_ago, an_hour_ago))
    env = {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": "http://example.test"}
    with gunicorn(env, workers=2) as base:
        url = f"{base}/insights/spend/"
        assert every_worker_sees(url, lambda status, body: "Alphaquarter" in body)

        (folder / "spend.csv").write_text("month,k\nBravoquarter,2\n")
        wait_until(url, lambda status, body: "Bravoquarter" in body and "Alphaquarter" not in body)
        wait_until(f"{url}spend.csv", lambda status, body: body == "month,k\nBravoquarter,2\n")

        (folder / "notes.csv").write_text("a\n1\n")
        wait_until(f"{url}notes.csv", lambda status, body: status == 200)
        os.remove(folder / "notes.csv")
        wait_until(f"{url}notes.csv", lambda status, body: status == 404)


def test_a_server_that_boots_with_broken_files_serves_the_rest(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "bad-date.md").write_text("---\ntitle: Bad\ndate: 2026-02-30\n---\nText.\n")
    laughs = billion_laughs()
    (content / "laughs.md").write_text(f"---\ntitle: L\ndate: 2026-01-01\n{laughs}---\nText.\n")
    (content / "loop.md").symlink_to("loop.md")
    os.mkfifo(content / "pipe.md")
    log = tmp_path / "gunicorn.log"
    env = {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": "http://example.test"}
    with gunicorn(env, workers=2, log=log) as base:
        assert every_worker_sees(f"{base}/healthz", lambda status, body: status == 200)
        for path in ["/", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml"]:
            assert every_worker_sees(base + path, lambda status, body: status == 200), path
        article = f"{base}/insights/why-open-source-ai-models-are-winning-in-2026/"
        assert every_worker_sees(article, lambda status, body: status == 200)
    logged = log.read_text()
    assert "bad-date.md: 'date': 2026-02-30 is not a real date" in logged
    assert "laughs.md: broken YAML front matter" in logged
    assert "Traceback" not in logged


def test_every_worker_finds_an_edit_by_search_within_a_second(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    env = {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": "http://example.test"}

    def found(status: int, body: str) -> bool:
        return status == 200 and "/insights/quokka/" in body

    def not_found(status: int, body: str) -> bool:
        return status == 200 and "/insights/quokka/" not in body

    with gunicorn(env, workers=2) as base:
        quokka, wombat = f"{base}/search/?q=quokka", f"{base}/search/?q=wombat"
        assert every_worker_sees(quokka, not_found)
        page = content / "quokka.md"
        page.write_text("---\ntitle: The quokka\ndate: 2026-01-01\n---\nA small marsupial.\n")
        wait_until(quokka, found)
        page.write_text("---\ntitle: The wombat\ndate: 2026-01-01\n---\nA larger one.\n")
        wait_until(quokka, not_found)
        wait_until(wombat, found)
        page.unlink()
        wait_until(wombat, not_found)
