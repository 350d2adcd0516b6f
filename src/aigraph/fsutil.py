"""Writing files so that a reader never sees a half-written one.

Every file aigraph writes goes through :func:`atomic_write_bytes` / :func:`atomic_write_text`:
the content goes to a temporary file in the same folder, is flushed to disk, then renamed over
the target (an atomic operation on POSIX and Windows).

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(d / "a.txt", "你好")
>>> (d / "a.txt").read_text(encoding="utf-8")
'你好'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    with atomic_writer(path) as fh:
        fh.write(data)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to stream into; it replaces ``path`` only when the block ends normally.

    For files too large to hold in memory (the published graph of a large corpus).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "b.bin"
    >>> with atomic_writer(target) as fh:
    ...     _ = fh.write(b"abc")
    >>> target.read_bytes()
    b'abc'
    """
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        yield fh


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary file beside ``path`` for a writer that opens files itself; it replaces
    ``path`` only when the block ends normally.

    For Oxigraph's ``dump`` to a path: it then writes without holding Python's lock, so other
    work goes on beside it.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "c.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("abc")
    >>> target.read_text()
    'abc'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        # mkstemp creates the file readable by its owner only; published files get the usual
        # permissions (rw-r--r-- under the common umask).
        os.chmod(tmp, 0o666 & ~_umask())
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 (whatever the platform's default) through :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))
