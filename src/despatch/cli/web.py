"""`despatch serve`: the reading room and JSON API on http://127.0.0.1:8000."""

from __future__ import annotations

import click

from ..errors import ArchiveNotFound
from .app import archive_path, main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="DESPATCH_HOST",
              help="Interface to listen on (or DESPATCH_HOST).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), envvar="DESPATCH_PORT",
              help="Port to listen on (or DESPATCH_PORT).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes; each answers one request at a time (use about one per core).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the archive as a web reading room with a JSON API (read-only)."""
    import os

    import uvicorn

    from ..web import create_app

    path = archive_path(ctx)
    _check_free(host, port)
    click.echo(f"Opening {path} (bringing its search index up to date if needed)…", err=True)
    try:
        app = create_app(path)
    except FileNotFoundError:
        raise ArchiveNotFound(f"no archive at {path} (ingest some documents first, or give --archive)") from None
    click.echo(f"Despatch reading room on http://{host}:{port}/ (archive {path}); Ctrl-C stops it", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    os.environ["DESPATCH_ARCHIVE"] = str(os.path.abspath(path))
    uvicorn.run("despatch.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)


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
