"""The `despatch` command group and the options every command shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from ..errors import ArchiveNotFound, DespatchError, StorageError
from ..store import Archive, default_archive_path, is_postgres_url, open_archive
from .errors import FAILURE, DespatchGroup, Failure


@click.group(cls=DespatchGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--archive",
    "archive_path",
    envvar="DESPATCH_ARCHIVE",
    default=None,
    metavar="PATH",
    help="The archive file (default ./despatch.db, or $DESPATCH_ARCHIVE), or a postgresql:// connection string.",
)
@click.version_option(package_name="despatch")
@click.pass_context
def main(ctx: click.Context, archive_path: str | None) -> None:
    """Despatch: read, enrich, store, search and cite historical diplomatic documents."""
    ctx.obj = {"archive": archive_path or default_archive_path()}


def archive_path(ctx: click.Context) -> str:
    return ctx.find_root().obj["archive"]


@contextmanager
def opened(ctx: click.Context, readonly: bool = False) -> Iterator[Archive]:
    """The archive for a command; a missing archive for a read-only command is a one-line error."""
    path = archive_path(ctx)
    try:
        arch = open_archive(path, readonly=readonly)
    except FileNotFoundError:
        if is_postgres_url(path):
            raise  # it names the database without its password
        raise ArchiveNotFound(f"no archive at {path} (ingest some documents first, or give --archive)") from None
    except DespatchError:
        raise
    except Exception as e:  # noqa: BLE001 - a corrupt or foreign file: say so in one line
        raise StorageError(f"cannot open archive {path}: {e}") from None
    try:
        yield arch
    finally:
        arch.close()


def err(msg: str) -> None:
    click.echo(msg, err=True)


def fail(msg: str, code: int = FAILURE) -> NoReturn:
    """Stop a command with `msg` (prefer raising a `despatch.errors` kind, which picks the exit status)."""
    raise Failure(msg, code)
