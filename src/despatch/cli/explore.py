"""`despatch similar`, `despatch entity`, `despatch timeline`: thin commands over `despatch.explore`,
readable text by default, the library's JSON with `--format json` (the same as the web API's)."""

from __future__ import annotations

import json
from typing import Any

import click

from .. import explore
from ..search.index import ENTITIES
from ..search.query import QueryError
from .app import fail, main, opened

FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)


def _json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@main.command("similar")
@click.argument("doc_id")
@click.option("--limit", "-n", default=6, show_default=True, help="How many documents (or paragraphs).")
@click.option("--paragraph", "-p", type=click.IntRange(1), default=None,
              help="Paragraphs like this one (1-based, as search hits number them) instead of documents.")
@FORMAT
@click.pass_context
def similar_cmd(ctx: click.Context, doc_id: str, limit: int, paragraph: int | None, fmt: str) -> None:
    """Documents like DOC_ID: nearest in meaning where `despatch embed` has run, else those that best match
    its most named entities and most frequent words. With --paragraph, the passages nearest to one of its
    paragraphs."""
    with opened(ctx) as arch:
        doc = arch.get(doc_id)
        if doc is None:
            fail(f"no document {doc_id!r} in this archive")
        assert doc is not None
        if paragraph is not None:
            passages = explore.similar_paragraphs(arch, doc_id, paragraph, limit)
            if fmt == "json":
                _json({"id": doc_id, "paragraph": paragraph, "similar": [p.__dict__ for p in passages]})
                return
            for i, p in enumerate(passages, 1):
                click.echo(f"{i:>4}. {p.id} ¶{p.paragraph}  similarity {p.similarity:.2f}  {p.title or ''}".rstrip())
                click.echo("      " + " ".join(p.text.split())[:300])
            return
        res = explore.similar(arch, doc, limit)
    if fmt == "json":
        _json(res.to_dict())
        return
    click.echo(f"Documents like {res.id}" + (f" ({res.title})" if res.title else ""))
    click.echo(f"query: {res.query or '(nothing to search by)'}")
    if not res.hits:
        click.echo("no similar documents")
    for i, h in enumerate(res.hits, 1):
        click.echo(f"{i:>4}. {h.id}  {h.date or 'undated'}  {h.title or ''}".rstrip())


@main.command("entity")
@click.argument("etype", metavar="TYPE", type=click.Choice(list(ENTITIES)))
@click.argument("key")
@click.option("--mentions", default=40, show_default=True, help="Mentions in context to show at most.")
@click.option("--documents", "docs", default=15, show_default=True, help="Documents to list at most.")
@FORMAT
@click.pass_context
def entity_cmd(ctx: click.Context, etype: str, key: str, mentions: int, docs: int, fmt: str) -> None:
    """An entity's page: TYPE (person, place, org) and KEY (its name or id, as on the reading room's
    entity links): documents, names as written, mentions in context, years, entities seen with it."""
    with opened(ctx) as arch:
        e = explore.entity_page(arch, etype, key, mentions=mentions, docs=docs)
    if fmt == "json":
        _json(e.to_dict())
        return
    total = e.result.total if e.result else 0
    click.echo(f"{e.name} ({e.type}): {total} document{'s' if total != 1 else ''}  (query: {e.query})")
    if e.variants:
        click.echo("written as: " + ", ".join(f"{t} ({c})" for t, c in e.variants))
    years = explore.year_bars(e.result, fill=False) if e.result else []
    if years:
        click.echo("years: " + ", ".join(f"{y} ({c})" for y, c, _f in years))
    if e.result and e.result.hits:
        click.echo("\ndocuments:")
        for h in e.result.hits:
            click.echo(f"  {h.id}  {h.date or 'undated'}  {h.title or ''}".rstrip())
    if e.mentions:
        click.echo("\nmentions:")
        for m in e.mentions:
            click.echo(f"  {m.doc_id}: …{' '.join(m.left.split())} [{m.match}] {' '.join(m.right.split())}…")
    if e.cooccurring:
        click.echo("\nseen with: " + ", ".join(f"{n} ({t}, {c})" for t, n, c, _k in e.cooccurring))


@main.command("timeline")
@click.argument("query", nargs=-1)
@click.option("--collection", default=None, help="Only this collection.")
@click.option("--from", "start", default=None, metavar="DATE", help="From this date (1953, 1953-07, 1953-07-31).")
@click.option("--to", "end", default=None, metavar="DATE", help="To this date (inclusive).")
@click.option("--documents", "docs", default=50, show_default=True, help="Earliest documents to list at most.")
@FORMAT
@click.pass_context
def timeline_cmd(ctx: click.Context, query: tuple[str, ...], collection: str | None, start: str | None,
                 end: str | None, docs: int, fmt: str) -> None:
    """How many documents QUERY finds per decade, year, month or day (the width of --from/--to sets
    which), the earliest of them, and the dates written in them. No QUERY: every document."""
    q = " ".join(query)
    with opened(ctx) as arch:
        try:
            t = explore.timeline(arch, q, collection, start, end, max_docs=docs)
        except QueryError:  # shown with its pointer and exit status by cli/errors.py
            raise
        except ValueError as exc:
            fail(str(exc), 2)
    if fmt == "json":
        _json(t.to_dict())
        return
    rng = f" from {t.start or '…'} to {t.end or '…'}" if (t.start or t.end) else ""
    click.echo(f"{t.total} documents{rng}, by {t.level}" + (f" in {t.collection}" if t.collection else ""))
    width = max((c for _l, c, _a, _b in t.bins), default=0)
    for label, c, _a, _b in t.bins:
        bar = "#" * (round(40 * c / width) if width else 0)
        click.echo(f"  {label:>10} {c:>7}  {bar}")
    if t.coarse:
        click.echo(f"  ({t.coarse} dated too coarsely for a {t.level} axis)")
    if t.documents:
        click.echo("\nearliest documents:")
        for h in t.documents:
            click.echo(f"  {h.date or 'undated':>12}  {h.id}  {h.title or ''}".rstrip())
    if t.events:
        click.echo("\ndates written in them:")
        for ev in t.events:
            click.echo(f"  {ev['date']:>12}  {ev['text']}  ({ev['doc_id']})")
