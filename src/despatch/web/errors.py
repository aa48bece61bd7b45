"""The one place Despatch's errors become HTTP statuses (the JSON API and the pages share it).

A kind of error, not its message, decides the status: a user's bad query or option is 400, a missing
document 404 (and so is a document the user may not read), an action the user may not take 403, a file
no reader can read 422, an archive that cannot answer (read-only, missing index, newer schema) 503.
Anything that is not a `DespatchError` is a bug and is answered 500 by the app.
"""

from __future__ import annotations

from ..errors import AccessDenied, BadOption, DespatchError, NotFound, PluginError, ReaderError, StorageError

#: Most specific first: the first class an error is an instance of decides its status.
STATUS: tuple[tuple[type[DespatchError], int], ...] = (
    (NotFound, 404),
    (AccessDenied, 403),
    (BadOption, 400),
    (ReaderError, 422),
    (StorageError, 503),
    (PluginError, 500),
    (DespatchError, 500),
)


def status_for(exc: DespatchError) -> int:
    """The HTTP status for a Despatch error."""
    return next(code for cls, code in STATUS if isinstance(exc, cls))
