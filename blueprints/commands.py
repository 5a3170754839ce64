"""Command-line tools for the author: ``flask --app app check``, ``flask --app app export``
and ``flask --app app prune``."""

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Blueprint, Flask, current_app

from blueprints import live_reload
from blueprints.sitemaps import sitemap_files
from extensions import library, renderer, settings, share_images, static_build
from hooks.templating import longdate
from publishing.checks import find_problems, problem_line
from publishing.file_cache import prune
from publishing.image_variants import digests
from publishing.sitemap import places
from publishing.static_search import static_index
from serving.export import ExportError, export

bp = Blueprint("commands", __name__, cli_group=None)


@contextmanager
def _silenced(name: str) -> Iterator[None]:
    """No log lines from logger ``name`` and its children while the block runs."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


@bp.cli.command("check")
def check() -> None:
    """Print every problem in the content directory; exit 1 when there is any."""
    content = library()
    # Each problem is printed once, below: the log lines the library and the renderer write
    # about the same faults (a skipped file, a render that failed) would say it twice.
    with _silenced("publishing"):
        snapshot = content.snapshot(force=True)
        problems = find_problems(snapshot, renderer(), share_images().static_dir)
    for problem in problems:
        click.echo(problem_line(problem, content.content_dir))
    count = len(problems)
    click.echo(f"{len(snapshot.articles)} articles, {count} problem{'s' * (count != 1)}", err=True)
    sys.exit(1 if problems else 0)


@bp.cli.command("prune")
@click.option(
    "--hours",
    default=24.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Keep whatever was written more recently than this, needed or not.",
)
def prune_files(hours: float) -> None:
    """Remove the image variants and share cards that no article needs any more (those of
    images since changed or removed, of titles since edited), from this host's folders."""
    snapshot = library().snapshot(force=True)
    images, shared = renderer().images, share_images()
    site = settings().site_title
    variants = {d for a in snapshot.articles if a.bundle is not None for d in digests(a.bundle)}
    cards = {shared.card_digest(a, longdate(a.date), site) for a in snapshot.articles}
    before = time.time() - hours * 3600
    removed = [
        prune(images.root if images else None, variants, before),
        prune(shared.cards_dir, {card for card in cards if card}, before),
    ]
    files, size = sum(r.files for r in removed), sum(r.bytes for r in removed)
    click.echo(f"{files} files removed ({size / 2**20:.1f} MB)", err=True)


def published_paths(app: Flask) -> list[str]:
    """Every URL of the public site: each GET route, filled with every public tag or article
    slug it takes, the numbered list pages, every static file under its hashed URL, and every
    file of an article kept in its own folder, linked or not."""
    snapshot, now = library(app).snapshot(force=True), library(app).now()
    view = snapshot.view(now)
    with app.test_request_context():  # how the sitemap is cut depends on its URLs' length
        sitemaps = len(sitemap_files(snapshot, now))
    fillings = {
        frozenset(): [{}],
        frozenset({"tag"}): [{"tag": tag} for tag in view.tags],
        frozenset({"slug"}): [{"slug": article.slug} for article in view.articles],
        frozenset({"series"}): [{"series": slug} for slug in view.series],
        frozenset({"part"}): [{"part": n} for n in range(1, sitemaps + 1) if sitemaps > 1],
    }
    paths = []
    for rule in app.url_map.iter_rules():
        needed = frozenset(rule.arguments - set(rule.defaults or {}))
        if "GET" in (rule.methods or ()) and rule.endpoint != "static":
            paths += [rule.build(values)[1] for values in fillings.get(needed, [])]
    urls = app.url_map.bind("localhost")
    paths += [urls.build(p.endpoint, p.values) for p in places(view, settings(app).per_page)]
    build = static_build(app)
    paths += [urls.build("static", {"filename": build.url_path(name)}) for name in build.digests]
    beside = [(a.slug, f.name) for a in view.articles if a.bundle for f in a.bundle.files]
    paths += [urls.build("bundles.bundle_file", {"slug": s, "name": n}) for s, n in beside]
    return list(dict.fromkeys(paths))


@bp.cli.command("export")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def export_site(target: Path) -> None:
    """Write the published site into TARGET (an empty or new directory) as static files."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    config = settings(app)
    if not config.site_url:
        raise click.UsageError("set INSIGHTS_SITE_URL: feeds and canonical links need it")
    if config.show_drafts:
        raise click.UsageError("INSIGHTS_SHOW_DRAFTS is on: only the published site is exported")
    if live_reload.bp.name in app.blueprints:  # registered when the app was made in debug mode
        raise click.UsageError("debug mode is on: its pages would load the live-reload script")
    try:
        report = export(app, published_paths(app), target, site_url=config.site_url)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    # Where no server answers /search/?q=…, static/js/search.js searches this file instead.
    public = library(app).snapshot().view(library(app).now()).articles
    (target / "search").mkdir(exist_ok=True)
    (target / "search" / "index.json").write_bytes(static_index(public, longdate))
    for problem in report.problems:
        click.echo(problem)
    click.echo(f"{len(report.written)} files written to {target}", err=True)
    sys.exit(1 if report.problems else 0)
