"""The article files of a content directory, and reading one without ever blocking.

Every entry is judged on its own, so an odd one (a directory named ``x.md``, a FIFO, a broken or
looping symlink, one that leads out of the directory, a name that is not UTF-8 or holds a control
character) costs that entry a problem, never the scan. Symlinks are followed only when their
final target is a regular file inside the content directory: nothing outside it is ever served.
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from insights.article import Problem

SUFFIX = ".md"
_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass(frozen=True)
class Listed:
    """An entry that is, as listed, a regular file the site may read."""

    name: str
    source: Path  # what to open: the entry itself, or the target of its symlink
    stat: os.stat_result


class NotAFile(OSError):
    """The entry stopped being a regular file between the listing and the read."""


def name_fault(name: str) -> str | None:
    """Why a file name cannot be an article's, or None when it can."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8"
    if any(ch < " " or ch == "\x7f" for ch in name):
        return "the file name holds a control character (a newline or a tab, say)"
    return None


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _judge(
    entry: os.DirEntry[str], directory: Path, real_directory: Path
) -> Listed | Problem | None:
    path = directory / entry.name
    if reason := name_fault(entry.name):
        return Problem(path, reason)
    linked = entry.is_symlink()
    try:
        source = Path(os.path.realpath(entry.path, strict=True)) if linked else path
        if linked and not source.is_relative_to(real_directory):
            return Problem(path, "is a symlink that leads outside the content directory")
        found = os.stat(source)
    except FileNotFoundError:
        # A plain file gone since the listing costs nothing; a symlink to nothing is a problem.
        return Problem(path, "is a symlink to a file that does not exist") if linked else None
    except OSError as exc:
        return Problem(path, f"cannot be read: {exc.strerror or exc}")
    if not stat.S_ISREG(found.st_mode):
        return Problem(path, f"is {_kind(found.st_mode)}, not a file")
    return Listed(entry.name, source, found)


def list_articles(directory: Path) -> tuple[list[Listed], list[Problem]]:
    """The article files of ``directory`` sorted by name, and a problem for each odd entry.

    Raises ``OSError`` only when the directory itself cannot be listed. Names starting with a
    dot are left out without a word: editors keep their swap files there.
    """
    real_directory = Path(os.path.realpath(directory))
    with os.scandir(directory) as listing:
        entries = [e for e in listing if e.name.endswith(SUFFIX) and not e.name.startswith(".")]
    files: list[Listed] = []
    problems: list[Problem] = []
    for entry in entries:
        judged = _judge(entry, directory, real_directory)
        if isinstance(judged, Listed):
            files.append(judged)
        elif judged is not None:
            problems.append(judged)
    return sorted(files, key=lambda f: f.name), problems


def read_bytes(listed: Listed, limit: int) -> tuple[os.stat_result, bytes, os.stat_result]:
    """(stat before, at most ``limit`` + 1 bytes, stat after) of a listed file.

    Opened non-blocking and without following a symlink, so an entry swapped for a FIFO or a
    link since the listing fails at once instead of stalling the scan or leaving the directory.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(listed.source, flags)
    with os.fdopen(descriptor, "rb") as handle:
        before = os.fstat(descriptor)
        if not stat.S_ISREG(before.st_mode):
            raise NotAFile(f"is {_kind(before.st_mode)}, not a file")
        data = handle.read(limit + 1)
        after = os.fstat(descriptor)
    return before, data, after
