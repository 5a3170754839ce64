"""Reading served HTML in tests."""

import re

from bs4 import BeautifulSoup

_BUILD = re.compile(r"^/static/[0-9a-f]{8,}/")


def soup(response) -> BeautifulSoup:
    assert response.mimetype == "text/html", response.mimetype
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def asset(url: str) -> str:
    """A static URL without its content-hash segment: /static/<build>/js/x.js -> js/x.js."""
    assert _BUILD.match(url), f"{url} is not a content-hashed static URL"
    return _BUILD.sub("", url)
