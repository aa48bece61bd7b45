"""Despatch's one error hierarchy: every error Despatch raises on purpose is a `DespatchError`.

A caller catches `DespatchError` to handle anything Despatch says went wrong, or a subclass for one kind.
The message of every error is one line a user can act on (it names the file, the document, the option).
Interfaces map kinds, not messages: the web turns them into HTTP statuses in one place
(`despatch.web.errors`), the command line into a message and exit status in one place
(`despatch.cli.errors`).

Each kind also derives from the built-in exception code written before this hierarchy caught
(`NotFound` is a `LookupError`, `BadOption` a `ValueError`, ...), so `except ValueError` keeps working.
This module imports nothing of Despatch's: any layer may raise these errors.
"""

from __future__ import annotations

from typing import Any


class DespatchError(Exception):
    """Something Despatch could not do, with a one-line reason for the user."""

    def details(self) -> dict[str, Any]:
        """Structured facts beside the message (a query error's position, ...), for JSON error bodies."""
        return {}


class BadOption(DespatchError, ValueError):
    """A value the caller gave that Despatch cannot use: an unknown style or format, a malformed date."""


class QueryError(BadOption):
    """A query the parser cannot understand: where (0-based character position) and what to do."""

    def __init__(self, message: str, position: int | None = None, suggestion: str | None = None,
                 query: str = "") -> None:
        self.message, self.position, self.suggestion, self.query = message, position, suggestion, query
        text = message if position is None else f"{message} (at character {position + 1})"
        if suggestion:
            text += f"; {suggestion}"
        super().__init__(text)

    def pointer(self) -> str:
        """The query with a caret under the error position (for terminals)."""
        position = self.position or 0
        shown = self.query if len(self.query) <= 200 else self.query[max(0, position - 80) : position + 80]
        pos = position if len(self.query) <= 200 else min(position, 80)
        return f"{shown}\n{' ' * pos}^"

    def details(self) -> dict[str, Any]:
        return {"position": self.position, "suggestion": self.suggestion, "query": self.query}


class NotFound(DespatchError, LookupError):
    """No such document, version, entity, collection or component."""

    def __str__(self) -> str:  # LookupError/KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class ArchiveNotFound(NotFound, FileNotFoundError):
    """No archive file where one was expected (a read-only open of a path that does not exist)."""


class AlreadyExists(BadOption):
    """A name that is already taken: a user added twice."""


class AccessDenied(DespatchError, PermissionError):
    """A signed-in action the user's role does not allow, a wrong password, a bad or missing CSRF token.

    Never raised for reading a collection the user may not see: that answers exactly like a missing
    document (`NotFound`), so that no error message tells a document exists."""


class ReaderError(DespatchError):
    """A file a reader cannot turn into documents; the message is shown to the user as the reason."""


class StorageError(DespatchError):
    """The archive or its search index cannot do what was asked: newer schema, read-only, missing index."""


class ReadOnlyArchive(StorageError, PermissionError):
    """A write asked of an archive opened read-only."""


class SearchIndexMissing(StorageError, FileNotFoundError):
    """A read-only archive whose derived search index is absent or out of date (`despatch reindex`)."""


class ConnectionLost(StorageError, ConnectionError):
    """The database server of a shared archive went away during a read or a write: nothing of an
    interrupted write is kept (its transaction is rolled back), and the rest of a batch is not tried."""


class SchemaTooNew(StorageError, RuntimeError):
    """An archive written by a newer Despatch than this one (its schema version is higher)."""


class PluginError(DespatchError):
    """A registered component (reader, annotator, citation style, exporter) that cannot be loaded or used."""


class MissingExtra(PluginError, ImportError):
    """A component that needs an optional extra (`pip install 'despatch[spacy]'`) which is not installed."""


__all__ = [
    "AccessDenied", "AlreadyExists", "ArchiveNotFound", "BadOption", "DespatchError", "MissingExtra", "NotFound",
    "PluginError", "QueryError",
    "ReadOnlyArchive", "ReaderError", "SchemaTooNew", "SearchIndexMissing", "StorageError",
]
