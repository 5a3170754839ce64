"""A throw-away nginx (Debian's nginx-light) running one of the site configs in ``deploy/``
inside the shipped top-level config, ``deploy/nginx-main.conf``."""

import contextlib
import getpass
import socket
import string
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

from harness.servers import ROOT, free_port, wait_for

NGINX = "/usr/sbin/nginx"


def render(name: str, values: Mapping[str, str]) -> str:
    """``deploy/<name>`` with its ``${INSIGHTS_...}`` values filled in, as envsubst would."""
    return string.Template((ROOT / "deploy" / name).read_text()).safe_substitute(values)


@contextlib.contextmanager
def nginx(name: str, values: Mapping[str, str], prefix: Path) -> Iterator[str]:
    """Runs nginx with ``deploy/<name>`` on a free port, files under ``prefix``; yields its URL."""
    port = free_port()
    prefix.mkdir(parents=True, exist_ok=True)
    site = render(name, {**values, "INSIGHTS_LISTEN": f"127.0.0.1:{port}"})
    (prefix / "site.conf").write_text(site)
    main = {
        "INSIGHTS_NGINX_USER": getpass.getuser(),
        "INSIGHTS_NGINX_RUN": str(prefix),
        "INSIGHTS_NGINX_LOGS": str(prefix),
        "INSIGHTS_NGINX_SITE": str(prefix / "site.conf"),
    }
    (prefix / "nginx.conf").write_text(render("nginx-main.conf", main))
    errors = prefix / "error.log"
    with errors.open("ab") as stderr:
        process = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    try:
        try:
            wait_for(lambda: socket.create_connection(("127.0.0.1", port), 1).close() or True,
                      "nginx", process)  # fmt: skip
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}: {errors.read_text()}") from None
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
