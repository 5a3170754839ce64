import os
import time

from publishing.file_cache import Pruned, prune

KEPT, GONE = "0123456789abcdef0123", "fedcba9876543210fedc"


def test_prune_removes_only_old_files_named_by_a_digest_not_kept(tmp_path):
    names = {
        f"{KEPT}-640.webp": True,
        f".{KEPT}.lock": True,
        f"{GONE}-640.webp": False,
        f"{GONE}-1280.jpg": False,
        f".{GONE}.lock": False,
        f"card-{GONE}.png": False,
        ".part-k2j4h1": False,  # a write that never finished
        "abc.tmp": False,
        "notes.txt": True,  # not ours: no digest in its name
    }
    old = time.time() - 7200
    for name in names:
        (tmp_path / name).write_bytes(b"x" * 10)
        os.utime(tmp_path / name, (old, old))
    (tmp_path / f"card-{GONE[::-1]}.png").write_bytes(b"new")  # just made: kept, needed or not
    (tmp_path / "sub").mkdir()
    removed = prune(tmp_path, {KEPT}, before=time.time() - 3600)
    assert removed == Pruned(files=6, bytes=60)
    left = {path.name for path in tmp_path.iterdir()}
    assert left == {n for n, kept in names.items() if kept} | {f"card-{GONE[::-1]}.png", "sub"}


def test_prune_of_no_folder_removes_nothing(tmp_path):
    assert prune(None, set(), time.time()) == Pruned(0, 0)
    assert prune(tmp_path / "missing", set(), time.time()) == Pruned(0, 0)
