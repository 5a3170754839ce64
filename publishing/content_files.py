"""The article files of a content directory, and reading one without ever blocking.

Every entry is judged on its own, so an odd one (a directory named ``x.md``, a FIFO, a broken or
looping symlink, one that leads out of the directory, a name that is not UTF-8 or holds a control
character) costs that entry a problem, never the scan. Symlinks are followed only when their
final target is a regular file inside the content directory: nothing outside it is ever served.
"""

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from publishing.article import Problem

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
    source: str  # what to open: the entry itself, or the target of its symlink
    stat: os.stat_result


class NotAFile(OSError):
    """The entry stopped being a regular file between the listing and the read."""


_CONTROL = re.compile("[\x00-\x1f\x7f]")
_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, as os.fsdecode keeps them


def name_fault(name: str) -> str | None:
    """Why a file name cannot be an article's, or None when it can."""
    if _UNDECODED.search(name):
        return "the file name is not valid UTF-8"
    if _CONTROL.search(name):
        return "the file name holds a control character (a newline or a tab, say)"
    return None


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _judge(
    entry: os.DirEntry[str], directory: Path, real_directory: str
) -> Listed | Problem | None:
    # Called for every file on every rescan: paths stay strings until a problem needs one.
    if reason := name_fault(entry.name):
        return Problem(directory / entry.name, reason)
    linked = entry.is_symlink()
    try:
        if linked:
            source = os.path.realpath(entry.path, strict=True)
            if os.path.commonpath((source, real_directory)) != real_directory:
                reason = "is a symlink that leads outside the content directory"
                return Problem(directory / entry.name, reason)
            found = os.stat(source)
        else:
            source, found = entry.path, entry.stat()
    except FileNotFoundError:
        # A plain file gone since the listing costs nothing; a symlink to nothing is a problem.
        reason = "is a symlink to a file that does not exist"
        return Problem(directory / entry.name, reason) if linked else None
    except OSError as exc:
        return Problem(directory / entry.name, f"cannot be read: {exc.strerror or exc}")
    if not stat.S_ISREG(found.st_mode):
        return Problem(directory / entry.name, f"is {_kind(found.st_mode)}, not a file")
    return Listed(entry.name, source, found)


def list_articles(directory: Path) -> tuple[list[Listed], list[Problem]]:
    """The article files of ``directory`` sorted by name, and a problem for each odd entry.

    Raises ``OSError`` only when the directory itself cannot be listed. Names starting with a
    dot are left out without a word: editors keep their swap files there.
    """
    real_directory = os.path.realpath(directory)
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
        # What the file holds and one byte more, which shows it grew: asking for the whole
        # limit would allocate that much for every file.
        data = handle.read(min(limit, before.st_size) + 1)
        after = os.fstat(descriptor)
    return before, data, after
