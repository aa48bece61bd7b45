"""The one place the command line turns errors into a message and an exit status.

Every command raises Despatch's errors (`despatch.errors`) and never prints its own: the `despatch` group
catches them here and prints one line, `despatch: <reason>`, on stderr — no traceback. Exit status 2 is
a usage error (a bad option, query or value: the user must change the command), 1 a failure (no such
document, an unreadable file, an archive that cannot answer). A bug — any other exception — is also one
line, naming the exception; `DESPATCH_DEBUG=1` shows its traceback instead.
"""

from __future__ import annotations

import os
from typing import IO, Any

import click

from ..errors import BadOption, DespatchError, QueryError

USAGE = 2
FAILURE = 1

#: Most specific first: the first class an error is an instance of decides the exit status.
EXIT: tuple[tuple[type[BaseException], int], ...] = (
    (BadOption, USAGE),
    (DespatchError, FAILURE),
    (OSError, FAILURE),
)


class Failure(click.ClickException):
    """An error on its way out of the command line: one line on stderr and the exit status for its kind."""

    def __init__(self, message: str, exit_code: int = FAILURE, extra: str | None = None) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.extra = extra

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"despatch: {self.format_message()}", err=True, file=file)
        if self.extra:
            click.echo(self.extra, err=True, file=file)


def exit_code(exc: BaseException) -> int:
    return next((code for cls, code in EXIT if isinstance(exc, cls)), FAILURE)


def failure(exc: BaseException) -> Failure:
    """The command line's form of any error a command let through."""
    if isinstance(exc, Failure):
        return exc
    if isinstance(exc, click.ClickException):  # a command's own click error: same one-line form
        return Failure(exc.format_message(), exc.exit_code)
    if isinstance(exc, QueryError):
        return Failure(f"query error: {exc}", USAGE, exc.pointer() if exc.query else None)
    if isinstance(exc, DespatchError):
        return Failure(str(exc), exit_code(exc))
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return Failure(f"cannot use{where}: {exc.strerror or exc}", FAILURE)
    return Failure(f"internal error: {type(exc).__name__}: {exc} (set DESPATCH_DEBUG=1 for the traceback)",
                   FAILURE)


class DespatchGroup(click.Group):
    """The `despatch` group: runs a command and hands anything it raises to `failure`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.UsageError, SystemExit, KeyboardInterrupt):
            raise
        except Exception as e:
            if os.environ.get("DESPATCH_DEBUG") and not isinstance(e, click.ClickException | DespatchError):
                raise
            raise failure(e) from None
