"""Command-line tools for the author: ``flask --app app check``."""

import sys

import click
from flask import Blueprint, current_app

from insights.checks import find_problems

bp = Blueprint("commands", __name__, cli_group=None)


@bp.cli.command("check")
def check() -> None:
    """Print every problem in the content directory; exit 1 when there is any."""
    snapshot = current_app.extensions["insights.library"].snapshot(force=True)
    problems = find_problems(snapshot)
    for problem in problems:
        click.echo(str(problem))
    count = len(problems)
    click.echo(f"{len(snapshot.articles)} articles, {count} problem{'s' * (count != 1)}", err=True)
    sys.exit(1 if problems else 0)
