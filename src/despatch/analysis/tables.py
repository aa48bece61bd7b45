"""Every analysis result as a table (header and rows): what CSV exports, terminal tables and the
reading room's data tables beside each chart show. One function per result type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .collocates import Collocates
from .judgments import KENT, Profiles
from .keyness import Keyness
from .network import Network
from .trend import Trend

Table = tuple[list[str], list[list[Any]]]


def trend_table(t: Trend) -> Table:
    per10k = t.unit == "mentions"
    head = ["query", "split", "period", "count", "total", "per_10k_words" if per10k else "share"]
    if not per10k:
        head += ["low", "high"]
    rows = []
    for s in t.series:
        for p in s.points:
            row = [s.query, s.split or "", p["period"], p["count"], p["total"]]
            row += [p["per_10k_words"]] if per10k else [round(p["share"], 6), p["low"], p["high"]]
            rows.append(row)
    return head, rows


def keyness_table(k: Keyness) -> Table:
    head = ["key_for", "item", "freq_a", "freq_b", "per_million_a", "per_million_b", "g2", "log_ratio", "p",
            "p_adjusted", "significant"]
    rows = []
    for side, items in (("A", k.key_a), ("B", k.key_b)):
        for i in items:
            rows.append([side, i.item, i.freq_a, i.freq_b, round(i.per_million_a, 2), round(i.per_million_b, 2),
                         round(i.g2, 3), round(i.log_ratio, 3), f"{i.p:.3g}", f"{i.p_adjusted:.3g}",
                         "yes" if i.significant else "no"])
    return head, rows


def collocates_table(c: Collocates) -> Table:
    head = ["collocate", "freq", "left", "right", "corpus_freq", "expected", "ll", "mi", "t"]
    return head, [[x.word, x.freq, x.left, x.right, x.corpus_freq, round(x.expected, 3), round(x.ll, 3),
                   round(x.mi, 3), round(x.t, 3)] for x in c.collocates]


def network_tables(n: Network) -> tuple[Table, Table]:
    nodes = (["id", "label", "type", "weight"], [[x["id"], x["label"], x["type"], x["weight"]] for x in n.nodes])
    edges = (["source", "target", "weight"], [[e["source"], e["target"], e["weight"]] for e in n.edges])
    return nodes, edges


def judgments_table(p: Profiles) -> Table:
    head = ["group", "documents", "words", "judgments", "per_10k_words", "uncertainty", "mean_probability",
            "median_probability", *[f"kent:{k}" for k in KENT], "hedged_share", "negated_share"]
    rows = []
    for prof in p.profiles:
        d = prof.to_dict()
        rows.append([d["group"], d["documents"], d["words"], d["judgments"], d["per_10k_words"], d["uncertainty"],
                     d["mean_probability"], d["median_probability"], *[d["kent"][k] for k in KENT],
                     d["hedged_share"], d["negated_share"]])
    return head, rows


def judgment_items_table(p: Profiles) -> Table:
    head = ["group", "document", "date", "type", "start", "end", "probability", "kent", "icd203", "phia", "cue",
            "hedged", "negated", "sentence"]
    return head, [[j.group, j.document, j.date or "", j.type, j.start, j.end, j.probability, j.kent or "",
                   j.icd203 or "", j.phia or "", j.cue or "", j.hedged, j.negated, j.sentence] for j in p.judgments]


def provenance(d: dict[str, Any]) -> Iterator[str]:
    """Comment lines saying what a result was computed on (for the head of a terminal table)."""
    for k in ("queries", "query", "node", "a", "b", "filters", "unit", "period", "split", "by", "within",
              "settings", "corpus"):
        if k in d and d[k] not in (None, [], {}):
            yield f"# {k}: {d[k]}"
