import markdown

from publishing.markup import convert


def test_headings_get_ids_and_a_trailing_permalink():
    html, _, _ = convert("## The Rise of Open-Source AI\n\ntext")
    assert html.startswith(
        '<h2 id="the-rise-of-open-source-ai">The Rise of Open-Source AI'
        '<a class="headerlink" href="#the-rise-of-open-source-ai" title="Link to this section">'
        "#</a></h2>"
    )


def test_tables_footnotes_and_raw_html():
    html, _, _ = convert(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^n]\n\n[^n]: Here.\n\n<kbd>K</kbd>"
    )
    assert '<table tabindex="0">' in html and '<td class="align-right">1</td>' in html
    assert 'class="footnote"' in html and "Here." in html
    assert "<kbd>K</kbd>" in html


def test_code_is_highlighted_by_pygments_with_classes():
    html, _, _ = convert("```python\ndef f():\n    return 1\n```")
    assert '<div class="language-python highlight">' in html
    assert '<span class="k">def</span>' in html
    assert "style=" not in html


def test_a_table_of_contents_lists_the_headings():
    _, toc, _ = convert("## One\n\n### Two\n\ntext")
    assert 'href="#one"' in toc and 'href="#two"' in toc


def test_chart_and_mermaid_fences_are_counted_and_bad_ones_become_error_boxes():
    text = (
        '```chart\n{"type": "bar", "data": {"datasets": [{"data": [1]}]}}\n```\n\n'
        '```chart\n{"type": "bar", "data": [1,}\n```\n\n'
        "```mermaid\ngraph TD\n  A --> B\n```\n\n"
        "```mermaid\n\n```\n\nAfter the blocks."
    )
    html, _, notes = convert(text)
    assert (notes.charts, notes.diagrams) == (1, 1)
    assert notes.problems == [
        "chart 2: invalid JSON at line 1, column 28: Expecting value",
        "diagram 2: the diagram is empty",
    ]
    assert 'id="chart-1"' in html and '<pre class="mermaid">graph TD' in html
    assert html.count('class="render-error"') == 2
    assert "chart 2: invalid JSON at line 1, column 28" in html
    assert "<p>After the blocks.</p>" in html


def test_each_conversion_starts_afresh():
    convert("```mermaid\ngraph TD\n  A --> B\n```")
    _, toc, notes = convert("Plain.")
    assert (notes.charts, notes.diagrams, notes.problems) == (0, 0, [])
    assert 'href="#' not in toc


def test_table_alignment_is_a_class_not_a_style_and_scrolling_blocks_take_focus():
    html, _, _ = convert("| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n\n```python\nx = 1\n```")
    assert "style=" not in html
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-right">2</td>' in html
    assert '<td class="align-center">3</td>' in html
    assert '<table tabindex="0">' in html
    assert '<div class="language-python highlight"><pre tabindex="0">' in html


def test_a_heading_never_takes_the_id_of_a_chart():
    html, _, _ = convert(
        '## Chart 1\n\n```chart\n{"type": "bar", "data": {"datasets": [{"data": [1]}]}}\n```'
    )
    assert html.count('id="chart-1"') == 1
    assert '<h2 id="chart-1-section">' in html


def test_an_extension_that_raises_costs_only_that_article(monkeypatch):
    real_convert = markdown.Markdown.convert

    def choking(self, source):
        if "BOOM" in source:
            raise IndexError("list index out of range")
        return real_convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", choking)
    html, toc, notes = convert("BOOM <b>bold</b>")
    assert notes.problems == [
        "the article could not be converted (IndexError: list index out of range)"
    ]
    assert 'class="render-error"' in html and "&lt;b&gt;" in html and "<b>" not in html
    assert toc == ""
    assert convert("Fine *text*.")[0] == "<p>Fine <em>text</em>.</p>"


def test_a_chart_with_a_mistake_is_drawn_and_the_mistake_noted():
    html, _, notes = convert(
        "```chart\ntype: bar\ndata: {lables: [a], datasets: [{data: [1]}]}\n```\n\n"
        "```mermaid\nflowchat LR\n  A-->B\n```\n"
    )
    assert '<figure class="chart" id="chart-1">' in html and notes.charts == 1
    assert notes.warnings == ["chart 1: unknown key 'lables' in data; did you mean 'labels'?"]
    assert notes.problems == [
        "diagram 1: unknown diagram type 'flowchat'; did you mean 'flowchart'?"
    ]
    assert html.count('class="render-error"') == 1 and notes.diagrams == 0
