"""Readers: one module per input format, each recognising its input by content.

A reader is any object with a `name`, a `sniff(head, path)` that returns its confidence, and a
`read(data, ctx)` that yields documents (see `base.Reader`). `READERS` lists them in the order ties are
broken; `detect` picks the most confident.
"""

from __future__ import annotations

from pathlib import Path

from .base import AuthorityEntry, ReadContext, Reader, ReaderError, make_id

READERS: list[Reader] = []
_loaded = False


def register(reader: Reader) -> Reader:
    READERS.append(reader)
    return reader


def _load_builtin() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from . import archive_record, plaintext  # noqa: F401

    for optional in ("tei", "html", "pdf", "scan"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as e:  # a reader module not written yet, or its library missing
            if e.name and e.name.endswith(optional):
                continue
            raise


def detect(head: bytes, path: Path, forced: str | None = None) -> Reader | None:
    """The reader for a file, by content first (extension only breaks ties inside a reader's sniff)."""
    _load_builtin()
    if forced:
        for r in READERS:
            if r.name == forced:
                return r
        raise ReaderError(f"unknown format {forced!r}")
    best, score = None, 0.0
    for r in READERS:
        s = r.sniff(head, path)
        if s > score:
            best, score = r, s
    return best


def reader_names() -> list[str]:
    _load_builtin()
    return [r.name for r in READERS]


__all__ = ["AuthorityEntry", "ReadContext", "Reader", "ReaderError", "detect", "make_id", "register", "reader_names"]
