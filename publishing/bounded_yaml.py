"""YAML read with limits, for front matter and chart configs: whatever the text, loading it
costs bounded time and memory and fails only with ``YAMLDataError``.

PyYAML shares one object between an anchor and each of its aliases, so a "billion laughs" of
nested aliases is small in memory but enormous to any code that walks it as a tree (``repr``,
``json.dumps``, a validator). So aliases of lists and mappings are refused, and the tree is
counted node by node before any Python value is built. Aliases of plain values stay allowed.

Timestamps are left as text: PyYAML turns ``2026-02-30`` into a ``ValueError`` of its own, and
the field that holds the date can say far better what is wrong with it.
"""

import reprlib
from typing import Any, ClassVar

import yaml

MAX_DEPTH = 64

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_short = reprlib.Repr()
_short.maxstring = _short.maxother = 40
_short.maxlist = _short.maxdict = _short.maxtuple = _short.maxset = 3


class YAMLDataError(ValueError):
    """YAML that cannot be used: ``problem`` says why, ``where`` (" at line 3, column 1", or
    empty) where."""

    def __init__(self, problem: str, where: str = "") -> None:
        super().__init__(f"{problem}{where}")
        self.problem, self.where = problem, where

    def described(self, what: str) -> str:
        """``what`` (such as "broken YAML front matter") with the place and the problem."""
        return f"{what}{self.where}: {self.problem}"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


def short(value: Any) -> str:
    """``repr`` cut to a few dozen characters, for messages about values of any size."""
    return clip(_short.repr(value), 80)


def clip(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _where(mark: Any) -> str:
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def _check_tree(root: yaml.Node, max_nodes: int) -> None:
    """Counts the nodes as the tree a walker would see, and refuses shared collections."""
    seen: set[int] = set()
    count = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > max_nodes:
            raise YAMLDataError(f"more than {max_nodes:,} values; that is the limit")
        if depth > MAX_DEPTH:
            raise YAMLDataError(
                f"nested more than {MAX_DEPTH} levels deep", _where(node.start_mark)
            )
        if isinstance(node, yaml.ScalarNode):
            continue
        if id(node) in seen:
            raise YAMLDataError(
                "an alias of a list or mapping; aliases may stand only for plain values",
                _where(node.start_mark),
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = list(node.value)
        stack.extend((child, depth + 1) for child in children)


def load(text: str, *, max_nodes: int) -> Any:
    """The value of the YAML document ``text``, or ``YAMLDataError`` naming what is wrong."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_tree(node, max_nodes)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "cannot be parsed"
        raise YAMLDataError(problem, _where(exc.problem_mark)) from None
    except yaml.reader.ReaderError as exc:
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YAMLDataError(f"the character U+{character:04X} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise YAMLDataError(" ".join(str(exc).split()) or "cannot be parsed") from None
    except RecursionError:
        raise YAMLDataError(f"nested more than {MAX_DEPTH} levels deep") from None
    except YAMLDataError:
        raise
    except Exception as exc:  # a value PyYAML cannot build: a 5,000-digit number, say
        reason = f"{type(exc).__name__}: {exc}"[:200]
        raise YAMLDataError(f"a value cannot be read ({reason})") from None
    finally:
        loader.dispose()
