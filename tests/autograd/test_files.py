"""Tests for the atomic file writer: modes, symbolic links, interruption, no temporary files."""

import os
import stat

import pytest

from autograd import files
from autograd.files import write_atomically


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_writes_text_and_bytes_and_replaces_the_old_contents(tmp_path):
    path = tmp_path / "out.txt"
    write_atomically(path, "é\n")
    assert path.read_bytes() == "é\n".encode()
    write_atomically(str(path), b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_an_existing_file_keeps_its_mode(tmp_path):
    path = tmp_path / "secret.json"
    path.write_text("old")
    os.chmod(path, 0o600)
    write_atomically(path, "new")
    assert mode(path) == 0o600 and path.read_text() == "new"
    os.chmod(path, 0o640)
    write_atomically(path, "newer")
    assert mode(path) == 0o640


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path, umask):
    previous = os.umask(umask)
    try:
        write_atomically(tmp_path / "new.txt", "x")
        with open(tmp_path / "plain.txt", "w") as file:
            file.write("x")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "new.txt") == 0o666 & ~umask == mode(tmp_path / "plain.txt")


def test_writes_through_a_symbolic_link_to_its_target(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomically(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["link.txt", "real.txt"]


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError, RuntimeError])
def test_an_interrupted_write_removes_its_temporary_file_and_keeps_the_old_one(
    tmp_path, monkeypatch, error
):
    path = tmp_path / "model.json"
    path.write_text("old")

    def fail(fd):
        raise error("interrupted")

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(error):
        write_atomically(path, "x" * 1_000_000)
    assert os.listdir(tmp_path) == ["model.json"]
    assert path.read_text() == "old"


def test_refuses_data_that_is_not_text_or_bytes(tmp_path):
    with pytest.raises(TypeError, match="writes str or bytes, not int"):
        write_atomically(tmp_path / "x", 3)
    assert list(tmp_path.iterdir()) == []
