"""Fenced ```mermaid blocks: kept as escaped source that Mermaid turns into SVG in the browser.

Before that, the block's diagram type is found as Mermaid 11.17.2 (the vendored
``static/vendor/mermaid``) finds it, so a misspelt type is an error box and a ``check`` problem
here rather than Mermaid's "No diagram type detected" in a visitor's browser.
"""

import difflib
import re
from html import escape
from textwrap import dedent

MAX_DIAGRAM_CHARS = 50_000

# Mermaid's detectType strips these first (its frontMatterRegex, directiveRegex, commentRegex).
_FRONT_MATTER = re.compile(r"^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+", re.S)
_DIRECTIVE = re.compile(
    r"%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?", re.I
)
_COMMENT = re.compile(r"\s*%%.*\n")
# Its detectors, one per diagram type, tested against what is left; the C4 one's alternation
# is Mermaid's own, which finds the last four names anywhere in the text.
_DETECTORS = [
    re.compile(pattern, flags)
    for pattern, flags in (
        (r"^\s*C4Context|C4Container|C4Component|C4Dynamic|C4Deployment", 0),
        (r"^\s*(graph|flowchart)", 0),  # flowchart-elk too
        (r"^\s*swimlane-beta\b", 0),
        (r"^\s*erDiagram", 0),
        (r"^\s*gitGraph", 0),
        (r"^\s*gantt", 0),
        (r"^\s*info", 0),
        (r"^\s*pie", 0),
        (r"^\s*quadrantChart", 0),
        (r"^\s*xychart(-beta)?", 0),
        (r"^\s*requirement(Diagram)?", 0),
        (r"^\s*sequenceDiagram", 0),
        (r"^\s*classDiagram", 0),  # classDiagram-v2 too
        (r"^\s*stateDiagram", 0),  # stateDiagram-v2 too
        (r"^\s*journey", 0),
        (r"^\s*timeline", 0),
        (r"^\s*mindmap", 0),
        (r"^\s*kanban", 0),
        (r"^\s*sankey(-beta)?", 0),
        (r"^\s*packet(-beta)?", 0),
        (r"^\s*radar-beta", 0),
        (r"^\s*block(-beta)?", 0),
        (r"^\s*treeView-beta", 0),
        (r"^\s*architecture", 0),
        (r"^\s*eventmodeling", 0),
        (r"^\s*ishikawa(-beta)?\b", re.I),
        (r"^\s*venn-beta", 0),
        (r"^\s*treemap", 0),
        (r"^\s*wardley-beta", re.I),
        (r"^\s*cynefin-beta(?:[\s:]|$)", 0),
        (r"^\s*railroad-(?:ebnf-|abnf-|peg-)?beta", re.I),
        (r"^\s*error\s*$", re.I),  # Mermaid's own error diagram
    )
]
# The first words its documentation gives, offered to an author who misspelt one.
DIAGRAM_TYPES = (
    "architecture-beta",
    "block-beta",
    "C4Component",
    "C4Container",
    "C4Context",
    "C4Deployment",
    "C4Dynamic",
    "classDiagram",
    "classDiagram-v2",
    "cynefin-beta",
    "erDiagram",
    "eventmodeling",
    "flowchart",
    "flowchart-elk",
    "gantt",
    "gitGraph",
    "graph",
    "info",
    "ishikawa-beta",
    "journey",
    "kanban",
    "mindmap",
    "packet-beta",
    "pie",
    "quadrantChart",
    "radar-beta",
    "railroad-abnf-beta",
    "railroad-beta",
    "railroad-ebnf-beta",
    "railroad-peg-beta",
    "requirementDiagram",
    "sankey-beta",
    "sequenceDiagram",
    "stateDiagram",
    "stateDiagram-v2",
    "swimlane-beta",
    "timeline",
    "treemap-beta",
    "treeView-beta",
    "venn-beta",
    "wardley-beta",
    "xychart-beta",
)


class DiagramError(ValueError):
    """A diagram block that cannot be used."""


def _check_type(text: str) -> None:
    """DiagramError unless Mermaid would find a diagram type in ``text``."""
    body = _COMMENT.sub("\n", _DIRECTIVE.sub("", _FRONT_MATTER.sub("", text, count=1)))
    if any(detector.search(body) for detector in _DETECTORS):
        return
    if body.startswith("---"):
        raise DiagramError(
            "the front matter opened by '---' must be closed by a '---' line, then the diagram"
        )
    word = body.split(maxsplit=1)[0] if body.strip() else ""
    if not word or word.startswith("%%"):  # a last comment line, which has no line end
        raise DiagramError("no diagram type: the first line names one, such as 'flowchart'")
    by_folded = {name.casefold(): name for name in DIAGRAM_TYPES}
    close = difflib.get_close_matches(word.casefold(), by_folded, n=1)
    hint = f"; did you mean '{by_folded[close[0]]}'?" if close else ""
    raise DiagramError(f"unknown diagram type '{word}'{hint}")


def diagram_html(source: str) -> str:
    """``<pre class="mermaid">`` holding the source, readable as text when no script runs."""
    text = source.strip("\n")
    if not text.strip():
        raise DiagramError("the diagram is empty")
    if len(text) > MAX_DIAGRAM_CHARS:
        raise DiagramError(
            f"the diagram is {len(text)} characters; at most {MAX_DIAGRAM_CHARS} are drawn"
        )
    # Mermaid reads the element's text dedented and trimmed, with its line ends made "\n".
    _check_type(re.sub(r"\r\n?", "\n", dedent(text)).strip())
    return f'<pre class="mermaid">{escape(text, quote=False)}</pre>'
