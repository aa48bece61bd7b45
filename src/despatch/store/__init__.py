"""Persistence: one typed `Archive` interface (base.py), an embedded SQLite backend by default (sqlite.py).

Search is derived: `Archive` implements it once over the change feed every backend publishes.
"""

from __future__ import annotations

import os

from .base import (
    AnnotationRow,
    Archive,
    AuditEntry,
    CollectionAccess,
    DocSummary,
    Filters,
    PutResult,
    SessionRecord,
    StoredFile,
    TokenRecord,
    UserRecord,
    VersionInfo,
)
from .sqlite import SQLiteArchive, default_archive_path


def open_archive(path: str | os.PathLike[str] | None = None, readonly: bool = False) -> Archive:
    """Open (creating if needed) the archive at `path`, `$DESPATCH_ARCHIVE`, or ./despatch.db."""
    return SQLiteArchive(path, readonly=readonly)


__all__ = ["AnnotationRow", "Archive", "AuditEntry", "CollectionAccess", "DocSummary", "Filters", "PutResult",
           "SQLiteArchive", "SessionRecord", "StoredFile", "TokenRecord", "UserRecord", "VersionInfo",
           "default_archive_path", "open_archive"]
