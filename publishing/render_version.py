"""A digest of the code that turns Markdown into HTML, and of the libraries it uses.

Part of every render cache key, so a shared cache never serves HTML made by other code: a
deploy that changes the renderer renders afresh, and hosts running different code never mix.
The files are found by following ``rendering``'s imports inside this package, so a module
added to the renderer is part of the digest without anyone listing it.
"""

import ast
import hashlib
import sys
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# Not imported by any module here, but it colours the code blocks (through pymdownx.highlight).
INDIRECT_LIBRARIES = ("pygments",)


def _imported(path: Path) -> set[str]:
    """The modules a source file imports, as dotted names (``from a import b`` gives a and a.b)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def renderer_sources(start: Path = PACKAGE / "rendering.py") -> tuple[list[Path], set[str]]:
    """Every source file of this package that ``start`` imports, itself and transitively, in
    name order; and the top-level names of the other libraries those files import."""
    seen: set[Path] = set()
    libraries: set[str] = set()
    waiting = [start]
    while waiting:
        path = waiting.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imported(path):
            top, _, rest = name.partition(".")
            if top != PACKAGE.name:
                if top not in sys.stdlib_module_names:
                    libraries.add(top)
            elif (module := PACKAGE / f"{rest.replace('.', '/')}.py").is_file():
                waiting.append(module)
    return sorted(seen), libraries


def _distributions(libraries: set[str]) -> list[str]:
    found = metadata.packages_distributions()
    names = {dist for library in libraries for dist in found.get(library, [library])}
    return sorted({*names, *INDIRECT_LIBRARIES}, key=str.lower)


def renderer_version() -> str:
    digest = hashlib.blake2b(digest_size=6)
    sources, libraries = renderer_sources()
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for distribution in _distributions(libraries):
        digest.update(f"{distribution}={metadata.version(distribution)}".encode())
    return digest.hexdigest()


RENDER_VERSION = renderer_version()
