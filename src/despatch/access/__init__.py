"""Accounts and collection access: who is asking (`Reader`), what they may read (`scoped`: an archive
view without the collections hidden from them) and do (roles), and the records behind it — users with
Argon2id password hashes, API tokens, browser sessions, collection access and the audit log — kept in
the store through `Archive`. The reading room, the JSON API and the MCP server resolve a reader per
request and hand only the scoped view to the library. See docs/accounts.md.
"""

from .policy import ANONYMOUS, ROLES, VISIBILITIES, Reader, hidden_collections, may_read, today
from .scoped import ScopedArchive, scoped

__all__ = ["ANONYMOUS", "ROLES", "VISIBILITIES", "Reader", "ScopedArchive", "hidden_collections", "may_read",
           "scoped", "today"]
