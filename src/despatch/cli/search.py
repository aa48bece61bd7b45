"""`despatch search` and `despatch reindex`: thin commands over `Archive.search` / `Archive.reindex`."""

from __future__ import annotations

import json
import time

import click

from ..search.facets import FACETS
from ..search.query import parse
from ..search.result import SearchResult
from .app import main, opened


@main.command("search")
@click.argument("query", nargs=-1)
@click.option("--limit", "-n", "per_page", default=20, show_default=True, help="Hits per page.")
@click.option("--page", default=1, show_default=True, help="Page of results (stable across calls).")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance", show_default=True)
@click.option("--by", type=click.Choice(["document", "paragraph"]), default="document", show_default=True)
@click.option(
    "--facet",
    "facets",
    multiple=True,
    type=click.Choice(list(FACETS)),
    help="Count hits per value of this facet (repeatable; default: none in table output, all in JSON).",
)
@click.option("--filter", "filters", multiple=True, metavar="FIELD:VALUE", help="Narrow to a facet value (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--mode",
    type=click.Choice(["auto", "text", "semantic", "hybrid"]),
    default="auto",
    show_default=True,
    help="text: by words; semantic: by meaning; hybrid: both, fused; auto: hybrid where `despatch embed` has "
    "run, else text.",
)
@click.option("--explain", is_flag=True, help="Print the query as understood, and stop.")
@click.pass_context
def search_cmd(ctx, query, per_page, page, sort, by, facets, filters, fmt, mode, explain) -> None:
    """Search the archive. QUERY uses the query language (see README: words, "phrases", AND/OR/NOT,
    fields like title: person: country:, dates like year:1953 or date:1953-03..1953-09)."""
    text = " ".join(query)
    if explain:
        parsed = parse(text)
        click.echo(str(parsed))
        for w in parsed.warnings:
            click.echo(f"warning: {w}", err=True)
        return
    with opened(ctx, readonly=False) as arch:
        facet_arg = list(facets) if facets else (None if fmt == "json" else [])
        res = arch.search(text, filters=list(filters), facets=facet_arg, sort=sort, page=page, per_page=per_page, by=by,
                          mode=mode)
    if fmt == "json":
        click.echo(json.dumps(res.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(render(res))


def render(res: SearchResult) -> str:
    """The result as a terminal shows it: one block per hit, matches in [brackets]."""
    lines = []
    for w in res.warnings:
        lines.append(f"warning: {w}")
    first = (res.page - 1) * res.per_page + 1
    last = first + len(res.hits) - 1
    unit = "paragraphs" if res.by == "paragraph" else "documents"
    shown = f"{first}-{last} of " if res.hits else ""
    lines.append(f"{shown}{res.total} {unit}  ({res.took_ms:.0f} ms; query: {res.parsed}; sort: {res.sort})")
    for h in res.hits:
        where = f" ¶{h.paragraph.number} [{h.paragraph.start}:{h.paragraph.end}]" if h.paragraph else ""
        lines.append("")
        lines.append(f"{h.rank:>4}. {h.id}{where}  {h.date or 'undated'}  {h.title or ''}".rstrip())
        found = f", found by {' and '.join(h.matched_by)}" if h.matched_by else ""
        near = f", similarity {h.similarity:.2f}" if h.similarity is not None else ""
        lines.append(
            f"      {h.matches} match{'es' if h.matches != 1 else ''}" + (f", score {h.score}" if h.score else "")
            + found + near
        )
        for s in h.snippets:
            lead = "≈ " if s.meaning else "… "
            lines.append("      " + lead + " ".join(s.marked().split()) + " …")
    for f in res.facets:
        lines.append("")
        note = "" if f.exact else f"  ({f.note})"
        vals = ", ".join(f"{v.value} ({v.count})" for v in f.values[:30])
        more = f", other ({f.other})" if f.other else ""
        lines.append(f"{f.name}: {vals}{more}{note}")
    return "\n".join(lines)


@main.command("reindex")
@click.pass_context
def reindex_cmd(ctx) -> None:
    """Rebuild the search index from the documents in the archive."""
    t0 = time.perf_counter()
    with opened(ctx) as arch:
        n = arch.reindex()
    click.echo(f"indexed {n} documents in {time.perf_counter() - t0:.1f} s")
