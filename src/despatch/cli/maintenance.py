"""`despatch check` and `despatch backup`: verify an archive, copy it while it is in use."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ArchiveNotFound, BadOption
from ..maintenance import backup, check
from ..store import is_postgres_url
from .app import archive_path, err, main


@main.command("check")
@click.pass_context
def check_cmd(ctx: click.Context) -> None:
    """Verify the archive: SQLite integrity, every original against its SHA-256, the search index in step.

    Each problem is one line; exit status 1 if there is any.
    """
    path = archive_path(ctx)
    if is_postgres_url(path):
        raise BadOption("despatch check verifies a SQLite archive; PostgreSQL checks its own pages "
                        "(amcheck, pg_dump to a file); see docs/postgresql.md")
    if not Path(path).exists():
        raise ArchiveNotFound(f"no archive at {path}")
    problems = 0
    for p in check(path, progress=lambda m: err(f"check: {m}")):
        problems += 1
        click.echo(f"PROBLEM {p}")
    click.echo(f"{path}: {'sound' if not problems else f'{problems} problems'}")
    if problems:
        sys.exit(1)


@main.command("backup")
@click.argument("dest", type=click.Path(dir_okay=True, writable=True))
@click.pass_context
def backup_cmd(ctx: click.Context, dest: str) -> None:
    """Write a consistent copy of the archive to DEST (a new file, or a folder) while it is in use.

    Restore: stop ingests, copy the backup over the archive, delete ARCHIVE.search beside it, then
    `despatch reindex` (see docs/operating.md).
    """
    path = archive_path(ctx)
    if is_postgres_url(path):
        raise BadOption("back a PostgreSQL archive up with pg_dump (or despatch copy to a SQLite file); "
                        "see docs/postgresql.md")
    if not Path(path).exists():
        raise ArchiveNotFound(f"no archive at {path}")
    size = backup(path, dest)  # an existing DEST is a BackupExists: one line, exit status 1
    click.echo(f"backed up {path} to {dest} ({size / 1e6:.1f} MB)")


@main.command("copy")
@click.argument("src")
@click.argument("dest")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
def copy_cmd(src: str, dest: str, quiet: bool) -> None:
    """Copy a whole archive from SRC to DEST, losslessly: SQLite to PostgreSQL, PostgreSQL to SQLite (or
    between two of a kind). SRC and DEST are archive files or postgresql:// connection strings; DEST must be
    empty (a new file, or a database without an archive). See docs/postgresql.md.
    """
    import time

    from ..store import open_archive
    from ..store.transfer import copy_archive

    if not is_postgres_url(src) and not Path(src).exists():
        raise ArchiveNotFound(f"no archive at {src}")
    if not is_postgres_url(dest) and Path(dest).exists() and Path(dest).stat().st_size:
        raise BadOption(f"{dest} exists: copy into a new file (a copy never overwrites)")
    t0 = time.monotonic()
    with open_archive(src, readonly=True) as source:
        created = not is_postgres_url(dest) and not Path(dest).exists()
        try:
            with open_archive(dest) as target:
                counts = copy_archive(source, target, None if quiet else
                                      lambda table, n: err(f"copy: {table}: {n} rows"))
        except BaseException:
            if created:  # a new file that did not receive the copy is no archive: leave nothing behind
                for p in (Path(dest), Path(f"{dest}-wal"), Path(f"{dest}-shm")):
                    p.unlink(missing_ok=True)
            raise
    click.echo(f"copied {counts.get('documents', 0)} document versions, {counts.get('files', 0)} originals, "
               f"{counts.get('annotations', 0)} annotations, {counts.get('users', 0)} users "
               f"from {_shown(src)} to {_shown(dest)} in {time.monotonic() - t0:.1f}s")


def _shown(where: str) -> str:
    if is_postgres_url(where):
        from ..store.postgres import describe

        return describe(where)
    return where
