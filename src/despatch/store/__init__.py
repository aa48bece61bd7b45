"""Persistence and search: one `Archive` interface, an embedded SQLite backend by default."""

from __future__ import annotations

import os

from .base import Archive, DocSummary, PutResult, StoredFile, VersionInfo
from .sqlite import SQLiteArchive, default_archive_path


def open_archive(path: str | os.PathLike[str] | None = None, readonly: bool = False) -> Archive:
    """Open (creating if needed) the archive at `path`, `$DESPATCH_ARCHIVE`, or ./despatch.db."""
    return SQLiteArchive(path, readonly=readonly)


__all__ = ["Archive", "DocSummary", "PutResult", "SQLiteArchive", "StoredFile", "VersionInfo",
           "default_archive_path", "open_archive"]
