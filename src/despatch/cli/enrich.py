"""`despatch enrich`, `despatch entities`, `despatch authority import`: thin commands over despatch.enrich."""

from __future__ import annotations

import json

import click

from ..enrich.entities_index import entities, import_authorities, read_authority_csv
from ..enrich.rerun import enrich_archive
from .app import main, opened


@main.command("enrich")
@click.option("--collection", metavar="NAME", help="Only this collection (default: all).")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def enrich_cmd(ctx: click.Context, collection: str | None, quiet: bool) -> None:
    """Re-run people, places, organisations, dates, amounts and judgments on stored documents."""
    def progress(doc_id: str, n: int) -> None:
        if not quiet and n % 500 == 0:
            click.echo(f"\r{n} documents", nl=False, err=True)

    with opened(ctx) as arch:
        if collection and collection not in {c["name"] for c in arch.collections()}:
            raise click.ClickException(f"no collection named {collection!r}")
        s = enrich_archive(arch, collection, progress=progress)
    if not quiet:
        click.echo("\r", nl=False, err=True)
    click.echo(f"enriched {s.documents} documents in {s.collections} collection(s): {s.annotations} annotations")


@main.command("entities")
@click.option("--type", "type_", type=click.Choice(["person", "place", "org"]), help="Only this kind of entity.")
@click.option("--collection", metavar="NAME", help="Only this collection.")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many (0: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def entities_cmd(ctx: click.Context, type_: str | None, collection: str | None, limit: int, fmt: str) -> None:
    """People, places and organisations with their variants, mention and document counts."""
    with opened(ctx, readonly=True) as arch:
        rows = entities(arch, collection, type_)
    if limit:
        rows = rows[:limit]
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no entities (ingest with enrichment on, or run `despatch enrich`)")
        return
    click.echo(f"{'type':7} {'id':32} {'name':28} {'mentions':>8} {'docs':>6}  variants")
    for e in rows:
        variants = "; ".join(f"{v} ({n})" for v, n in list(e.variants.items())[:5])
        click.echo(f"{e.type:7} {e.id[:32]:32} {e.name[:28]:28} {e.mentions:>8} {e.documents:>6}  {variants}")


@main.group("authority")
def authority_group() -> None:
    """Authority lists: the people, places and organisations a collection names."""


@authority_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--collection", required=True, metavar="NAME", help="The collection the list belongs to.")
@click.pass_context
def authority_import_cmd(ctx: click.Context, file: str, collection: str) -> None:
    """Import FILE.csv (columns: name, and optionally id, kind, description); run `despatch enrich` after."""
    try:
        entries = read_authority_csv(file)
    except (ValueError, UnicodeDecodeError) as e:
        raise click.ClickException(str(e)) from None
    with opened(ctx) as arch:
        n = import_authorities(arch, collection, entries)
    click.echo(f"imported {n} entries into {collection}; run `despatch enrich --collection {collection}` to apply them")
