"""Folders of files the site makes once and keeps across restarts (image variants, share
cards), named by a digest of what they were made from: removing those no article needs now."""

import os
import re
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

# The 20 hex digits that name what a file was made from, wherever they sit in its name:
# ``<digest>-640.webp``, ``.<digest>.lock``, ``card-<digest>.png``.
_DIGEST = re.compile(r"(?<![0-9a-f])[0-9a-f]{20}(?![0-9a-f])")


@dataclass(frozen=True)
class Pruned:
    files: int
    bytes: int


def prune(folder: Path | None, keep: Set[str], before: float) -> Pruned:
    """Removes the files of ``folder`` named by a digest not in ``keep`` and last written
    before ``before`` (POSIX time): a file made a moment ago may be of an edit this process has
    not read yet. Files without a digest in their name are left alone, except leftovers of a
    write that never finished (``.part-*``, ``*.tmp``) from before ``before``."""
    removed = Pruned(0, 0)
    if folder is None or not folder.is_dir():
        return removed
    for entry in os.scandir(folder):
        if not entry.is_file(follow_symlinks=False):
            continue
        found = _DIGEST.search(entry.name)
        leftover = entry.name.startswith(".part-") or entry.name.endswith(".tmp")
        if (found is None and not leftover) or (found is not None and found[0] in keep):
            continue
        written = entry.stat(follow_symlinks=False)
        if written.st_mtime >= before:
            continue
        try:
            os.unlink(entry.path)
        except FileNotFoundError:  # another process pruned it first
            continue
        removed = Pruned(removed.files + 1, removed.bytes + written.st_size)
    return removed
