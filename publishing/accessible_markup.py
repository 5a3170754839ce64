"""A Python-Markdown extension for output a strict CSP and keyboard users can live with.

- Table cell alignment becomes a class: the tables extension writes ``style="text-align: …"``,
  which ``style-src 'self'`` blocks (its ``align`` attribute alternative is obsolete HTML).
- Tables and code blocks get ``tabindex="0"``: they scroll sideways on narrow screens, and a
  scrolling region must be reachable without a mouse.
"""

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")
# Highlighted code arrives as stashed HTML, after the tree is serialised: only text is left.
_CODE_PRE = re.compile(r'(<div class="[^"]*\bhighlight\b[^"]*"><pre)>')


class _Tables(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            table.set("tabindex", "0")
            for cell in (*table.iter("th"), *table.iter("td")):
                match = _ALIGN.match(cell.get("style", ""))
                if match:
                    del cell.attrib["style"]
                    classes = f"{cell.get('class', '')} align-{match.group(1)}"
                    cell.set("class", classes.strip())


class _CodeBlocks(Postprocessor):
    def run(self, text: str) -> str:
        return _CODE_PRE.sub(r'\1 tabindex="0">', text)


class AccessibleMarkup(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Tables(md), "accessible_tables", 0)
        md.postprocessors.register(_CodeBlocks(md), "accessible_code", 0)
