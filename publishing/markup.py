"""Python-Markdown as articles use it: tables, footnotes, Pygments, permalinks, charts, diagrams."""

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import markdown
from pymdownx.slugs import slugify

from publishing.accessible_markup import AccessibleMarkup
from publishing.bounded_yaml import clip
from publishing.bundles import FileData
from publishing.chart_data import parse_chart
from publishing.chart_lint import lint_chart
from publishing.charts import ChartError, chart_html, error_box
from publishing.diagrams import DiagramError, diagram_html
from publishing.images import Images

if TYPE_CHECKING:  # image_variants builds on the images extension
    from publishing.image_variants import Variants

log = logging.getLogger(__name__)


@dataclass
class RenderNotes:
    """What one conversion found: which kinds of block it has, and which could not be drawn."""

    blocks: Counter[str] = field(default_factory=Counter)  # fenced blocks seen, by kind
    drawn: Counter[str] = field(default_factory=Counter)  # of those, the usable ones
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # faults in blocks that are still drawn

    @property
    def charts(self) -> int:
        return self.drawn["chart"]

    @property
    def diagrams(self) -> int:
        return self.drawn["diagram"]


Fence = Callable[..., str]


Build = Callable[[str, int, Mapping[str, FileData] | None], tuple[str, list[str]]]


def _fence(kind: str, build: Build) -> Fence:
    """A SuperFences formatter: the HTML of ``build(source, number, files)`` (whose warnings go
    to the notes; ``files`` are the article's bundle), or an error box naming the fault."""

    def format_block(
        source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any
    ) -> str:
        notes: RenderNotes = md.insights_notes
        notes.blocks[kind] += 1
        number = notes.blocks[kind]
        try:
            html, warnings = build(source, number, md.insights_files)
        except (ChartError, DiagramError) as exc:
            message = f"{kind} {number}: {exc}"
        except Exception as exc:  # SuperFences would drop the block silently: say so instead
            log.exception("%s %d could not be drawn", kind, number)
            message = f"{kind} {number}: could not be drawn ({type(exc).__name__}: {exc})"
        else:
            notes.drawn[kind] += 1
            notes.warnings += [f"{kind} {number}: {warning}" for warning in warnings]
            return html
        notes.problems.append(message)
        return error_box(f"{kind.capitalize()} not shown", message, source)

    return format_block


def _chart(source: str, number: int, files: Mapping[str, FileData] | None) -> tuple[str, list[str]]:
    config, data_file = parse_chart(source, files)
    return chart_html(config, number, data_file), lint_chart(config)


_chart_fence = _fence("chart", _chart)
_mermaid_fence = _fence("diagram", lambda source, number, files: (diagram_html(source), []))


_slug = slugify(case="lower")
_CHART_ID = re.compile(r"chart-\d+(?:-data)?")


def _heading_id(text: str, separator: str) -> str:
    """A heading's id; never one of the ids chart figures take (chart-1, chart-1-data, …)."""
    ident = _slug(text, separator)
    return f"{ident}-section" if _CHART_ID.fullmatch(ident) else ident


def _new_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "toc",
            "attr_list",
            "def_list",
            "abbr",
            "sane_lists",
            "md_in_html",
            "pymdownx.highlight",
            "pymdownx.superfences",
            AccessibleMarkup(),
            Images(),
        ],
        extension_configs={
            "toc": {
                "permalink": "#",
                "permalink_title": "Link to this section",
                "slugify": _heading_id,
                "toc_depth": "2-4",
            },
            "pymdownx.highlight": {
                "use_pygments": True,
                "css_class": "highlight",
                "guess_lang": False,
                "pygments_lang_class": True,
            },
            "pymdownx.superfences": {
                "custom_fences": [
                    {"name": "chart", "class": "chart", "format": _chart_fence},
                    {"name": "mermaid", "class": "mermaid", "format": _mermaid_fence},
                ]
            },
            "footnotes": {"BACKLINK_TITLE": "Back to the text"},
        },
        output_format="html",
    )


_local = threading.local()


def convert(
    text: str,
    files: Mapping[str, FileData] | None = None,
    variants: Mapping[str, "Variants | str"] | None = None,
) -> tuple[str, str, RenderNotes]:
    """(article HTML, table of contents HTML, notes) for Markdown ``text``, whose relative
    links name ``files`` (its bundle's images and data; None for an article that is one file),
    offering the ``variants`` made of its images.

    One Markdown instance per thread: building one costs more than a short article.
    """
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_markdown()
    md.reset()
    md.insights_notes = notes = RenderNotes()
    md.insights_files = files
    md.insights_variants = variants
    try:
        html = md.convert(text)
    except Exception as exc:  # an extension that chokes on odd input costs this article only
        log.exception("Markdown could not be converted")
        _local.md = None  # its state is unknown now: the next article gets a fresh one
        message = f"the article could not be converted ({type(exc).__name__}: {clip(str(exc))})"
        notes.problems.append(message)
        return error_box("Article not shown", message, text[:2000]), "", notes
    return html, getattr(md, "toc", ""), notes
