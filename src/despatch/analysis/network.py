"""Co-occurrence networks of entities: who (and which places and organisations) are named together.

Two entities are linked when they are named in the same paragraph (or document); the edge's weight is
the number of such paragraphs (documents). A node's weight is the number of units naming it. Entities
are the annotator's resolved names (`person:Georgy Malenkov`), so spellings of one person meet in one
node and two people who share a surname stay apart. Exports: GEXF 1.3 and GraphML, which Gephi, Cytoscape
and networkx read.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from ..store.base import Archive
from .corpus import ENTITY_TYPES, TokenCorpus, load
from .subset import ALL, para_mask, select

UNITS = ("paragraph", "document")


@dataclass
class Network:
    query: str
    filters: list[str]
    unit: str
    types: list[str]
    settings: dict[str, Any]
    corpus: dict[str, Any]
    units: int
    nodes: list[dict[str, Any]] = field(default_factory=list)  # id, label, type, weight
    edges: list[dict[str, Any]] = field(default_factory=list)  # source, target, weight

    def to_dict(self) -> dict[str, Any]:
        return {"analysis": "network", "query": self.query, "filters": self.filters, "unit": self.unit,
                "types": self.types, "settings": self.settings, "corpus": self.corpus, "units": self.units,
                "nodes": self.nodes, "edges": self.edges}

    def neighbours(self, node_id: str) -> list[tuple[str, int]]:
        out = [(e["target"], e["weight"]) for e in self.edges if e["source"] == node_id]
        out += [(e["source"], e["weight"]) for e in self.edges if e["target"] == node_id]
        return sorted(out, key=lambda x: -x[1])


def network(
    archive: Archive,
    query: str = "*",
    filters: Any = None,
    unit: str = "paragraph",
    types: list[str] | tuple[str, ...] = ENTITY_TYPES,
    min_weight: int = 1,
    max_nodes: int = 150,
    tc: TokenCorpus | None = None,
) -> Network:
    """The co-occurrence network of the entities in the units `query` (+ `filters`) selects."""
    if unit not in UNITS:
        raise ValueError(f"unit must be paragraph or document, not {unit!r}")
    bad = [t for t in types if t not in ENTITY_TYPES]
    if bad:
        raise ValueError(f"entity types are {', '.join(ENTITY_TYPES)}, not {bad[0]!r}")
    tc = tc or load(archive)
    keep_type = np.array([lbl.split(":", 1)[0] in types for lbl in tc.ent_vocab], dtype=bool)
    sel = keep_type[tc.ent_id] if len(tc.ent_id) else np.zeros(0, dtype=bool)
    if (query or "").strip() not in ALL or filters:
        sub = select(archive, tc, query, filters, "paragraph" if unit == "paragraph" else "document")
        inside = np.zeros(len(tc.ent_id), dtype=bool)
        ok = tc.ent_para >= 0
        if unit == "paragraph":
            inside[ok] = para_mask(tc, sub.paras)[tc.ent_para[ok]]
        else:
            dm = np.zeros(len(tc.doc_keys), dtype=bool)
            dm[sub.docs] = True
            inside = dm[tc.ent_doc]
        sel &= inside
        fl = sub.filters
    else:
        fl = []
    if unit == "paragraph":
        sel &= tc.ent_para >= 0
        u = tc.ent_para[sel].astype(np.int64)
    else:
        u = tc.ent_doc[sel].astype(np.int64)
    e = tc.ent_id[sel].astype(np.int64)
    pairs = np.unique(np.stack([u, e], axis=1), axis=0) if len(u) else np.zeros((0, 2), dtype=np.int64)
    node_w = Counter(pairs[:, 1].tolist())
    top = {i for i, _ in sorted(node_w.items(), key=lambda x: (-x[1], tc.ent_vocab[x[0]]))[:max_nodes]}
    edge_w: Counter[tuple[int, int]] = Counter()
    if len(pairs):
        bounds = np.flatnonzero(np.diff(pairs[:, 0])) + 1
        for group in np.split(pairs[:, 1], bounds):
            ids = [int(i) for i in group if int(i) in top]
            if len(ids) > 1:
                edge_w.update(combinations(sorted(ids), 2))
    edges = [(a, b, w) for (a, b), w in edge_w.items() if w >= min_weight]
    edges.sort(key=lambda x: (-x[2], tc.ent_vocab[x[0]], tc.ent_vocab[x[1]]))
    linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    net = Network(
        query=query or "*", filters=fl, unit=unit, types=list(types),
        settings={"min_weight": min_weight, "max_nodes": max_nodes},
        corpus={"documents": int(len(tc.doc_keys)), "paragraphs": int(len(tc.para_tok) - 1),
                "mentions": int(len(tc.ent_id)), "watermark": tc.watermark},
        units=int(len(np.unique(u))) if len(u) else 0,
    )
    for i in sorted(top, key=lambda x: (-node_w[x], tc.ent_vocab[x])):
        if min_weight > 1 and i not in linked:
            continue
        t, name = tc.ent_vocab[i].split(":", 1)
        net.nodes.append({"id": tc.ent_vocab[i], "label": name, "type": t, "weight": int(node_w[i])})
    net.edges = [{"source": tc.ent_vocab[a], "target": tc.ent_vocab[b], "weight": int(w)} for a, b, w in edges]
    return net


# -- exports -------------------------------------------------------------------------------------------
def to_gexf(net: Network) -> str:
    """GEXF 1.3 (Gephi's own format): nodes with type and weight attributes, weighted undirected edges."""
    ids = {n["id"]: i for i, n in enumerate(net.nodes)}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
        f"  <meta><creator>Despatch</creator><description>{escape(_describe(net))}</description></meta>",
        '  <graph defaultedgetype="undirected" mode="static">',
        '    <attributes class="node"><attribute id="0" title="type" type="string"/>'
        '<attribute id="1" title="weight" type="integer"/></attributes>',
        "    <nodes>",
    ]
    for n in net.nodes:
        out.append(f'      <node id="n{ids[n["id"]]}" label={quoteattr(n["label"])}><attvalues>'
                   f'<attvalue for="0" value={quoteattr(n["type"])}/><attvalue for="1" value="{n["weight"]}"/>'
                   "</attvalues></node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for k, e in enumerate(net.edges):
        out.append(f'      <edge id="e{k}" source="n{ids[e["source"]]}" target="n{ids[e["target"]]}" '
                   f'weight="{e["weight"]}"/>')
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out)


def to_graphml(net: Network) -> str:
    """GraphML with label, type and weight keys."""
    ids = {n["id"]: i for i, n in enumerate(net.nodes)}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
        '  <key id="type" for="node" attr.name="type" attr.type="string"/>',
        '  <key id="nweight" for="node" attr.name="weight" attr.type="int"/>',
        '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>',
        f'  <graph id={quoteattr(_describe(net))} edgedefault="undirected">',
    ]
    for n in net.nodes:
        out.append(f'    <node id="n{ids[n["id"]]}"><data key="label">{escape(n["label"])}</data>'
                   f'<data key="type">{escape(n["type"])}</data><data key="nweight">{n["weight"]}</data></node>')
    for k, e in enumerate(net.edges):
        out.append(f'    <edge id="e{k}" source="n{ids[e["source"]]}" target="n{ids[e["target"]]}">'
                   f'<data key="weight">{e["weight"]}</data></edge>')
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)


def _describe(net: Network) -> str:
    f = f" with {', '.join(net.filters)}" if net.filters else ""
    return (f"Entities ({', '.join(net.types)}) named in the same {net.unit}: query {net.query}{f}; "
            f"{net.units} {net.unit}s; minimum edge weight {net.settings['min_weight']}")


def layout(net: Network, width: float = 800, height: float = 600, iterations: int = 200,
           seed: int = 7) -> dict[str, tuple[float, float]]:
    """Node positions by Fruchterman–Reingold force layout (deterministic: a fixed seed)."""
    n = len(net.nodes)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) * [width, height]
    idx = {nd["id"]: i for i, nd in enumerate(net.nodes)}
    src = np.array([idx[e["source"]] for e in net.edges], dtype=int)
    dst = np.array([idx[e["target"]] for e in net.edges], dtype=int)
    w = np.array([math.log1p(e["weight"]) for e in net.edges], dtype=float)
    k = math.sqrt(width * height / n) * 0.8
    t = width / 10
    centre = np.array([width / 2, height / 2])
    linked = np.zeros(n, dtype=bool)
    linked[src] = True
    linked[dst] = True
    pull = np.where(linked, 0.02, 0.3)[:, None]
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 0.01)
        disp = ((k * k / dist**2)[:, :, None] * delta).sum(axis=1)
        if len(src):
            d = pos[src] - pos[dst]
            dd = np.maximum(np.linalg.norm(d, axis=1), 0.01)
            f = (dd / k * w * 0.5)[:, None] * d
            np.add.at(disp, src, -f)
            np.add.at(disp, dst, f)
        disp += (centre - pos) * pull  # gravity: unlinked entities stay near, not at the walls
        length = np.maximum(np.linalg.norm(disp, axis=1), 0.01)
        pos += disp / length[:, None] * np.minimum(length, t)[:, None]
        t *= 0.97
    # fit the drawing into the frame, leaving room for labels on the right
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    span = np.where(hi - lo > 1e-6, hi - lo, 1.0)
    frame_lo, frame_hi = np.array([30.0, 30.0]), np.array([width - 160.0, height - 30.0])
    pos = frame_lo + (pos - lo) / span * (frame_hi - frame_lo)
    if n == 1:
        pos[:] = [width / 2, height / 2]
    return {nd["id"]: (float(pos[i, 0]), float(pos[i, 1])) for i, nd in enumerate(net.nodes)}
