import pytest

from insights.diagrams import DiagramError, diagram_html


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
