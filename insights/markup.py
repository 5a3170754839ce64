"""Python-Markdown as articles use it: tables, footnotes, Pygments, permalinks, charts, diagrams."""

import threading
from dataclasses import dataclass, field
from typing import Any

import markdown
from pymdownx.slugs import slugify

from insights.charts import ChartError, chart_html, error_box, parse_chart
from insights.diagrams import DiagramError, diagram_html


@dataclass
class RenderNotes:
    """What one conversion found: which kinds of block it has, and which could not be drawn."""

    chart_blocks: int = 0
    charts: int = 0
    diagrams: int = 0
    problems: list[str] = field(default_factory=list)


def _notes(md: Any) -> RenderNotes:
    return md.insights_notes


def _chart_fence(
    source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any
) -> str:
    notes = _notes(md)
    notes.chart_blocks += 1
    try:
        config = parse_chart(source)
    except ChartError as exc:
        message = f"chart {notes.chart_blocks}: {exc}"
        notes.problems.append(message)
        return error_box("Chart not shown", message, source)
    notes.charts += 1
    return chart_html(config, notes.chart_blocks)


def _mermaid_fence(
    source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any
) -> str:
    notes = _notes(md)
    try:
        html = diagram_html(source)
    except DiagramError as exc:
        message = f"diagram: {exc}"
        notes.problems.append(message)
        return error_box("Diagram not shown", message, source)
    notes.diagrams += 1
    return html


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
        ],
        extension_configs={
            "toc": {
                "permalink": "#",
                "permalink_title": "Link to this section",
                "slugify": slugify(case="lower"),
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


def convert(text: str) -> tuple[str, str, RenderNotes]:
    """(article HTML, table of contents HTML, notes) for Markdown ``text``.

    One Markdown instance per thread: building one costs more than a short article.
    """
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_markdown()
    md.reset()
    md.insights_notes = notes = RenderNotes()
    html = md.convert(text)
    return html, getattr(md, "toc", ""), notes
