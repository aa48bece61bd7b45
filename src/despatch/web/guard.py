"""The reading room's front door: which Host names it answers to, and numbers taken from requests.

Host checking. The reading room has no log-in: whoever reaches it reads the archive. Bound to 127.0.0.1
that is only the user — unless a web page they visit rebinds its own DNS name to 127.0.0.1 and reads the
archive through their browser. The browser then sends the attacker's name in the Host header, so the app
answers only to the names it serves: the localhost names by default, plus those given with
`despatch serve --allowed-host NAME` or `$DESPATCH_ALLOWED_HOSTS` (comma-separated) when it is published.
Anything else gets 400 and no content.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import BadOption

#: Names that always mean this machine.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain"})
ENV_ALLOWED_HOSTS = "DESPATCH_ALLOWED_HOSTS"

#: Versions, pages and other counts taken from a URL must fit SQLite's integers with room to spare.
MAX_COUNT = 2**31 - 1


def allowed_hosts(extra: Iterable[str] | None = None) -> frozenset[str]:
    """The localhost names, the names given, and those in $DESPATCH_ALLOWED_HOSTS ("*" allows any)."""
    names = set(LOCAL_HOSTS)
    names.update(extra or ())
    names.update(os.environ.get(ENV_ALLOWED_HOSTS, "").split(","))
    return frozenset(_norm(n) for n in names if n.strip())


def _norm(host: str) -> str:
    h = host.strip().lower().rstrip(".")
    if h.startswith("["):  # [::1]:8000
        return h[1:].split("]", 1)[0]
    if h.count(":") == 1:  # name:port
        h = h.split(":", 1)[0]
    return h


class HostCheck:
    """400 for a request whose Host header names a host this reading room does not serve."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or "*" in self.hosts:
            await self.app(scope, receive, send)
            return
        host = ""
        for k, v in scope.get("headers", []):
            if k == b"host":
                host = v.decode("latin-1")
                break
        if _norm(host) in self.hosts:
            await self.app(scope, receive, send)
            return
        body = (b"400 Bad Request: this reading room does not answer to that host name. Its operator can allow "
                b"it with despatch serve --allowed-host NAME or DESPATCH_ALLOWED_HOSTS.\n")
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def count_param(request: Request, name: str, minimum: int = 1) -> int | None:
    """A whole-number query parameter (a version, a page), or None when absent; anything else is a 400."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        v = int(raw)
    except ValueError:
        raise BadOption(f"{name} must be a whole number, not {raw[:40]!r}") from None
    if not minimum <= v <= MAX_COUNT:
        raise BadOption(f"{name} must be between {minimum} and {MAX_COUNT}") from None
    return v
