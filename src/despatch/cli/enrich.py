"""`despatch enrich`, `despatch entities`, `despatch authority import`: thin commands over despatch.enrich."""

from __future__ import annotations

import json

import click

from ..annotation_types import ENTITY_TYPES
from ..enrich import annotator_names, pipeline
from ..enrich.entities_index import entities, import_authorities, read_authority_csv
from ..enrich.records import refresh_entities
from ..enrich.rerun import enrich_archive
from ..errors import BadOption, NotFound
from ..ingest import IngestOptions, apply_setting
from .app import main, opened


@main.command("enrich")
@click.option("--collection", metavar="NAME", help="Only this collection (default: all).")
@click.option("--annotator", "annotators", multiple=True, type=click.Choice(annotator_names()), metavar="NAME",
              help="Run this annotator (repeatable) instead of the default ones; other annotations are kept.")
@click.option("--setting", "settings", multiple=True, metavar="NAME.KEY=VALUE",
              help="An annotator's setting (repeatable), e.g. keyword.word=Suez.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def enrich_cmd(ctx: click.Context, collection: str | None, annotators: tuple[str, ...], settings: tuple[str, ...],
               quiet: bool) -> None:
    """Re-run people, places, organisations, dates, amounts and judgments on stored documents."""
    opts = IngestOptions(annotators=annotators or None)
    for s in settings:
        apply_setting(opts, s)
    if opts.reader_settings:
        raise BadOption(f"enrich runs annotators only; {', '.join(opts.reader_settings)} is a reader")
    opts.validate()

    def progress(doc_id: str, n: int) -> None:
        if not quiet and n % 500 == 0:
            click.echo(f"\r{n} documents", nl=False, err=True)

    with opened(ctx) as arch:
        if collection and collection not in {c["name"] for c in arch.collections()}:
            raise NotFound(f"no collection named {collection!r}")
        s = enrich_archive(arch, collection, progress=progress,
                           pipeline_for=lambda auth: pipeline(opts.annotators, opts.annotator_settings, auth))
    if not quiet:
        click.echo("\r", nl=False, err=True)
    click.echo(f"enriched {s.documents} documents in {s.collections} collection(s): {s.annotations} annotations")


@main.group("entities", invoke_without_command=True)
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), help="Only this kind of entity.")
@click.option("--collection", metavar="NAME", help="Only this collection.")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many (0: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def entities_cmd(ctx: click.Context, type_: str | None, collection: str | None, limit: int, fmt: str) -> None:
    """People, places and organisations with their variants, mention and document counts.

    Subcommands show one entity and curate: merge, split, rename, mark-not-entity, curation export/import.
    """
    if ctx.invoked_subcommand is not None:
        return
    with opened(ctx, readonly=True) as arch:
        records = [] if collection else list(arch.iter_entities(type_))
        rows = [{**r.to_dict(), "name": r.label} for r in records] if records else \
            [e.to_dict() for e in entities(arch, collection, type_)]
    if limit:
        rows = rows[:limit]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no entities (ingest with enrichment on, or run `despatch enrich`)")
        return
    click.echo(f"{'type':7} {'id':32} {'name':28} {'mentions':>8} {'docs':>6}  variants")
    for e in rows:
        variants = "; ".join(f"{v} ({n})" for v, n in list(e["variants"].items())[:5])
        name = e.get("label") or e.get("name") or ""
        flag = " [ambiguous]" if e.get("ambiguous") else ""
        click.echo(f"{e['type']:7} {e['id'][:32]:32} {name[:28]:28} {e['mentions']:>8} {e['documents']:>6}  "
                   f"{variants}{flag}")


def _curate(ctx: click.Context, fn, *args) -> None:  # noqa: ANN001
    from ..enrich.curation import CurationError

    with opened(ctx) as arch:
        try:
            op = fn(arch, *args)
        except CurationError as e:
            raise click.ClickException(str(e)) from None
        refresh_entities(arch)
    click.echo(f"curation #{op.seq}: {op.action} {json.dumps(op.args, ensure_ascii=False)} by {op.who} at {op.at}")


@entities_cmd.command("show")
@click.argument("entity_id")
@click.option("--mentions", "n_mentions", type=int, default=10, show_default=True, help="Mentions to list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def entities_show(ctx: click.Context, entity_id: str, n_mentions: int, fmt: str) -> None:
    """One entity: label, variants, dates, sources, external ids, documents per year, mentions."""
    from ..enrich.pages import entity_page

    with opened(ctx, readonly=True) as arch:
        page = entity_page(arch, entity_id, mentions=n_mentions)
    if page is None:
        raise click.ClickException(f"no entity {entity_id!r} (see `despatch entities`)")
    if fmt == "json":
        click.echo(json.dumps(page, ensure_ascii=False, indent=2))
        return
    r = page["entity"]
    click.echo(f"{r['id']}  {r['label']}  ({r['type']}; {r['mentions']} mentions in {r['documents']} documents)"
               + ("  AMBIGUOUS: " + ", ".join(r["candidates"]) if r["ambiguous"] else ""))
    click.echo("variants: " + "; ".join(f"{v} ({n})" for v, n in r["variants"].items()))
    if r.get("kind"):
        click.echo(f"kind: {r['kind']}")
    for n in r["dates"].get("names", []):
        click.echo(f"name: {n['name']}, {n['from'] or '…'}–{n['to'] or ''}")
    for o in r["dates"].get("offices", []):
        click.echo(f"office: {o['post']}, {o['country']}, {o['from']}–{o['to']}")
    for u in r["dates"].get("un_speaker", []):
        click.echo(f"UN General Debate: session {u['session']} ({u['year']}), for {u['country']}"
                   + (f", {u['post']}" if u.get("post") else ""))
    click.echo("sources: " + "; ".join(r["sources"]))
    if r["external_ids"]:
        click.echo("external ids: " + "; ".join(f"{k}={v}" for k, v in r["external_ids"].items()))
    if r["years"]:
        click.echo("documents per year: " + ", ".join(f"{y}: {n}" for y, n in r["years"].items()))
    if page["cooccurring"]:
        click.echo("named with: " + "; ".join(f"{c['label']} ({c['documents']})" for c in page["cooccurring"][:10]))
    for m in page["mentions"]:
        click.echo(f"  {m['doc_id']}:{m['start']}:{m['end']}  {m['context']}")


@entities_cmd.command("merge")
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@click.pass_context
def entities_merge(ctx: click.Context, keep: str, others: tuple[str, ...]) -> None:
    """Merge OTHERS into KEEP (kept through every later `despatch enrich`)."""
    from ..enrich import curation

    _curate(ctx, curation.merge, keep, list(others))


@entities_cmd.command("split")
@click.argument("entity_id")
@click.option("--mention", "mentions", multiple=True, required=True, metavar="DOC:START:END",
              help="A mention to move out (repeatable; `despatch entities show ID` lists them).")
@click.option("--to", "to", metavar="ID", help="The entity it belongs to (default: a new one).")
@click.option("--label", help="The new entity's label.")
@click.pass_context
def entities_split(ctx: click.Context, entity_id: str, mentions: tuple[str, ...], to: str | None,
                   label: str | None) -> None:
    """Move mentions out of ENTITY_ID into another (or a new) entity."""
    from ..enrich import curation

    _curate(ctx, curation.split, entity_id, list(mentions), to, label)


@entities_cmd.command("rename")
@click.argument("entity_id")
@click.argument("label")
@click.pass_context
def entities_rename(ctx: click.Context, entity_id: str, label: str) -> None:
    """Set the preferred label of ENTITY_ID."""
    from ..enrich import curation

    _curate(ctx, curation.rename, entity_id, label)


@entities_cmd.command("mark-not-entity")
@click.argument("surface")
@click.pass_context
def entities_not_entity(ctx: click.Context, surface: str) -> None:
    """SURFACE (a word as written, e.g. "Ambassador") is no person, place or organisation anywhere."""
    from ..enrich import curation

    _curate(ctx, curation.not_entity, surface)


@entities_cmd.command("curation")
@click.argument("action", type=click.Choice(["export", "import"]))
@click.argument("file", required=False)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default=None,
              help="Default: from the file's extension, else JSON.")
@click.pass_context
def entities_curation(ctx: click.Context, action: str, file: str | None, fmt: str | None) -> None:
    """Export the curation layer (to FILE or stdout) or import one (replacing the layer, then applying it)."""
    from pathlib import Path

    from ..enrich import curation

    fmt = fmt or ("csv" if file and file.lower().endswith(".csv") else "json")
    if action == "export":
        with opened(ctx, readonly=True) as arch:
            text = curation.export_layer(arch, fmt)
        if file:
            Path(file).write_text(text, encoding="utf-8")
        else:
            click.echo(text)
        return
    if not file:
        raise click.UsageError("import needs a FILE")
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise click.ClickException(f"{file}: {e}") from None
    with opened(ctx) as arch:
        try:
            n = curation.import_layer(arch, text, fmt)
        except curation.CurationError as e:
            raise click.ClickException(f"{file}: {e}") from None
    click.echo(f"imported {n} curation acts from {file} and applied them")


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
    except UnicodeDecodeError as e:
        raise BadOption(f"{file}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    with opened(ctx) as arch:
        n = import_authorities(arch, collection, entries)
    click.echo(f"imported {n} entries into {collection}; run `despatch enrich --collection {collection}` to apply them")
