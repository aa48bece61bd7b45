"""Users, API tokens, browser sessions and collection access: the rules, over the store's records.

Passwords are hashed with Argon2id (`argon2-cffi`); API tokens and session cookies are 256-bit random
secrets, stored only as their SHA-256 (a fast hash is right for a secret nobody can guess, and lets a
request find its token in one lookup). Failed sign-ins are slowed down: after `MAX_FAILED_PER_NAME`
failures for a name, or `MAX_FAILED_PER_ADDRESS` from one address, within `FAILED_WINDOW`, sign-in is
refused until the window has passed. The audit log is where the failures are counted, so several
serving processes (or machines) share the count.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, date, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import AccessDenied, BadOption, NotFound
from ..store import Archive
from ..store.base import AuditEntry, CollectionAccess, SessionRecord, TokenRecord, UserRecord
from .policy import ROLES, VISIBILITIES, Reader

SESSION_LIFETIME = timedelta(hours=12)
FAILED_WINDOW = timedelta(minutes=15)
MAX_FAILED_PER_NAME = 5
MAX_FAILED_PER_ADDRESS = 20
MIN_PASSWORD = 8
TOKEN_PREFIX = "dsp_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_hasher = PasswordHasher()  # Argon2id with the library's (RFC 9106 low-memory) parameters


@cache
def _dummy() -> str:
    """A hash checked for unknown names, so they take as long as known ones (made once, when first needed:
    hashing at import would cost every `despatch` command a quarter of a CPU-second)."""
    return _hasher.hash("a password nobody has")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def secret_hash(secret: str) -> str:
    """How a token or session secret is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def has_accounts(archive: Archive) -> bool:
    """True once the archive has a user: then serving signs people in and keeps the audit log."""
    return bool(archive.users())


def audit(archive: Archive, action: str, who: str | None, target: str = "", **detail: object) -> None:
    """Append one entry to the audit log."""
    archive.add_audit(AuditEntry(action, who or "", now(), target, dict(detail)))


# -- users -------------------------------------------------------------------------------------------


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name or ""):
        raise BadOption(f"user name {name!r}: 1-64 letters, digits and . _ @ -, starting with a letter or digit")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise BadOption(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise BadOption(f"the password must have at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def add_user(archive: Archive, name: str, role: str, password: str, by: str = "") -> UserRecord:
    """Add a user with an Argon2id hash of `password`; `AlreadyExists` when the name is taken."""
    user = UserRecord(check_name(name), check_role(role), hash_password(password), now())
    archive.add_user(user)
    audit(archive, "user-add", by, name, role=role)
    return user


def _user(archive: Archive, name: str) -> UserRecord:
    user = archive.get_user(name)
    if user is None:
        raise NotFound(f"no user {name!r} (see `despatch users list`)")
    return user


def set_role(archive: Archive, name: str, role: str, by: str = "") -> None:
    """Change a user's role; it applies to their next request (sessions and tokens look it up)."""
    _user(archive, name)
    archive.update_user(name, role=check_role(role))
    audit(archive, "user-role", by, name, role=role)


def set_password(archive: Archive, name: str, password: str, by: str = "") -> None:
    """Change a user's password and end their browser sessions."""
    _user(archive, name)
    archive.update_user(name, password_hash=hash_password(password))
    archive.delete_sessions(user=name)
    audit(archive, "user-password", by, name)


def remove_user(archive: Archive, name: str, by: str = "") -> None:
    """Remove a user with their tokens and sessions."""
    if not archive.remove_user(name):
        raise NotFound(f"no user {name!r} (see `despatch users list`)")
    audit(archive, "user-remove", by, name)


# -- signing in --------------------------------------------------------------------------------------


def sign_in(archive: Archive, name: str, password: str, address: str = "") -> Reader:
    """The reader `name` is, if `password` is theirs; otherwise AccessDenied, with one message for an
    unknown name and a wrong password. Every attempt is audited; repeated failures are refused."""
    since = (datetime.now(UTC) - FAILED_WINDOW).isoformat(timespec="seconds")
    failed = archive.audit(action="sign-in-failed", since=since, limit=1000)
    if (sum(e.who == name for e in failed) >= MAX_FAILED_PER_NAME
            or (address and sum(e.detail.get("address") == address for e in failed) >= MAX_FAILED_PER_ADDRESS)):
        audit(archive, "sign-in-failed", name, address=address, reason="too many failures")
        raise AccessDenied("too many failed sign-ins: try again in 15 minutes")
    user = archive.get_user(name)
    try:
        ok = _hasher.verify(user.password_hash if user else _dummy(), password) and user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        audit(archive, "sign-in-failed", name, address=address, reason="wrong name or password")
        raise AccessDenied("wrong name or password")
    if _hasher.check_needs_rehash(user.password_hash):
        archive.update_user(name, password_hash=_hasher.hash(password))
    audit(archive, "sign-in", name, address=address)
    return Reader(user.name, user.role)


def start_session(archive: Archive, reader: Reader) -> tuple[str, SessionRecord]:
    """A new browser session for a signed-in reader: (the cookie's secret, the stored record)."""
    assert reader.name is not None
    secret = secrets.token_urlsafe(32)
    at = datetime.now(UTC)
    rec = SessionRecord(secret_hash(secret), reader.name, secrets.token_urlsafe(32),
                        at.isoformat(timespec="seconds"), (at + SESSION_LIFETIME).isoformat(timespec="seconds"))
    archive.add_session(rec)
    return secret, rec


def session_reader(archive: Archive, secret: str) -> tuple[Reader, SessionRecord] | None:
    """The reader a session cookie stands for, with its record; None for an unknown or expired one."""
    if not secret:
        return None
    rec = archive.get_session(secret_hash(secret))
    if rec is None or rec.expires_at <= now():
        return None
    user = archive.get_user(rec.user)
    return (Reader(user.name, user.role), rec) if user is not None else None


def end_session(archive: Archive, secret: str) -> None:
    """Sign out: forget the session (and any that have expired)."""
    archive.delete_sessions(id_hash=secret_hash(secret))
    archive.delete_sessions(expired_at=now())


def same_secret(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets (a CSRF token with the one expected)."""
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


# -- API tokens --------------------------------------------------------------------------------------


def create_token(archive: Archive, user: str, label: str = "", by: str = "") -> tuple[TokenRecord, str]:
    """A new API token for `user`: (its record, the secret — shown once, stored only hashed)."""
    _user(archive, user)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    rec = TokenRecord(secrets.token_hex(4), user, secret_hash(secret), now(), label)
    archive.add_token(rec)
    audit(archive, "token-create", by, user, token=rec.id)
    return rec, secret


def token_reader(archive: Archive, secret: str) -> Reader | None:
    """The reader an API token stands for; None for an unknown or revoked one."""
    rec = archive.token_by_hash(secret_hash(secret.strip()))
    user = archive.get_user(rec.user) if rec else None
    return Reader(user.name, user.role) if user else None


def revoke_token(archive: Archive, token_id: str, by: str = "") -> None:
    if not archive.revoke_token(token_id):
        raise NotFound(f"no token {token_id!r} (see `despatch tokens list`)")
    audit(archive, "token-revoke", by, token_id)


# -- collection access -------------------------------------------------------------------------------


def set_access(archive: Archive, collection: str, visibility: str, embargo: str | None = None,
               allowed: list[str] | None = None, by: str = "") -> CollectionAccess:
    """Set who may read `collection` (it need not be ingested yet: a collection can be closed first)."""
    if visibility not in VISIBILITIES:
        raise BadOption(f"visibility must be one of {', '.join(VISIBILITIES)}, not {visibility!r}")
    if embargo:
        try:
            embargo = date.fromisoformat(embargo).isoformat()
        except ValueError:
            raise BadOption(f"embargo {embargo!r} is not a date (YYYY-MM-DD)") from None
    names = sorted(set(allowed or []))
    for n in names:
        _user(archive, n)
    rec = CollectionAccess(collection, visibility, embargo or None, names)
    archive.set_collection_access(rec)
    audit(archive, "access", by, collection, visibility=visibility, embargo=embargo or None, allowed=names)
    return rec
