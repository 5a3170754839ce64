"""The article files of a content directory, and reading one without ever blocking.

Every entry is judged on its own, so an odd one (a directory named ``x.md``, a FIFO, a broken or
looping symlink, one that leads out of the directory, a name that is not UTF-8 or holds a control
character) costs that entry a problem, never the scan. Symlinks are followed only when their
final target is a regular file inside the content directory: nothing outside it is ever served.

An article may also be a folder holding ``index.md`` (a bundle): its files of known kinds are
listed with it, each judged the same way, and a symlink among them is followed only when it
leads to a file inside that same folder.
"""

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from publishing.article import Problem
from publishing.bundles import (
    INDEX,
    MAX_DEPTH,
    MAX_FILES,
    MAX_SERVED_BYTES,
    RESERVED,
    BundleFile,
    content_type,
)
from publishing.listed_files import kind_of

SUFFIX = ".md"


@dataclass(frozen=True)
class Listed:
    """An entry that is, as listed, a regular file the site may read."""

    name: str  # ``x.md``, or ``x/index.md`` for an article in its own folder
    source: str  # what to open: the entry itself, or the target of its symlink
    stat: os.stat_result
    bundle: tuple[BundleFile, ...] | None = None  # the folder's files, for a folder article
    # For a folder article, the newest mtime of its folder and the subfolders walked: removing
    # or renaming a file changes only its folder's mtime, the files left keep theirs.
    folders_mtime_ns: int = 0


_CONTROL = re.compile("[\x00-\x1f\x7f]")
_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, as os.fsdecode keeps them


def name_fault(name: str) -> str | None:
    """Why a file name cannot be an article's, or None when it can."""
    if _UNDECODED.search(name):
        return "the file name is not valid UTF-8"
    if _CONTROL.search(name):
        return "the file name holds a control character (a newline or a tab, say)"
    return None


CONTENT_DIRECTORY = "the content directory"
ARTICLE_FOLDER = "the article's folder"
RESERVED_FAULT = "'_' is reserved for the files the site makes; nothing in it is served"


def _judge(
    entry: os.DirEntry[str] | str,
    directory: Path,
    real_directory: str,
    within: str = CONTENT_DIRECTORY,
    want_directory: bool = False,
) -> tuple[str, os.stat_result] | Problem | None:
    """(what to open, its stat) for an entry that is a regular file (a directory with
    ``want_directory``) inside ``real_directory``, else the problem with it (None when it is
    simply gone). ``entry`` is a listed entry or the path of a file that should be there."""
    # Called for every file on every rescan: paths stay strings until a problem needs one.
    path = entry if isinstance(entry, str) else entry.path
    name = os.path.basename(path)
    if reason := name_fault(name):
        return Problem(directory / name, reason)
    try:
        linked = os.path.islink(path) if isinstance(entry, str) else entry.is_symlink()
        if linked:
            source = os.path.realpath(path, strict=True)
            if os.path.commonpath((source, real_directory)) != real_directory:
                return Problem(directory / name, f"is a symlink that leads outside {within}")
            found = os.stat(source)
        else:
            source = path
            found = os.stat(path) if isinstance(entry, str) else entry.stat()
    except FileNotFoundError:
        # A plain file gone since the listing costs nothing; a symlink to nothing is a problem.
        reason = "is a symlink to a file that does not exist"
        return Problem(directory / name, reason) if linked else None
    except OSError as exc:
        return Problem(directory / name, f"cannot be read: {exc.strerror or exc}")
    wanted = stat.S_ISDIR if want_directory else stat.S_ISREG
    if not wanted(found.st_mode):
        return Problem(directory / name, f"is {kind_of(found.st_mode)}, not a file")
    return source, found


def _article_file(
    entry: os.DirEntry[str], directory: Path, real_directory: str
) -> Listed | Problem | None:
    judged = _judge(entry, directory, real_directory)
    return Listed(entry.name, *judged) if isinstance(judged, tuple) else judged


def _bundle(
    entry: os.DirEntry[str], directory: Path, real_directory: str
) -> tuple[Listed | None, list[Problem]]:
    """The article a folder holds, with its files and the problems of its odd entries; no
    article and no word when the folder holds no ``index.md`` (a folder of shared images)."""
    folder = _judge(entry, directory, real_directory, want_directory=True)
    if not isinstance(folder, tuple):
        return None, [folder] if folder else []
    real_folder = os.path.realpath(folder[0])
    index_path = os.path.join(entry.path, INDEX)
    if not os.path.lexists(index_path):
        return None, []
    index = _judge(index_path, directory / entry.name, real_directory)
    if not isinstance(index, tuple):
        return None, [index] if index else []
    top_mtime_ns = folder[1].st_mtime_ns
    files, problems, folders_mtime_ns = _bundle_files(
        entry.path, directory / entry.name, real_folder, top_mtime_ns
    )
    listed = Listed(f"{entry.name}/{INDEX}", *index, files, folders_mtime_ns)
    return listed, problems


def _bundle_files(
    top: str, shown_top: Path, real_folder: str, top_mtime_ns: int
) -> tuple[tuple[BundleFile, ...], list[Problem], int]:
    """The servable files under ``top``, each judged on its own, and the newest mtime of the
    folders walked (``top``'s is ``top_mtime_ns``). Folders are walked, but symlinked folders
    are not (a loop would never end), nor those named with a dot."""
    files: list[BundleFile] = []
    problems: list[Problem] = []
    folders_mtime_ns = top_mtime_ns
    pending = [(top, "", shown_top, 1)]
    while pending:
        path, prefix, shown, depth = pending.pop()
        try:
            if depth > 1:  # a stat per subfolder, none per file: folders are few
                # Before the listing: a file removed after the stat then changes the version no
                # later than the time (a time moved before its version would not move with it).
                folders_mtime_ns = max(folders_mtime_ns, os.lstat(path).st_mtime_ns)
            with os.scandir(path) as listing:
                entries = [e for e in listing if not e.name.startswith(".")]
        except OSError as exc:
            problems.append(Problem(shown, f"cannot be read: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if depth == 1 and entry.name == RESERVED:
                problems.append(Problem(shown / entry.name, RESERVED_FAULT))
                continue
            if entry.is_dir(follow_symlinks=False):
                if depth < MAX_DEPTH and not name_fault(entry.name):
                    pending.append(
                        (entry.path, f"{prefix}{entry.name}/", shown / entry.name, depth + 1)
                    )
                continue
            if content_type(entry.name) is None:
                continue  # the Markdown itself, notes, editor leftovers: never served
            judged = _judge(entry, shown, real_folder, ARTICLE_FOLDER)
            if isinstance(judged, Problem):
                problems.append(judged)
            elif judged and judged[1].st_size > MAX_SERVED_BYTES:
                reason = f"{judged[1].st_size:,} bytes, more than the {MAX_SERVED_BYTES:,} served"
                problems.append(Problem(shown / entry.name, reason))
            elif judged:
                source, found = judged
                files.append(
                    BundleFile(prefix + entry.name, source, found.st_size, found.st_mtime_ns)
                )
    if len(files) > MAX_FILES:
        problems.append(
            Problem(shown_top, f"holds {len(files):,} files; only {MAX_FILES:,} are served")
        )
    files.sort(key=lambda file: file.name)
    return tuple(files[:MAX_FILES]), problems, folders_mtime_ns


def list_articles(directory: Path) -> tuple[list[Listed], list[Problem]]:
    """The article files of ``directory`` (flat ``x.md`` files and ``x/index.md`` folders)
    sorted by name, and a problem for each odd entry.

    Raises ``OSError`` only when the directory itself cannot be listed. Names starting with a
    dot are left out without a word: editors keep their swap files there.
    """
    real_directory = os.path.realpath(directory)
    with os.scandir(directory) as listing:
        entries = [e for e in listing if not e.name.startswith(".")]
    files: list[Listed] = []
    problems: list[Problem] = []
    for entry in entries:
        if entry.name.endswith(SUFFIX):
            judged = _article_file(entry, directory, real_directory)
            found, odd = (judged, []) if isinstance(judged, Listed) else (None, [judged])
        elif entry.is_dir():  # a symlink to a folder too: judged inside
            found, odd = _bundle(entry, directory, real_directory)
        else:
            continue
        files += [found] if found else []
        problems += [problem for problem in odd if problem]
    return sorted(files, key=lambda f: f.name), problems
