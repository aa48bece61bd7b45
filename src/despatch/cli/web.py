"""`despatch serve`: the reading room and JSON API on http://127.0.0.1:8000."""

from __future__ import annotations

import click

from ..errors import ArchiveNotFound
from .app import archive_path, main

#: A request line and headers up to 256 KB reach the app (a too-long query then gets a 400 saying so,
#: instead of a reset connection); beyond that the server itself answers 400.
LONGEST_REQUEST_HEAD = 256 * 1024


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="DESPATCH_HOST",
              help="Interface to listen on (or DESPATCH_HOST).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), envvar="DESPATCH_PORT",
              help="Port to listen on (or DESPATCH_PORT).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes; each answers one request at a time (use about one per core).")
@click.option("--allowed-host", "allowed", multiple=True, metavar="NAME",
              help="A host name the reading room answers to besides localhost (repeat it; or set "
                   "DESPATCH_ALLOWED_HOSTS=a,b). Needed when it is published under a name.")
@click.option("--trust-proxy", is_flag=True, default=None,
              help="Behind a reverse proxy: believe its X-Forwarded-Proto/-For/-Host (secure cookies over HTTPS, "
                   "client addresses in the audit log); or DESPATCH_TRUST_PROXY=1.")
@click.option("--index-dir", type=click.Path(file_okay=False), default=None, envvar="DESPATCH_INDEX_DIR",
              help="A PostgreSQL archive: where this node keeps its own search index (default under the user's "
                   "cache directory; or DESPATCH_INDEX_DIR).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, allowed: tuple[str, ...],
          trust_proxy: bool | None, index_dir: str | None) -> None:
    """Serve the archive as a web reading room with a JSON API (read-only).

    It answers only to the localhost names and those allowed (others get 400), so that no web page can
    read the archive through the user's browser by DNS rebinding. An archive with accounts
    (`despatch users add`) adds signing in, and shows each reader only the collections they may read.
    On a PostgreSQL archive each serving node keeps its own search index (--index-dir), which follows the
    archive's changes: start as many nodes as you like on one database.
    """
    import os

    import uvicorn

    from ..store import is_postgres_url
    from ..web import create_app
    from ..web.auth import ENV_TRUST_PROXY
    from ..web.guard import ENV_ALLOWED_HOSTS

    path = archive_path(ctx)
    if index_dir:
        os.environ["DESPATCH_INDEX_DIR"] = os.path.abspath(index_dir)  # this process and its workers
    _check_free(host, port)
    click.echo(f"Opening {path} (bringing its search index up to date if needed)…", err=True)
    try:
        hosts = [*allowed] + ([host] if host not in ("0.0.0.0", "::", "") else [])
        app = create_app(path, hosts, trust_proxy=trust_proxy)
    except FileNotFoundError:
        raise ArchiveNotFound(f"no archive at {path} (ingest some documents first, or give --archive)") from None
    click.echo(f"Despatch reading room on http://{host}:{port}/ (archive {path}); Ctrl-C stops it", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                    h11_max_incomplete_event_size=LONGEST_REQUEST_HEAD)
        return
    os.environ["DESPATCH_ARCHIVE"] = path if is_postgres_url(path) else str(os.path.abspath(path))
    if trust_proxy:
        os.environ[ENV_TRUST_PROXY] = "1"
    os.environ[ENV_ALLOWED_HOSTS] = ",".join(filter(None, [os.environ.get(ENV_ALLOWED_HOSTS, ""), *hosts]))
    uvicorn.run("despatch.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False, h11_max_incomplete_event_size=LONGEST_REQUEST_HEAD)


def _check_free(host: str, port: int) -> None:
    """Say in one line that the port is taken (uvicorn would print a traceback-like error later)."""
    import socket

    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise click.ClickException(f"cannot listen on {host}: {e.strerror or e}") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError:
            raise click.ClickException(
                f"port {port} on {host} is in use: give another with --port N (or DESPATCH_PORT)") from None
