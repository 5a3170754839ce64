"""Fenced ```mermaid blocks: kept as escaped source that Mermaid turns into SVG in the browser."""

from html import escape

MAX_DIAGRAM_CHARS = 50_000


class DiagramError(ValueError):
    """A diagram block that cannot be used."""


def diagram_html(source: str) -> str:
    """``<pre class="mermaid">`` holding the source, readable as text when no script runs."""
    text = source.strip("\n")
    if not text.strip():
        raise DiagramError("the diagram is empty")
    if len(text) > MAX_DIAGRAM_CHARS:
        raise DiagramError(
            f"the diagram is {len(text)} characters; at most {MAX_DIAGRAM_CHARS} are drawn"
        )
    return f'<pre class="mermaid">{escape(text, quote=False)}</pre>'
