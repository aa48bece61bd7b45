"""How many pages are recognised at once, across every ingest worker of one `despatch ingest -j N`.

Each worker reads its own files, and a long scan's pages are spread over threads (each running a
Tesseract process); without a shared bound, N workers × N threads would run N² Tesseracts on N cores
and hold N² page images. The ingest names a group and its size in the environment its workers inherit
(`DESPATCH_OCR_SLOTS=group:size`); a page takes one of the group's lock files (`flock`, released by the
kernel if the process dies) while it is rendered and recognised.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV = "DESPATCH_OCR_SLOTS"


def group_size() -> int:
    """Pages recognised at once in this process's group (1 outside an ingest)."""
    raw = os.environ.get(ENV, "")
    try:
        return max(1, int(raw.rsplit(":", 1)[1]))
    except (IndexError, ValueError):
        return 1


@contextmanager
def group(size: int) -> Iterator[None]:
    """Declare an ingest's slot group (this process and the workers it starts) for its duration."""
    old = os.environ.get(ENV)
    os.environ[ENV] = f"{os.getpid()}-{time.monotonic_ns()}:{max(1, size)}"
    try:
        yield
    finally:
        _cleanup()
        if old is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = old


def _paths() -> list[Path]:
    raw = os.environ.get(ENV, "")
    name, _, _ = raw.rpartition(":")
    if not name:
        return []
    d = Path(tempfile.gettempdir())
    return [d / f"despatch-ocr-{name}-{k}.lock" for k in range(group_size())]


@contextmanager
def slot() -> Iterator[None]:
    """Hold one of the group's slots (no wait outside a group: the caller's thread pool is the bound)."""
    paths = _paths()
    if not paths:
        yield
        return
    while True:
        for p in paths:
            fd = os.open(p, os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            return
        time.sleep(0.05)


def _cleanup() -> None:
    for p in _paths():
        try:
            p.unlink()
        except OSError:
            pass
