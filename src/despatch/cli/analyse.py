"""`despatch analyse trend|keyness|collocates|kwic|network|judgments`: thin commands over despatch.analysis."""

from __future__ import annotations

import csv
import importlib
import json
import sys
from typing import Any

import click

from ..analysis import tables
from ..analysis.corpus import ENTITY_TYPES
from ..search.query import QueryError
from .app import main, opened

# The package exports the functions under the modules' names; the modules themselves, by path:
colloc_mod, judg_mod, key_mod, kwic_mod, net_mod, trend_mod = (
    importlib.import_module(f"despatch.analysis.{m}")
    for m in ("collocates", "judgments", "keyness", "kwic", "network", "trend")
)

FORMATS = ["table", "json", "csv"]


def _filters(f: Any) -> Any:
    return click.option("--filter", "filters", multiple=True, metavar="FIELD:VALUE",
                        help="Restrict to a facet value or date range, e.g. country:RUS, year:1950..1960 "
                             "(repeatable).")(f)


def _fmt(choices: list[str] = FORMATS) -> Any:
    return click.option("--format", "fmt", type=click.Choice(choices), default="table", show_default=True)


def _emit(fmt: str, data: dict[str, Any], table: tables.Table, limit_rows: int | None = None) -> None:
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    head, rows = table
    if fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(head)
        w.writerows(rows)
        return
    for line in tables.provenance(data):
        click.echo(line)
    for w in data.get("warnings", []):
        click.echo(f"warning: {w}", err=True)
    shown = rows if limit_rows is None else rows[:limit_rows]
    widths = [min(40, max([len(str(h))] + [len(str(r[i])) for r in shown])) for i, h in enumerate(head)]
    click.echo("  ".join(str(h).ljust(widths[i]) for i, h in enumerate(head)))
    for r in shown:
        click.echo("  ".join(str(v)[:40].ljust(widths[i]) for i, v in enumerate(r)).rstrip())
    if len(shown) < len(rows):
        click.echo(f"… {len(rows) - len(shown)} more rows (use --format csv or json for all)")


def _run(fn: Any, *args: Any, **kw: Any) -> Any:
    try:
        return fn(*args, **kw)
    except QueryError as e:
        raise click.ClickException(f"query error: {e}") from None
    except ValueError as e:
        raise click.ClickException(str(e)) from None


@main.group("analyse")
def analyse() -> None:
    """Trends, keyness, collocates, concordances, entity networks and judgment profiles (docs/analysis.md)."""


@analyse.command("trend")
@click.argument("queries", nargs=-1, required=True)
@click.option("--by", "period", type=click.Choice(trend_mod.PERIODS), default="year", show_default=True)
@click.option("--split", type=click.Choice(trend_mod.SPLITS), default=None, help="One series per value of this facet.")
@click.option("--unit", type=click.Choice(trend_mod.UNITS), default="documents", show_default=True,
              help="Count matching documents, paragraphs, or mentions of a word or phrase.")
@click.option("--from", "start", type=int, default=None, help="First year shown.")
@click.option("--to", "end", type=int, default=None, help="Last year shown.")
@_filters
@_fmt()
@click.pass_context
def trend_cmd(ctx, queries, period, split, unit, start, end, filters, fmt) -> None:
    """Matches of each QUERY per period, against all units of the period (share with a 95% Wilson interval;
    mentions per 10,000 words). Each QUERY is one argument: quote it."""
    with opened(ctx, readonly=False) as arch:
        t = _run(trend_mod.trend, arch, list(queries), period=period, split=split, filters=list(filters), unit=unit,
                 start=start, end=end)
    _emit(fmt, t.to_dict(), tables.trend_table(t), limit_rows=200)


@analyse.command("keyness")
@click.argument("query_a")
@click.argument("query_b", required=False)
@click.option("--rest", is_flag=True, help="Compare A with everything else (the default without QUERY_B).")
@click.option("--by", type=click.Choice(["document", "paragraph"]), default="document", show_default=True,
              help="Subsets are the matching documents or the matching paragraphs.")
@click.option("--unit", type=click.Choice(key_mod.UNITS), default="words", show_default=True)
@click.option("--min-freq", default=5, show_default=True, help="Test only items seen at least this often in A and B.")
@click.option("--correction", type=click.Choice(["bonferroni", "holm", "bh", "none"]), default="bonferroni",
              show_default=True)
@click.option("--alpha", default=0.05, show_default=True)
@click.option("--limit", "-n", default=50, show_default=True, help="Items per side.")
@_filters
@_fmt()
@click.pass_context
def keyness_cmd(ctx, query_a, query_b, rest, by, unit, min_freq, correction, alpha, limit, filters, fmt) -> None:
    """Words (or entities) that distinguish QUERY_A from QUERY_B, or from the rest: G², log ratio, p."""
    if rest and query_b:
        raise click.UsageError("give QUERY_B or --rest, not both")
    with opened(ctx, readonly=False) as arch:
        k = _run(key_mod.keyness, arch, query_a, query_b, filters=list(filters), by=by, unit=unit, min_freq=min_freq,
                 correction=correction, alpha=alpha, limit=limit)
    _emit(fmt, k.to_dict(), tables.keyness_table(k))


@analyse.command("collocates")
@click.argument("node")
@click.option("--window", default=5, show_default=True, help="Words each side (inside the paragraph).")
@click.option("--left", type=int, default=None, help="Words to the left (default: --window).")
@click.option("--right", type=int, default=None, help="Words to the right (default: --window).")
@click.option("--within", default="*", show_default=True, help="Only in what this query matches.")
@click.option("--by", type=click.Choice(["document", "paragraph"]), default="document", show_default=True)
@click.option("--min-freq", default=3, show_default=True)
@click.option("--sort", type=click.Choice(colloc_mod.SORTS), default="ll", show_default=True)
@click.option("--limit", "-n", default=50, show_default=True)
@click.option("--stopwords", is_flag=True, help="Leave out English function words.")
@_filters
@_fmt()
@click.pass_context
def collocates_cmd(ctx, node, window, left, right, within, by, min_freq, sort, limit, stopwords, filters, fmt) -> None:
    """Words near NODE (a word, =exact form, prefix*, or "a phrase") more often than chance: LL, MI, t."""
    with opened(ctx, readonly=False) as arch:
        c = _run(colloc_mod.collocates, arch, node, within=within, filters=list(filters), by=by,
                 left=window if left is None else left, right=window if right is None else right,
                 min_freq=min_freq, sort=sort, limit=limit, stopwords=stopwords)
    _emit(fmt, c.to_dict(), tables.collocates_table(c))


@analyse.command("kwic")
@click.argument("query")
@click.option("--context", default=8, show_default=True, help="Words of context each side.")
@click.option("--sort", type=click.Choice(kwic_mod.SORTS), default="position", show_default=True,
              help="position streams; left/right/hit sort by the words before/after the hit (AntConc 1L.., 1R..).")
@click.option("--limit", "-n", type=int, default=None, help="At most this many lines (default: all).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@_filters
@_fmt(["table", "json", "csv", "tsv"])
@click.pass_context
def kwic_cmd(ctx, query, context, sort, limit, output, filters, fmt) -> None:
    """Every match of QUERY with its left and right context, streamed (csv, or tsv: the concordancer layout
    n, left, hit, right, file)."""
    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
    try:
        with opened(ctx, readonly=False) as arch:
            rows = _run(kwic_mod.concordance, arch, query, filters=list(filters), context=context, sort=sort,
                        limit=limit)
            rows = _guard(rows)
            if fmt == "csv":
                kwic_mod.write_csv(rows, out)
            elif fmt == "tsv":
                kwic_mod.write_tsv(rows, out)
            elif fmt == "json":  # JSON lines: one object per line, streamed
                out.write(json.dumps({"analysis": "kwic", "query": query, "filters": list(filters),
                                      "context": context, "sort": sort}, ensure_ascii=False) + "\n")
                for ln in rows:
                    out.write(json.dumps(ln.to_dict(), ensure_ascii=False) + "\n")
            else:
                for ln in rows:
                    left = ln.left[-50:].rjust(50)
                    out.write(f"{left}  [{ln.hit}]  {ln.right[:50]}   {ln.document} ¶{ln.paragraph}\n")
    finally:
        if output:
            out.close()


def _guard(rows: Any) -> Any:
    try:
        yield from rows
    except QueryError as e:
        raise click.ClickException(f"query error: {e}") from None
    except ValueError as e:
        raise click.ClickException(str(e)) from None


@analyse.command("network")
@click.argument("query", required=False, default="*")
@click.option("--unit", type=click.Choice(net_mod.UNITS), default="paragraph", show_default=True,
              help="Entities are linked when named in the same paragraph or document.")
@click.option("--type", "types", multiple=True, type=click.Choice(ENTITY_TYPES),
              help="Entity types (repeatable; default all).")
@click.option("--min-weight", default=1, show_default=True, help="Leave out links seen fewer times.")
@click.option("--max-nodes", default=150, show_default=True, help="The most frequent entities kept.")
@_filters
@_fmt(["table", "json", "csv", "gexf", "graphml"])
@click.pass_context
def network_cmd(ctx, query, unit, types, min_weight, max_nodes, filters, fmt) -> None:
    """Co-occurrence network of the entities in what QUERY matches (default: everything); gexf and
    graphml open in Gephi."""
    with opened(ctx, readonly=False) as arch:
        n = _run(net_mod.network, arch, query, filters=list(filters), unit=unit, types=list(types) or ENTITY_TYPES,
                 min_weight=min_weight, max_nodes=max_nodes)
    if fmt == "gexf":
        click.echo(net_mod.to_gexf(n), nl=False)
    elif fmt == "graphml":
        click.echo(net_mod.to_graphml(n), nl=False)
    else:
        _emit(fmt, n.to_dict(), tables.network_tables(n)[1], limit_rows=100)


@analyse.command("judgments")
@click.argument("query", required=False, default="*")
@click.option("--by", type=click.Choice(judg_mod.GROUPS), default="year", show_default=True)
@click.option("--paragraphs", is_flag=True, help="Only judgments inside the paragraphs QUERY matches.")
@click.option("--items", is_flag=True, help="List every judgment (csv/table) instead of the profiles.")
@_filters
@_fmt()
@click.pass_context
def judgments_cmd(ctx, query, by, paragraphs, items, filters, fmt) -> None:
    """How often and how sure: the estimative judgments of what QUERY matches, by originator, collection
    or period (Kent, ICD 203 and PHIA bands)."""
    with opened(ctx, readonly=False) as arch:
        p = _run(judg_mod.judgments, arch, query, filters=list(filters), by=by, paragraphs=paragraphs)
    table = tables.judgment_items_table(p) if items else tables.judgments_table(p)
    _emit(fmt, p.to_dict(with_items=items or fmt == "json"), table, limit_rows=None if items else 200)
