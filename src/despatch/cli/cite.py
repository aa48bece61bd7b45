"""`despatch cite` and `despatch export`: thin commands over despatch.cite and despatch.export."""

from __future__ import annotations

import os
import sys
from datetime import date

import click

from ..cite import FORMATS as CITE_FORMATS
from ..cite import STYLES, cite
from ..errors import BadOption, NotFound
from ..export import FORMATS as EXPORT_FORMATS
from ..export import export
from .app import main, opened


@main.command("cite")
@click.argument("doc_id")
@click.option("--style", type=click.Choice(STYLES), default="chicago-note", show_default=True)
@click.option("--accessed", metavar="YYYY-MM-DD",
              help="When you consulted the online record (default: today; 'none' to leave it out).")
@click.option("--format", "fmt", type=click.Choice(CITE_FORMATS), default="text", show_default=True,
              help="For the Chicago styles: plain text, Markdown (*italics*) or HTML (<i>).")
@click.pass_context
def cite_cmd(ctx, doc_id, style, accessed, fmt) -> None:
    """Cite one document: a Chicago note or bibliography entry, or a BibTeX, RIS or CSL-JSON record."""
    accessed = _accessed(accessed)
    with opened(ctx, readonly=True) as arch:
        doc = arch.get(doc_id)
    if doc is None:
        raise NotFound(f"no document {doc_id!r} in the archive")
    click.echo(cite(doc, style, accessed=accessed, fmt=fmt).rstrip("\n"))


@main.command("export")
@click.argument("query", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@click.option("--filter", "filters", multiple=True, metavar="FIELD:VALUE",
              help="Narrow like `despatch search --filter`.")
@click.option("--id", "ids", multiple=True, metavar="ID",
              help="Export these documents instead (repeatable); one --id with --format tei is a standalone TEI file.")
@click.option("--accessed", metavar="YYYY-MM-DD", help="Access date for online records in citations (default: none).")
@click.pass_context
def export_cmd(ctx, query, fmt, output, filters, ids, accessed) -> None:
    """Export every document QUERY matches (the whole archive without a QUERY), streamed in constant memory."""
    text = " ".join(query)
    if accessed:
        accessed = _accessed(accessed)
    # A whole-archive export only reads; a query may first have to bring the search index up to date.
    with opened(ctx, readonly=not text and not filters) as arch:
        try:
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    n = export(arch, text, fmt, out, accessed=accessed, filters=list(filters) or None,
                               ids=list(ids) or None)
            else:
                n = export(arch, text, fmt, sys.stdout, accessed=accessed, filters=list(filters) or None,
                           ids=list(ids) or None)
        except BrokenPipeError:  # `despatch export | head`: the reader has all it wants
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0) from None
    click.echo(f"exported {n} document(s) as {fmt}" + (f" to {output}" if output else ""), err=True)


def _accessed(value: str | None) -> str | None:
    if value is None:
        return date.today().isoformat()
    if value.lower() in ("none", "no", ""):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadOption(f"--accessed must be a date YYYY-MM-DD, not {value!r}") from None
