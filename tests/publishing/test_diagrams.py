import re

import pytest

from publishing.diagrams import DiagramError, diagram_html
from tests.support.site import ROOT


def test_a_diagram_keeps_its_source_escaped_in_a_mermaid_pre():
    html = diagram_html('graph TD\n  A["<img src=x onerror=alert(1)>"] --> B\n')
    assert html.startswith('<pre class="mermaid">graph TD\n')
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html


@pytest.mark.parametrize(
    ("source", "message"),
    [(" \n\n", "the diagram is empty"), ("graph TD\n" + "A-->B\n" * 9000, "at most 50000")],
)
def test_unusable_diagrams_are_named(source, message):
    with pytest.raises(DiagramError, match=message):
        diagram_html(source)


# One valid opening for each diagram type the vendored Mermaid knows, and the ways authors
# put front matter, directives and comments before it. Mermaid 11.17.2 parses each of these.
VALID = [
    "graph TD\n  A-->B",
    "graph\n  A-->B",
    "flowchart LR\n  A-->B",
    "flowchart-elk TD\n  A-->B",
    "sequenceDiagram\n  A->>B: hi",
    "classDiagram\n  class A",
    "classDiagram-v2\n  class A",
    "stateDiagram\n  [*] --> A",
    "stateDiagram-v2\n  [*] --> A",
    "erDiagram\n  A ||--o{ B : has",
    "journey\n  title T\n  section S\n    Do: 5: Me",
    "gantt\n  dateFormat YYYY-MM-DD\n  section S\n  A :a1, 2024-01-01, 3d",
    'pie title Pets\n  "Dogs" : 3',
    'pie showData\n  "Dogs" : 3',
    "quadrantChart\n  x-axis Low --> High\n  A: [0.3, 0.6]",
    "requirementDiagram\n  requirement r {\n  id: 1\n  }",
    "gitGraph\n  commit",
    "gitGraph:\n  commit",
    'C4Context\n  Person(a, "A")',
    "mindmap\n  root((r))\n    A",
    "timeline\n  2024 : A",
    "sankey-beta\n\nA,B,10",
    "xychart-beta\n  x-axis [a, b]\n  bar [1, 2]",
    "block-beta\n  columns 2\n  a b",
    'packet-beta\n  0-15: "Source Port"',
    "kanban\n  Todo\n    [Write]",
    "architecture-beta\n  service api(server)[API]",
    "radar-beta\n  axis A, B\n  curve c{1, 2}",
    'treemap-beta\n"Root"\n    "A": 10',
    "info",
    "---\ntitle: Hello\n---\nflowchart LR\n  A-->B",
    "---\nconfig:\n  theme: dark\n---\n%% a comment\nsequenceDiagram\n  A->>B: x",
    "%%{init: {'theme': 'dark'}}%%\nflowchart LR\n  A-->B",
    '  %%{init: {"theme": "forest"}}%%\n  %% a comment\n  graph TD\n  A-->B',
]


@pytest.mark.parametrize("source", VALID)
def test_every_diagram_type_mermaid_knows_is_drawn(source):
    assert diagram_html(source).startswith('<pre class="mermaid">')


def test_the_shipped_diagrams_are_drawn():
    blocks = [
        block
        for path in sorted((ROOT / "content").glob("*.md"))
        for block in re.findall(r"```mermaid\n(.*?)```", path.read_text(), re.S)
    ]
    assert len(blocks) == 2
    for block in blocks:
        diagram_html(block)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("flowchat TD\n  A-->B", "unknown diagram type 'flowchat'; did you mean 'flowchart'?"),
        ("Graph TD\n  A-->B", "unknown diagram type 'Graph'; did you mean 'graph'?"),
        (
            "sequence\n  A->>B: hi",
            "unknown diagram type 'sequence'; did you mean 'sequenceDiagram'?",
        ),
        ("%% a note\nsequnceDiagram\n  A->>B: hi", "did you mean 'sequenceDiagram'?"),
        ("zenuml\n  A.b()", "^unknown diagram type 'zenuml'$"),  # not in the vendored build
        (
            "---\ntitle: x\nflowchart LR\n  A-->B",
            "must be closed by a '---' line, then the diagram",
        ),
        ("---\ntitle: x\n---\n", "must be closed by a '---' line, then the diagram"),
        ("%% only a comment\n", "no diagram type: the first line names one"),
    ],
)
def test_a_diagram_mermaid_would_find_no_type_in_is_named(source, message):
    with pytest.raises(DiagramError, match=message):
        diagram_html(source)
