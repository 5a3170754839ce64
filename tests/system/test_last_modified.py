"""Under gunicorn, a reader revalidating with ``If-Modified-Since`` alone (as feed readers do)
sees every change of an article's folder, including those that leave the newest mtime of the
files as it was: a file removed, or one replaced by an older file."""

import os
import shutil
import time
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from harness.servers import gunicorn
from tests.support.bundles import image_bytes, write_bundle
from tests.support.site import ROOT, SITE_URL

pytestmark = pytest.mark.server

URLS = ("/insights/gpu-spend/", "/feed.xml")


def revalidate(url: str, since: str) -> tuple[int, str]:
    """(status, Last-Modified) of a GET carrying only ``If-Modified-Since: since``."""
    request = urllib.request.Request(url, headers={"If-Modified-Since": since})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Last-Modified"]
    except urllib.error.HTTPError as error:  # a 304 is one
        return error.code, error.headers["Last-Modified"]


def every_worker_answers(url: str, since: str, status: int, tries: int = 24) -> bool:
    """True when ``tries`` revalidations in a row get ``status`` (with a later Last-Modified
    for a 200): enough that both workers answer some of them."""
    for _ in range(tries):
        got, modified = revalidate(url, since)
        if got != status or (
            status == 200 and parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        ):
            return False
    return True


def next_second() -> None:
    """HTTP dates count whole seconds: a change within the second of the last one could never
    move Last-Modified, whatever the server does."""
    time.sleep(1.02 - time.time() % 1)


def replace_with_older(path: Path, data: bytes, elsewhere: Path) -> None:
    """``touch -d yesterday new.csv; mv new.csv path``, from a folder outside the content."""
    new = elsewhere / "new.csv"
    new.write_bytes(data)
    yesterday = time.time() - 2 * 86400
    os.utime(new, (yesterday, yesterday))
    new.replace(path)


def test_a_file_removed_or_replaced_by_an_older_one_moves_last_modified(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    files = {"img/cover.png": image_bytes(4, 3), "data/spend.csv": b"month,k\nMay,1\n"}
    bundle = write_bundle(content, "gpu-spend", "Text.\n", files, "GPU spend", date="2026-01-05")
    a_day_ago = time.time() - 86400
    for parent, folders, names in os.walk(content):
        for name in (*folders, *names):
            os.utime(Path(parent) / name, (a_day_ago, a_day_ago))
    os.utime(content, (a_day_ago, a_day_ago))
    changes = [
        lambda: (bundle / "img" / "cover.png").unlink(),
        lambda: replace_with_older(bundle / "data" / "spend.csv", b"month,k\nMay,2\n", tmp_path),
    ]
    env = {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": SITE_URL}
    with gunicorn(env, workers=2) as base:
        seen = {url: revalidate(base + url, "Thu, 01 Jan 1970 00:00:00 GMT")[1] for url in URLS}
        for change in changes:
            for url in URLS:
                assert every_worker_answers(base + url, seen[url], 304), url
            next_second()
            change()
            for url in URLS:
                deadline = time.monotonic() + 3  # rescan interval and quiet period: 0.7 s
                while not every_worker_answers(base + url, seen[url], 200):
                    assert time.monotonic() < deadline, f"{url} still 304 after the change"
                    time.sleep(0.05)
                seen[url] = revalidate(base + url, seen[url])[1]
