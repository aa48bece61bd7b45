"""Who a request comes from, and the one archive view it may read: the reading room's side of
`despatch.access`.

A request is anonymous unless it carries an API token (`Authorization: Bearer ...`) or the session
cookie of a signed-in browser. `viewer(request)` resolves that once per request; `view(request)` (what
`context.archive` returns to every handler) is the archive scoped to that reader, so no page, API
endpoint or export can read a collection hidden from them. A bearer token that is wrong or revoked is a
401, never a silent fall back to anonymous.

Cookies: the session cookie is HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS (the
request's scheme, or X-Forwarded-Proto when the server is told it sits behind a trusted proxy:
`despatch serve --trust-proxy` or DESPATCH_TRUST_PROXY=1). Every form that changes state sends a CSRF
token: a signed-in session's own token, or, for the sign-in form, the value of a CSRF cookie set with
the form (double submit); a request whose Origin names another site is refused too.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..access import ANONYMOUS, Reader
from ..access import accounts as acc
from ..access.policy import hidden_collections
from ..access.scoped import ScopedArchive
from ..errors import AccessDenied
from ..store import Archive, open_archive
from ..store.base import SessionRecord

SESSION_COOKIE = "despatch_session"
CSRF_COOKIE = "despatch_csrf"
ENV_TRUST_PROXY = "DESPATCH_TRUST_PROXY"


class NotSignedIn(AccessDenied):
    """A request whose credentials are wrong (an unknown or revoked API token): HTTP 401."""


def trust_proxy_default() -> bool:
    return os.environ.get(ENV_TRUST_PROXY, "").strip().lower() in ("1", "true", "yes")


def _base(request: Request) -> Archive:
    return request.app.state.pool.get()


def viewer(request: Request) -> Reader:
    """The reader this request comes from (resolved once, kept on the request)."""
    got = getattr(request.state, "viewer", None)
    if got is not None:
        return got
    reader, session = ANONYMOUS, None
    arch = _base(request)
    auth = request.headers.get("authorization", "")
    if auth:
        scheme, _, secret = auth.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotSignedIn("the Authorization header must be 'Bearer <API token>'")
        found = acc.token_reader(arch, secret)
        if found is None:
            raise NotSignedIn("unknown or revoked API token")
        reader = found
    elif request.cookies.get(SESSION_COOKIE):
        got_session = acc.session_reader(arch, request.cookies[SESSION_COOKIE])
        if got_session is not None:
            reader, session = got_session
    request.state.viewer = reader
    request.state.session = session
    return reader


def session(request: Request) -> SessionRecord | None:
    viewer(request)
    return request.state.session


def view(request: Request) -> Archive:
    """This thread's archive as this request's reader may see it (itself when nothing is hidden)."""
    got = getattr(request.state, "view", None)
    if got is not None:
        return got
    base = _base(request)
    hidden = hidden_collections(base.collection_access(), viewer(request))
    out = request.app.state.pool.scoped(base, hidden) if hidden else base
    request.state.view = out
    return out


def hidden(request: Request) -> frozenset[str]:
    v = view(request)
    return v.hidden if isinstance(v, ScopedArchive) else frozenset()


def fresh_view(pool: Any, hidden_set: frozenset[str]) -> tuple[Archive, Archive]:
    """(a connection of its own, that connection as the reader may see it), for a long streamed answer
    that outlives the request's thread slot; the caller closes the first."""
    own = pool.fresh()
    return own, (ScopedArchive(own, hidden_set) if hidden_set else own)


def has_accounts(request: Request) -> bool:
    return acc.has_accounts(_base(request))


def address(request: Request) -> str:
    """The client's address: behind a trusted proxy, the last X-Forwarded-For entry (the one that proxy
    added; earlier ones are whatever the client sent)."""
    if request.app.state.trust_proxy and request.headers.get("x-forwarded-for"):
        return request.headers["x-forwarded-for"].split(",")[-1].strip()
    return request.client.host if request.client else ""


def is_secure(request: Request) -> bool:
    if request.url.scheme == "https":
        return True
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return bool(request.app.state.trust_proxy) and proto == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None,
               samesite: str = "lax") -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite=samesite,  # type: ignore[arg-type]
                        secure=is_secure(request))


def csrf_for_form(request: Request, response_cookies: dict[str, str]) -> str:
    """The CSRF token a page's forms carry: the session's, or a fresh double-submit value (returned in
    `response_cookies` for the caller to set) for someone not signed in."""
    s = session(request)
    if s is not None:
        return s.csrf
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    response_cookies[CSRF_COOKIE] = token
    return token


def check_csrf(request: Request, sent: str) -> None:
    """AccessDenied unless `sent` is this request's CSRF token and the request is not from another site.
    A request signed with an API token needs none: a browser never adds that header to another site's form."""
    if request.headers.get("authorization") and viewer(request).signed_in:
        return
    origin = request.headers.get("origin")
    if origin and origin != "null":
        hosts = {request.headers.get("host", "")}
        if request.app.state.trust_proxy:
            hosts.add(request.headers.get("x-forwarded-host", "").split(",")[0].strip())
        if origin.split("://", 1)[-1].rstrip("/") not in hosts:
            raise AccessDenied("refused: this form was sent from another site")
    elif origin == "null":
        raise AccessDenied("refused: this form was sent from another site")
    s = session(request)
    expected = s.csrf if s is not None else request.cookies.get(CSRF_COOKIE, "")
    if not acc.same_secret(sent or "", expected):
        raise AccessDenied("refused: the form's security token is missing or out of date; reload the page and "
                           "try again")


class Writer:
    """The one writable connection of a serving process, for sessions and the audit log (the pages
    read through read-only ones); opened on first use, so an archive without accounts is never written."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._arch: Archive | None = None
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def __call__(self) -> Iterator[Archive]:
        with self._lock:
            if self._arch is None:
                self._arch = open_archive(self.path)
            yield self._arch

    def close(self) -> None:
        with self._lock:
            if self._arch is not None:
                self._arch.close()
                self._arch = None


def audit(request: Request, action: str, target: str = "", **detail: Any) -> None:
    """Record an act in the audit log, when the archive has accounts (one without is never written)."""
    if not has_accounts(request):
        return
    who = viewer(request).name
    with request.app.state.writer() as w:
        acc.audit(w, action, who, target, address=address(request), **detail)
