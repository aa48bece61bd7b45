"""Who may read which collection and who may do what: the one place these rules live.

A collection without an access record is public. `members` is anyone signed in; `private` only the
users the record names. An embargo date closes a collection, whatever its visibility, to everyone but
admins and the named users until that day (from the embargo date on, the visibility applies). Admins read
everything: they manage who reads what, so hiding a collection from them would protect nothing.
Roles rank reader < curator < admin: curation needs a curator, managing users and access an admin.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from ..errors import AccessDenied
from ..store.base import CollectionAccess

ROLES = ("reader", "curator", "admin")
VISIBILITIES = ("public", "members", "private")


@dataclass(frozen=True)
class Reader:
    """Who is asking: a signed-in user (their name and role), or nobody (`ANONYMOUS`)."""

    name: str | None = None
    role: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.name is not None

    def has_role(self, role: str) -> bool:
        """True when this reader's role is `role` or above it."""
        return self.role in ROLES and ROLES.index(self.role) >= ROLES.index(role)

    def require(self, role: str, what: str) -> None:
        """AccessDenied unless this reader has `role` (or above): `what` names the act refused."""
        if not self.has_role(role):
            who = f"{self.name} ({self.role})" if self.signed_in else "nobody signed in"
            raise AccessDenied(f"{what} needs the {role} role; {who} may not")


ANONYMOUS = Reader()


def today() -> str:
    """Today's date in UTC (YYYY-MM-DD): the day embargoes are compared with."""
    return datetime.now(UTC).date().isoformat()


def may_read(reader: Reader, access: CollectionAccess | None, on: str | None = None) -> bool:
    """Whether `reader` may read a collection with this access record (None: public) on day `on`."""
    if access is None or reader.role == "admin":
        return True
    named = reader.name is not None and reader.name in access.allowed
    if access.embargo and (on or today()) < access.embargo:
        return named
    if access.visibility == "public":
        return True
    if access.visibility == "members":
        return reader.signed_in
    return named


def hidden_collections(records: list[CollectionAccess], reader: Reader, on: str | None = None) -> frozenset[str]:
    """The collections `reader` may not read, of those the records restrict."""
    day = on or today()
    return frozenset(a.collection for a in records if not may_read(reader, a, day))


def scope_key(hidden: frozenset[str]) -> str:
    """A short fingerprint of a set of hidden collections, for caches that must not mix two views."""
    if not hidden:
        return ""
    return hashlib.sha256("\n".join(sorted(hidden)).encode()).hexdigest()[:16]
