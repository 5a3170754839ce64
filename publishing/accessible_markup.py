"""A Python-Markdown extension for output a strict CSP and keyboard users can live with.

- Table cell alignment becomes a class: the tables extension writes ``style="text-align: …"``,
  which ``style-src 'self'`` blocks (its ``align`` attribute alternative is obsolete HTML).
- Tables and code blocks get ``tabindex="0"``: they scroll sideways on narrow screens, and a
  scrolling region must be reachable without a mouse. A table scrolls in a
  ``<div class="table-scroll">`` around it, so that the table itself can span the text width.
- A column whose cells are all numbers (``12``, ``1,200``, ``38 ms``, ``-4.5%``) is right-aligned
  unless the author aligned it, so that its digits line up.
"""

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")
_NUMBER = re.compile(r"^[-+\u2212]?[$€£¥]?\d[\d,.\s]*(%|\s?[A-Za-zµ]{1,3})?$")
# Highlighted code arrives as stashed HTML, after the tree is serialised: only text is left.
_CODE_PRE = re.compile(r'(<div class="[^"]*\bhighlight\b[^"]*"><pre)>')


def _add_class(element: etree.Element, name: str) -> None:
    element.set("class", f"{element.get('class', '')} {name}".strip())


def _align_numbers(table: etree.Element) -> None:
    rows = [list(row) for row in table.iter("tr")]
    for column in range(max(map(len, rows), default=0)):
        cells = [row[column] for row in rows if column < len(row)]
        values = ["".join(cell.itertext()).strip() for cell in cells if cell.tag == "td"]
        unaligned = not any("align-" in cell.get("class", "") for cell in cells)
        if unaligned and any(values) and all(_NUMBER.match(v) for v in values if v):
            for cell in cells:
                _add_class(cell, "align-right")


class _Tables(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, table in enumerate(parent):
                if table.tag != "table":
                    continue
                table.set("tabindex", "0")
                for cell in (*table.iter("th"), *table.iter("td")):
                    match = _ALIGN.match(cell.get("style", ""))
                    if match:
                        del cell.attrib["style"]
                        _add_class(cell, f"align-{match.group(1)}")
                _align_numbers(table)
                box = etree.Element("div", {"class": "table-scroll"})
                box.tail, table.tail = table.tail, None
                box.append(table)
                parent[index] = box


class _CodeBlocks(Postprocessor):
    def run(self, text: str) -> str:
        return _CODE_PRE.sub(r'\1 tabindex="0">', text)


class AccessibleMarkup(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Tables(md), "accessible_tables", 0)
        md.postprocessors.register(_CodeBlocks(md), "accessible_code", 0)
