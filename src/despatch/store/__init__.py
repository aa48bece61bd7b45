"""Persistence: one typed `Archive` interface (base.py), an embedded SQLite backend by default (sqlite.py),
PostgreSQL for a shared archive (postgres.py, selected by a `postgresql://` connection string).

Search is derived: `Archive` implements it once over the change feed every backend publishes.
"""

from __future__ import annotations

import os

from ..errors import StorageError
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
from .postgres import is_postgres_url
from .sqlite import SQLiteArchive, default_archive_path


def open_archive(path: str | os.PathLike[str] | None = None, readonly: bool = False,
                 index_dir: str | os.PathLike[str] | None = None) -> Archive:
    """Open (creating if needed) the archive at `path`, `$DESPATCH_ARCHIVE`, or ./despatch.db; a
    `postgresql://user@host:port/db` connection string opens a PostgreSQL archive, whose derived search
    index lives in `index_dir` (default: `$DESPATCH_INDEX_DIR`, else under the user's cache directory)."""
    target = os.fspath(path) if path is not None else default_archive_path()
    if is_postgres_url(target):
        try:
            import psycopg  # noqa: F401
            import psycopg_pool  # noqa: F401
        except ImportError:
            raise StorageError("a PostgreSQL archive needs psycopg: pip install 'despatch[postgres]'") from None
        from .postgres import PostgresArchive

        return PostgresArchive(str(target), readonly=readonly, index_dir=index_dir)
    return SQLiteArchive(target, readonly=readonly)


__all__ = ["AnnotationRow", "Archive", "AuditEntry", "CollectionAccess", "DocSummary", "Filters", "PutResult",
           "SQLiteArchive", "SessionRecord", "StoredFile", "TokenRecord", "UserRecord", "VersionInfo",
           "default_archive_path", "is_postgres_url", "open_archive"]
