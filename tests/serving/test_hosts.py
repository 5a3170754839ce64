"""Only the site's own hosts are answered: a hostile Host header can neither grow memory nor
move a redirect off the site."""

import re
import subprocess
import time
from pathlib import Path

import pytest

from app import create_app
from harness.servers import gunicorn
from serving.hosts import LOOPBACK, allowed_hosts
from tests.support.site import INSTANT, SITE_URL


def app_with(content_dir: Path, **settings):
    return create_app({"TESTING": True, "CONTENT_DIR": str(content_dir), **INSTANT, **settings})


@pytest.mark.parametrize(
    ("configured", "site_url", "expected"),
    [
        ("", "", None),
        ("", "https://insights.example.org", ["insights.example.org", *LOOPBACK]),
        ("a.example, .b.example", "", ["a.example", ".b.example", *LOOPBACK]),
        (
            ["A.example"],
            "https://Insights.Example.org:8443/",
            ["a.example", "insights.example.org", *LOOPBACK],
        ),
        ("a.example *", "https://insights.example.org", None),
    ],
)
def test_allowed_hosts_come_from_the_setting_and_the_site_url(configured, site_url, expected):
    assert allowed_hosts(configured, site_url) == expected


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("insights.example.org", 200),
        ("insights.example.org:8443", 200),
        ("INSIGHTS.EXAMPLE.ORG", 200),
        ("blog.example.org", 200),
        ("deep.blog.example.org", 200),
        ("evil.example", 400),
        ("insights.example.org.evil.example", 400),
        ("example.org", 400),
        ("insights.example.org@evil", 400),
        ("localhost", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:8000", 400),
        ("", 400),
    ],
)
def test_a_host_not_on_the_list_gets_a_plain_400(content_dir, host, status):
    app = app_with(content_dir, SITE_URL=SITE_URL, ALLOWED_HOSTS=".blog.example.org")
    response = app.test_client().get("/", headers={"Host": host})
    assert response.status_code == status
    if status == 400:
        assert response.mimetype == "text/plain"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert b"names a host this site does not serve" in response.data


def test_a_refused_host_is_never_cached(content_dir):
    app = app_with(content_dir, SITE_URL=SITE_URL)
    client = app.test_client()
    for _ in range(3):
        assert client.get("/robots.txt", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/robots.txt", headers={"Host": "insights.example.org"}).status_code == 200
    assert client.get("/robots.txt", headers={"Host": "evil.example"}).status_code == 400


def test_health_answers_whatever_the_host_for_probes_by_address(content_dir):
    app = app_with(content_dir, SITE_URL=SITE_URL)
    assert app.test_client().get("/healthz", headers={"Host": "10.0.0.7:8000"}).status_code == 200


@pytest.mark.parametrize("site_url", [SITE_URL, ""])
def test_redirects_never_take_their_host_from_the_request(content_dir, site_url):
    app = app_with(content_dir, SITE_URL=site_url, ALLOWED_HOSTS="*")
    client = app.test_client()
    for path, target in [("/tags", "/tags/"), ("/insights/page/1/", "/insights/")]:
        for host in ("evil.example", ""):
            response = client.get(path, headers={"Host": host})
            assert response.status_code == 308
            assert response.headers["Location"] == target


# --- under load, through a real gunicorn ----------------------------------------------------

LUA_RANDOM_HOST = """
request = function()
  wrk.headers["Host"] = "h" .. math.random(1, 2000000000) .. ".example"
  return wrk.format(nil, nil)
end
"""


def worker_rss_kib(master_pid: int) -> list[int]:
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.M):
            sizes.append(int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1)))
    return sizes


def wrk(url: str, script: Path, seconds: int) -> str:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", str(script), url]
    return subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout


@pytest.mark.server
def test_random_hosts_keep_worker_memory_within_the_cache_bound(tmp_path, content_dir):
    script = tmp_path / "random-host.lua"
    script.write_text(LUA_RANDOM_HOST)
    bound = 8 * 1024 * 1024
    env = {
        "INSIGHTS_CONTENT_DIR": str(content_dir),
        "INSIGHTS_SITE_URL": "",
        "INSIGHTS_RESPONSE_CACHE_BYTES": str(bound),
    }
    pid_file = tmp_path / "gunicorn.pid"
    with gunicorn(env, "--pid", str(pid_file), workers=2) as base:
        master = int(pid_file.read_text())
        wrk(f"{base}/robots.txt", script, 2)  # every worker warmed up
        before = worker_rss_kib(master)
        report = wrk(f"{base}/robots.txt", script, 12)
        time.sleep(0.5)
        after = worker_rss_kib(master)
    served = int(re.search(r"(\d+) requests in", report).group(1))
    assert served > 5000, report  # enough distinct hosts to pass the bound several times over
    assert "Non-2xx" not in report, report
    assert len(before) == len(after) == 2, "both workers measured"
    for grown in (a - b for a, b in zip(after, before, strict=True)):
        assert grown * 1024 < bound * 1.5, f"a worker grew {grown} KiB under a {bound} B bound"


@pytest.mark.server
def test_random_hosts_get_400_when_the_site_url_is_set(tmp_path, content_dir):
    script = tmp_path / "random-host.lua"
    script.write_text(LUA_RANDOM_HOST)
    env = {"INSIGHTS_CONTENT_DIR": str(content_dir), "INSIGHTS_SITE_URL": SITE_URL}
    with gunicorn(env, workers=2) as base:
        report = wrk(f"{base}/", script, 3)
    served = int(re.search(r"(\d+) requests in", report).group(1))
    refused = int(re.search(r"Non-2xx or 3xx responses: (\d+)", report).group(1))
    assert served > 100 and refused == served, report
