"""`despatch embed` and `despatch mcp`: search by meaning, and the archive served to AI assistants."""

from __future__ import annotations

import sys

import click

from .app import main, opened


@main.command("embed")
@click.option("--collection", "-c", default=None, help="Only this collection (default: every one).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="CPU threads the model may use (default: every core).")
@click.option("--batch", type=click.IntRange(8, 4096), default=256, show_default=True,
              help="Paragraphs per model call and per commit (an interrupted run loses at most one).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.pass_context
def embed_cmd(ctx: click.Context, collection: str | None, jobs: int | None, batch: int, quiet: bool) -> None:
    """Compute paragraph vectors for search by meaning (needs `pip install 'despatch[semantic]'`).

    Resumable: documents that already have vectors are skipped, so running it again after an interruption
    or an ingest embeds only what is new. Searches then combine words and meaning (`search --mode`)."""
    from ..semantic.embed import embed_archive
    from ..semantic.model import Embedder

    embedder = Embedder(threads=jobs)  # a missing extra is a one-line error (cli/errors.py)

    def show(p) -> None:  # type: ignore[no-untyped-def]
        if not quiet:
            click.echo(p.line(), err=True)

    with opened(ctx) as arch:
        done = embed_archive(arch, embedder, collection=collection, batch_paragraphs=batch, progress=show)
        indexed = len(arch.meaning().index) if done.paragraphs else None  # brings the vector index up to date
    click.echo(f"{done.documents} documents, {done.paragraphs} paragraphs embedded in {done.seconds:.1f} s"
               + (f" ({done.rate:.0f} paragraphs/s); {indexed} vectors in the index" if indexed else ""))


@main.command("mcp")
@click.option("--transport", type=click.Choice(["stdio", "http"]), default="stdio", show_default=True,
              help="stdio: for an assistant that starts Despatch itself; http: streamable HTTP at /mcp.")
@click.option("--host", default="127.0.0.1", show_default=True, help="With --transport http.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="With --transport http.")
@click.option("--user", default=None, metavar="NAME",
              help="Read as this user of the archive (default: as nobody signed in: public collections only).")
@click.pass_context
def mcp_cmd(ctx: click.Context, transport: str, host: str, port: int, user: str | None) -> None:
    """Serve the archive to AI assistants over the Model Context Protocol: read-only tools to search,
    read, cite, find similar documents, entities and trends, each result with ids and citations. The
    tools see what the reader may read: anyone (public collections), or `--user NAME`."""
    from ..access import ANONYMOUS, Reader
    from ..errors import NotFound
    from ..mcpserver import build_server

    with opened(ctx, readonly=True) as arch:
        reader = ANONYMOUS
        if user is not None:
            found = arch.get_user(user)
            if found is None:
                raise NotFound(f"no user {user!r} (see `despatch users list`)")
            reader = Reader(found.name, found.role)
        server = build_server(arch, reader)
        if transport == "stdio":
            server.run("stdio")
        else:
            click.echo(f"MCP over streamable HTTP at http://{host}:{port}/mcp", err=True)
            server.run("streamable-http", host=host, port=port)
    sys.exit(0)
