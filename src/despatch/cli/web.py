"""`despatch serve`: the reading room and JSON API on http://127.0.0.1:8000."""

from __future__ import annotations

import click

from .app import archive_path, main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes; each answers one request at a time (use about one per core).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the archive as a web reading room with a JSON API (read-only)."""
    import os

    import uvicorn

    from ..web import create_app

    path = archive_path(ctx)
    click.echo(f"Opening {path} (bringing its search index up to date if needed)…", err=True)
    try:
        app = create_app(path)
    except FileNotFoundError:
        raise click.ClickException(f"no archive at {path} (ingest some documents first, or give --archive)") from None
    click.echo(f"Despatch reading room on http://{host}:{port}/ (archive {path}); Ctrl-C stops it", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    os.environ["DESPATCH_ARCHIVE"] = str(os.path.abspath(path))
    uvicorn.run("despatch.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)
