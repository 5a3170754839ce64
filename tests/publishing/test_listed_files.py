import os

import pytest

from publishing.listed_files import NotAFile, kind_of, read_listed

TEXT = b"---\ntitle: A\n---\nSome text.\n"


@pytest.fixture
def listed(tmp_path):
    path = tmp_path / "good.md"
    path.write_bytes(TEXT)
    return path


def test_a_file_swapped_for_a_fifo_fails_at_once(listed):
    listed.unlink()
    os.mkfifo(listed)
    with pytest.raises(NotAFile, match=r"is a named pipe \(FIFO\), not a file"):
        read_listed(str(listed), 1000)


def test_a_file_swapped_for_a_symlink_is_not_followed(listed, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_bytes(b"secret")
    listed.unlink()
    listed.symlink_to(secret)
    with pytest.raises(OSError, match="symbolic links"):
        read_listed(str(listed), 1000)


def test_a_directory_is_named_for_what_it_is(tmp_path):
    with pytest.raises(NotAFile, match="is a directory, not a file"):
        read_listed(str(tmp_path), 1000)
    assert kind_of(os.stat(tmp_path).st_mode) == "a directory"


def test_reading_stops_one_byte_past_the_limit(listed):
    before, data, after = read_listed(str(listed), 10)
    assert data == TEXT[:11] and before.st_size == after.st_size == len(TEXT)
