"""The published site written out as files, so a plain file server, nginx or a CDN can serve it.

Every page is fetched through the app itself (its WSGI callable), so the files hold what the
server sends. Starting from the given paths, every internal link of every HTML page is followed
too: what lxml's ``iterlinks`` finds (``href``, ``src``, ``url()`` in styles, …), the URLs of
``srcset`` and the share image of ``og:image`` and ``twitter:image``. A path ending in ``/``
becomes ``<path>index.html``; the 404 page becomes ``404.html``. The site puts nothing in
query strings (list pages are ``/insights/page/N/``), so the files are byte for byte what the
server sends.
"""

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from lxml import html as lxml_html
from werkzeug.test import Client

from publishing.html_tree import TooDeep, srcset_candidates
from serving.response_cache import WSGIApp

MISSING = "/404.html"  # a URL no route answers: the app's 404 page is written there
# Meta tags whose content is a URL that crawlers fetch (the share image), which ``iterlinks``
# does not see.
_URL_METAS = ("og:image", "twitter:image")


class ExportError(Exception):
    """The export cannot start; the message says why."""


@dataclass
class Report:
    written: list[str] = field(default_factory=list)  # URL paths, in the order fetched
    problems: list[str] = field(default_factory=list)  # one line each: the URL and what failed


def _written_links(html: str) -> Iterator[str]:
    if not html.strip():
        return
    parser = lxml_html.HTMLParser(encoding="utf-8", huge_tree=True)
    # As bytes, so that characters lxml refuses in a string are passed over as a browser does.
    document = lxml_html.document_fromstring(html.encode(errors="replace"), parser=parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise TooDeep("nested deeper than the parser reads: its links were not followed")
    for _, _, link, _ in document.iterlinks():
        yield link
    for element in document.iterfind(".//*[@srcset]"):
        for url, _ in srcset_candidates(element.get("srcset")):
            yield url
    for meta in document.iterfind(".//meta[@content]"):
        if (meta.get("property") or meta.get("name")) in _URL_METAS:
            yield meta.get("content")


def links(html: str, page: str, site_url: str) -> list[str]:
    """The site-internal paths (with their query) that ``html``, served at ``page``, points to.

    Raises ``TooDeep`` when the page nests deeper than the parser reads.
    """
    base = site_url.rstrip("/") + page
    site = urlsplit(site_url)
    found = []
    for link in _written_links(html):
        try:
            target = urlsplit(urljoin(base, link.strip()))
        except ValueError:  # "http://[x": kept as written, for the export to report
            found.append(link)
            continue
        if (target.scheme, target.netloc) == (site.scheme, site.netloc):
            found.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def file_for(url: str) -> PurePosixPath | None:
    """Where the response for ``url`` goes, relative to the export; None when no file can be
    served at that URL by a file server (it has a query string)."""
    path, _, query = url.partition("?")
    if query:
        return None
    if path.endswith("/"):
        path += "index.html"
    relative = PurePosixPath(unquote(path).lstrip("/"))
    if ".." in relative.parts or not relative.parts:
        return None
    return relative


def export(app: WSGIApp, seeds: Iterable[str], target: Path, *, site_url: str) -> Report:
    """Fetch ``seeds`` and every page they link to; write each 200 under ``target``."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"{target} is not an empty directory")
    client = Client(app)
    base_url = site_url.rstrip("/") + "/"
    report = Report()
    queue, seen = deque(seeds), set()
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            _export_one(client, url, target, base_url, site_url, queue, report)
        except _NotWritten as exc:
            report.problems.append(f"{url}: {exc}")
    missing = client.get(MISSING, base_url=base_url)
    if missing.status_code != 404:
        report.problems.append(f"{MISSING}: answered {missing.status}, not the 404 page")
    _write(target / MISSING.lstrip("/"), missing.get_data())
    return report


class _NotWritten(Exception):
    """One URL could not be exported; the message says why."""


def _export_one(
    client: Client,
    url: str,
    target: Path,
    base_url: str,
    site_url: str,
    queue: deque[str],
    report: Report,
) -> None:
    """Fetch ``url``, write it (unless it is rightly left out), queue the links of a page."""
    try:
        urlsplit(url)
    except ValueError as exc:  # "http://[x", kept as written by ``links``
        raise _NotWritten(f"cannot be read as a URL: {exc}") from None
    place = file_for(url)
    if place is None:
        raise _NotWritten("a file server cannot serve this URL; not written")
    response = client.get(url, base_url=base_url)
    if response.status_code != 200:
        raise _NotWritten(f"answered {response.status}")
    if "no-store" in response.headers.get("Cache-Control", ""):
        if response.mimetype == "text/html":  # a page with a fault of this run (a lost child)
            raise _NotWritten(
                "not whole this time (a render failed for this process): export again"
            )
        return  # answers that must never be kept, such as /healthz
    body = response.get_data()
    too_deep = None
    if response.mimetype == "text/html":
        try:
            queue.extend(links(response.get_data(as_text=True), url, site_url))
        except TooDeep as exc:
            too_deep = exc
    try:
        _write(target / place, body)
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        # /a and /a/ both answered: one path of a file server cannot be a file and a directory.
        raise _NotWritten(
            f"not written: {place} is also a directory or a file of the export"
        ) from None
    except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL byte
        raise _NotWritten(f"not written: {exc}") from None
    report.written.append(url)
    if too_deep:
        report.problems.append(f"{url}: {too_deep}")


def _write(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
