"""Keeping an archive sound: `check` verifies it, `backup` copies it while it is in use.

check: SQLite's own integrity check, every original file against its SHA-256 (the source is sacred: a
flipped bit in a stored original must be found, not cited), every document pointing at an original that
exists, and the search index in step with the store (made for this archive and this history of it, and as
many documents searchable as are stored). Each problem is reported on one line; an archive with none is sound.

backup: SQLite's online backup API copies the database page by page while readers and an ingest go on,
giving a consistent snapshot (what was committed when the copy finished). The search index is derived and
is not copied. Restore = stop writers, copy the backup over the archive file, run `despatch reindex`: an
index left beside a restored archive knows it was made for another history of it (despatch.feed.mismatch)
and is rebuilt, by the first writer that opens the archive, rather than trusted.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import SearchIndexMissing, StorageError


class BackupExists(StorageError, FileExistsError):
    """The backup's destination exists: a backup never overwrites."""


@dataclass
class Problem:
    what: str  # integrity | original | reference | index
    detail: str

    def __str__(self) -> str:
        return f"{self.what}: {self.detail}"


def check(path: str | os.PathLike[str], progress: Callable[[str], None] | None = None) -> Iterator[Problem]:
    """Every problem found in the archive at `path`, one at a time (none: the archive is sound)."""
    con = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        for (msg,) in con.execute("PRAGMA integrity_check"):
            if msg != "ok":
                yield Problem("integrity", msg)
        if progress:
            progress("integrity checked")
        n = 0
        for sha, data in con.execute("SELECT sha256, data FROM files"):
            n += 1
            actual = hashlib.sha256(data).hexdigest()
            if actual != sha:
                yield Problem("original", f"the file stored under {sha} now hashes to {actual} (damaged)")
        if progress:
            progress(f"{n} originals hashed")
        for doc_id, version, sha in con.execute(
            "SELECT d.id, d.version, d.file_sha256 FROM documents d LEFT JOIN files f ON f.sha256 = d.file_sha256 "
            "WHERE d.file_sha256 IS NOT NULL AND f.sha256 IS NULL"
        ):
            yield Problem("reference", f"{doc_id} version {version} names an original {sha} that is not stored")
        stored = con.execute("SELECT count(*) FROM documents WHERE is_current=1").fetchone()[0]
    finally:
        con.close()
    yield from _check_index(path, stored)


def _check_index(path: str | os.PathLike[str], stored: int) -> Iterator[Problem]:
    from .store import open_archive

    try:
        with open_archive(path, readonly=True) as arch:
            found = arch.search("", per_page=1).total
    except SearchIndexMissing as e:  # absent, or made for another archive or history (despatch.feed.mismatch)
        yield Problem("index", str(e))
        return
    except Exception as e:  # noqa: BLE001 - an index that cannot even be opened is a problem to report
        yield Problem("index", f"the search index cannot be read: {type(e).__name__}: {e}")
        return
    if found != stored:
        yield Problem("index", f"the search index has {found} documents, the store {stored} "
                               f"(run despatch reindex)")


def backup(path: str | os.PathLike[str], dest: str | os.PathLike[str], pages: int = 1024) -> int:
    """Copy the archive at `path` to `dest` consistently while it is in use; returns the bytes written."""
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / Path(path).name
    if dest.exists():
        raise BackupExists(f"{dest} exists; give a new file name (a backup never overwrites)")
    tmp = dest.with_name(dest.name + ".part")
    src = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out, pages=pages)
            ok = out.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise StorageError(f"the copy failed its check: {ok}")
        finally:
            out.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    os.replace(tmp, dest)  # the backup appears whole or not at all
    return dest.stat().st_size
