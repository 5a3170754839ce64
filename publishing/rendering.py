"""An article's Markdown turned into HTML and the facts pages show of it (words, first
paragraph, blocks and their problems).

Markdown is rendered in a child process under a time budget (``INSIGHTS_RENDER_TIMEOUT``):
Python-Markdown is quadratic on some inputs, and an article past its budget is shown as an
error box instead of holding a worker. Caching renderings is ``render_cache``'s job.
"""

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from publishing import time_budget
from publishing.article import Article
from publishing.bounded_yaml import clip
from publishing.bundles import FileData, render_inputs
from publishing.charts import error_box
from publishing.image_variants import ImageVariants, Variants
from publishing.markup import convert
from publishing.text import text_facts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str
    words: int
    first_paragraph: str
    charts: int
    diagrams: int
    problems: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # faults in blocks that are drawn all the same
    # Failed for a reason outside the article (its child killed, none could start): shown for
    # this request only, never cached, or one killed process would hide the article for days.
    transient: bool = False


def rendered_markdown(
    body: str,
    files: Mapping[str, FileData] | None = None,
    variants: Mapping[str, Variants | str] | None = None,
) -> Rendered:
    """The rendering of an article's Markdown ``body`` (with its bundle's ``files`` and the
    ``variants`` made of its images), here and with no time limit."""
    html, toc, notes = convert(body, files, variants)
    words, first_paragraph = text_facts(html)
    return Rendered(
        html,
        toc,
        words,
        first_paragraph,
        notes.charts,
        notes.diagrams,
        tuple(notes.problems),
        tuple(notes.warnings),
    )


_children = time_budget.ChildPool(preload=[__name__])
_said_no_children = threading.Event()


def _not_rendered(article: Article, reason: str, transient: bool) -> Rendered:
    html = error_box("Article not shown", reason, article.body)
    return Rendered(html, "", 0, "", 0, 0, (reason,), transient=transient)


def render_in_budget(
    article: Article, seconds: float, images: ImageVariants | None = None
) -> Rendered:
    """The article rendered afresh in a child process, or an error box when it could not be:
    past ``seconds``, the child is killed and the box names the limit. A box for a fault of the
    child process rather than of the article is marked ``transient``. The variants of its
    large images are made in ``images`` first, outside the budget (see ``image_variants``)."""
    transient = False
    try:
        # The child is handed the bundle's images and data as bytes (bounded by
        # ``render_inputs``): it measures images and reads chart data without touching the disk.
        files = render_inputs(article.bundle) if article.bundle is not None else None
        variants = images.prepare(files, seconds) if images is not None and files else None
        try:
            return _children.run(seconds, rendered_markdown, article.body, files, variants)
        except time_budget.NoChildren as exc:
            if not _said_no_children.is_set():
                _said_no_children.set()
                log.warning("%s: rendering in this process, with no time budget", exc)
            return rendered_markdown(article.body, files, variants)
    except time_budget.OverBudget:
        reason = f"rendering took longer than the {seconds:g} s limit (INSIGHTS_RENDER_TIMEOUT)"
    except time_budget.ChildLost as exc:  # the child process failed, not the article
        reason = f"rendering stopped: {exc}"
        transient = True
    except Exception as exc:  # whatever one article's rendering raises costs that article only
        log.debug("rendering %s failed", article.path.name, exc_info=True)
        reason = f"could not be rendered ({type(exc).__name__}: {clip(str(exc))})"
    log.warning("%s: %s", article.path.name, reason)
    return _not_rendered(article, reason, transient)
