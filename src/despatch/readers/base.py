"""What every reader shares: the context it reads in, its error type, and the id rule.

`AuthorityEntry` lives in the model (the store keeps authorities too); it is re-exported here for readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import ReaderError  # noqa: F401 - re-exported: readers raise it from here
from ..model import AuthorityEntry, Document, FileInfo  # noqa: F401 - AuthorityEntry re-exported


@dataclass
class ReadContext:
    path: Path
    collection: str
    sha256: str
    size: int
    name_pattern: str | None = None
    # Readers add a collection's authority entries here; the ingest stores them with the documents.
    authorities: list[AuthorityEntry] = field(default_factory=list)
    # Reader settings from the ingest options (e.g. `ocr_lang`, `page_timeout` for scans).
    settings: dict[str, Any] = field(default_factory=dict)

    def file_info(self, fmt: str) -> FileInfo:
        return FileInfo(path=str(self.path), sha256=self.sha256, format=fmt, bytes=self.size)

    def doc_id(self, key: str) -> str:
        return make_id(self.collection, key)

    def name_fields(self) -> dict[str, Any]:
        """Fields from the file name through the user's `--name-pattern` ("{country}_{session}_{year}")."""
        if not self.name_pattern:
            return {}
        return match_name_pattern(self.name_pattern, self.path.stem) or {}


class Reader(Protocol):
    name: str

    def sniff(self, head: bytes, path: Path) -> float:
        """Confidence (0..1) that this reader can read a file starting with `head`."""

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Document]:
        """Yield the documents in the file; raise ReaderError with a one-line reason on failure."""


_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def slug(s: str) -> str:
    return _SLUG.sub("-", s).strip("-") or "x"


def make_id(collection: str, key: str) -> str:
    """`collection/key`: stable, URL-safe, and the same for the same source in the same collection."""
    return f"{slug(collection)}/{slug(key)}"


def match_name_pattern(pattern: str, name: str) -> dict[str, Any] | None:
    """Match a file stem against a pattern with `{field}` placeholders; numbers become ints."""
    parts = re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", pattern)
    rx = ""
    names: list[str] = []
    for p in parts:
        if p.startswith("{") and p.endswith("}"):
            names.append(p[1:-1])
            rx += f"(?P<{p[1:-1]}>.+?)"
        else:
            rx += re.escape(p)
    m = re.fullmatch(rx, name)
    if not m:
        return None
    out: dict[str, Any] = {}
    for n in names:
        v = m.group(n)
        out[n] = int(v) if v.isdigit() else v
    return out
