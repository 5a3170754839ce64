"""Reading a file a directory scan listed, without trusting that it is still that file: an
article's Markdown or a file of its folder may have been swapped for a FIFO, a device or a
symlink since the scan."""

import os
import stat
from typing import BinaryIO

_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, said for a reader: "a named pipe (FIFO)"."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


class NotAFile(OSError):
    """The entry stopped being a regular file between the listing and the read."""


def open_listed(source: str) -> tuple[BinaryIO, os.stat_result]:
    """The file at ``source`` opened for reading, with its stat; the caller closes it.

    Opened non-blocking and without following a symlink, so an entry swapped for a FIFO or a
    link since the listing fails at once (``OSError``, ``NotAFile``) instead of stalling the
    reader or leaving the directory.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(source, flags)
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            raise NotAFile(f"is {kind_of(found.st_mode)}, not a file")
        return os.fdopen(descriptor, "rb"), found
    except BaseException:
        os.close(descriptor)
        raise


def read_listed(source: str, limit: int) -> tuple[os.stat_result, bytes, os.stat_result]:
    """(stat before, at most ``limit`` + 1 bytes, stat after) of the file at ``source``, opened
    as ``open_listed`` does."""
    handle, before = open_listed(source)
    with handle:
        # What the file holds and one byte more, which shows it grew: asking for the whole
        # limit would allocate that much for every file.
        data = handle.read(min(limit, before.st_size) + 1)
        after = os.fstat(handle.fileno())
    return before, data, after
