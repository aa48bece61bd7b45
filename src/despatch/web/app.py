"""The reading room application: a Starlette app over one archive, opened read-only.

`create_app(path)` is what `despatch serve` runs under uvicorn and what the tests drive with a TestClient.
The handlers are plain functions, run on a pool of `THREADS` threads, never on the event loop: a search is
CPU work and a round trip to PostgreSQL a wait, and on the loop either would hold up every other request
of the process. Each thread has its own read-only connection (SQLite connections are not shared across
threads) and search index reader, and every response carries a Content-Security-Policy with no inline
script or style.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio.to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..access.scoped import ScopedArchive
from ..errors import ArchiveNotFound, DespatchError
from ..store import Archive, is_postgres_url, open_archive
from . import accounts, analysis, api, pages, scans
from .auth import NotSignedIn, Writer, trust_proxy_default
from .context import render
from .errors import status_for
from .guard import HostCheck, allowed_hosts

HERE = Path(__file__).resolve().parent

#: Threads answering requests in one serving process (each with its own connection and index reader):
#: enough to overlap one request's CPU work with others' waits on the database, few enough that they do
#: not queue for the PostgreSQL pool (DESPATCH_PG_POOL, 16) or open a reader each for nothing.
THREADS = 8

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class ArchivePool:
    """One read-only archive connection per thread, all on the same file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._all: list[Archive] = []
        self._views: dict[tuple[int, frozenset[str]], Archive] = {}
        self._lock = threading.Lock()

    def get(self) -> Archive:
        arch = getattr(self._local, "archive", None)
        if arch is None:
            arch = open_archive(self.path, readonly=True)
            self._local.archive = arch
            with self._lock:
                self._all.append(arch)
        return arch

    def scoped(self, base: Archive, hidden: frozenset[str]) -> Archive:
        """`base` (a connection of this pool) without the `hidden` collections: one view object per
        connection and hidden set, kept, so caches keyed on the archive object never mix two readers."""
        key = (id(base), hidden)
        got = self._views.get(key)
        if got is None:
            with self._lock:
                got = self._views.setdefault(key, ScopedArchive(base, hidden))
        return got

    def fresh(self) -> Archive:
        """A connection of its own, for a long streamed export that outlives the request's thread slot."""
        return open_archive(self.path, readonly=True)

    def close(self) -> None:
        with self._lock:
            for a in self._all:
                try:
                    a.close()
                except Exception:  # noqa: BLE001 - closing at shutdown; a connection of another thread
                    pass
            self._all.clear()
            self._views.clear()


class SecurityHeaders:
    """Adds the CSP and friends to every response, HTML, JSON and file alike, and a Server-Timing header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        t0 = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(SECURITY_HEADERS)]
                # Server-Timing: how long the server took to start answering (the benchmark reads it).
                took = f"app;dur={(time.perf_counter() - t0) * 1000:.2f}".encode()
                message["headers"] = headers + SECURITY_HEADERS + [(b"server-timing", took)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


class _Guarded(Starlette):
    """Starlette whose outermost layers are the Host check and the security headers, so that every
    response carries the headers — a 500 from Starlette's own error layer and a refused Host included."""

    hosts: frozenset[str] = frozenset()

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(HostCheck(super().build_middleware_stack(), self.hosts))


def create_app(archive_path: str | os.PathLike[str], hosts: list[str] | None = None,
               trust_proxy: bool | None = None) -> Starlette:
    """The ASGI app for the archive at `archive_path` (which must exist: serving never creates one),
    answering to the localhost names, `hosts` and $DESPATCH_ALLOWED_HOSTS; `trust_proxy` (default
    $DESPATCH_TRUST_PROXY) believes X-Forwarded-Proto/-For/-Host from the proxy in front."""
    shared = is_postgres_url(str(archive_path))
    path: str | Path = str(archive_path) if shared else Path(archive_path)
    if not shared and not Path(path).exists():
        raise ArchiveNotFound(f"no archive at {path}")
    # Bring an older archive's schema and its derived search index up to date once, before the
    # read-only connections open (they can neither migrate nor index). On a shared (PostgreSQL) archive
    # this node's own index is built here when it has none, and then follows the change feed (below).
    arch = open_archive(path)
    try:
        arch.sync_search()
    finally:
        arch.close()
    pool = ArchivePool(path)
    writer = Writer(str(path))
    follower = IndexFollower(str(path)) if shared else None
    env = make_templates()
    routes = [
        *accounts.routes(),
        *pages.routes(),
        *scans.routes(),  # before api's catch-all for unknown /api/ paths
        *analysis.routes(),
        *api.routes(),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(request, exc.status_code, exc.detail or "error")

    async def despatch_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DespatchError)
        status = 401 if isinstance(exc, NotSignedIn) else status_for(exc)
        response = error_response(request, status, str(exc), exc.details())
        if status == 401:
            response.headers["www-authenticate"] = 'Bearer realm="despatch"'
        return response

    async def server_error(request: Request, exc: Exception) -> Response:
        return error_response(request, 500, "internal error: the server could not answer this request")

    app = _Guarded(
        routes=routes,
        exception_handlers={HTTPException: http_error, DespatchError: despatch_error, Exception: server_error},
        lifespan=_lifespan(pool, writer, follower),
    )
    app.hosts = allowed_hosts(hosts)
    app.state.pool = pool
    app.state.templates = env
    app.state.archive_path = str(path)
    app.state.writer = writer
    app.state.trust_proxy = trust_proxy_default() if trust_proxy is None else trust_proxy
    return app


def app_from_env() -> Starlette:
    """The app for `$DESPATCH_ARCHIVE`: what each worker process of `despatch serve --workers N` builds."""
    return create_app(os.environ["DESPATCH_ARCHIVE"])


def _lifespan(pool: ArchivePool, writer: Writer, follower: IndexFollower | None = None) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        if follower:
            follower.start()
        yield
        if follower:
            follower.stop()
        pool.close()
        writer.close()

    return lifespan


class IndexFollower:
    """A serving node's own search index following a shared archive's change feed, in a thread beside
    the readers: a document ingested on any machine is searchable here about a second after it commits.
    With several worker processes one of them holds the index writer; the others wait their turn."""

    def __init__(self, path: str, commit_every: float = 1.0) -> None:
        self.path = path
        self.commit_every = commit_every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="despatch-index-follower", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                arch = open_archive(self.path, readonly=True)
                try:
                    arch.follow_search(self._stop, commit_every=self.commit_every)
                finally:
                    arch.close()
            except Exception:  # noqa: BLE001 - a lost connection: the readers say so; retry shortly
                self._stop.wait(5.0)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(30)


def error_response(request: Request, status: int, message: str, extra: dict[str, Any] | None = None) -> Response:
    """JSON under /api/, an HTML page elsewhere; the message always says what went wrong."""
    if request.url.path.startswith("/api/"):
        body = {"error": {"status": status, "message": message, **(extra or {})}}
        return JSONResponse(body, status_code=status)
    try:
        return render(request, "error.html", status=status, status_code=status, message=message,
                      title=f"Error {status}",
                      detail=extra or {}, q=(extra or {}).get("query", request.query_params.get("q", "")))
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        from markupsafe import escape

        return HTMLResponse(f"<h1>{status}</h1><p>{escape(message)}</p>", status_code=status)
