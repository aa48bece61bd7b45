"""Search by meaning, alone or beside search by words, with every operator, field, filter and facet.

A query is split in two: its free words and phrases (what is embedded and compared by meaning) and the
rest of its tree (fields, entities, dates, collections, NOT, the filters), which every hit must satisfy
whichever way it was found. The vector side proposes the paragraphs nearest in meaning; those that
pass the constraints are ranked by similarity. In `hybrid` mode that ranking is fused with the lexical
one (reciprocal rank fusion, `fusion.rrf`), and the result set is the union: documents the boolean
query matches, plus the passages that matched by meaning. Facets count that union.

This module knows nothing of models or vectors: it asks a `Neighbours` object (the semantic package
provides one) for the nearest paragraphs, and reads hits through the same hydration as text search.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

import tantivy

from .engine import Compiler, facet_names, filter_strings, hydrate, sort_options
from .engine import search as run_text
from .facets import count_facets
from .fusion import rrf
from .index import SearchIndex
from .query import All, And, Node, Or, Phrase, QueryError, Similar, Word, parse, parse_filter
from .result import Hit, SearchResult, Snippet

MODES = ("text", "semantic", "hybrid")
LEXICAL_DEPTH = 100  # lexical hits fused (RRF gives little weight below this rank)
VECTOR_DEPTH = 400  # nearest paragraphs asked of the vector index before the constraints are applied
FREE_FIELDS = (None, "text", "title", "heading")
PASSAGE_CHARS = 320
Occur = tantivy.Occur


class Neighbours(Protocol):
    """What hybrid search needs from a vector index: nearest paragraphs as (document key, paragraph
    number, cosine similarity), best first."""

    def nearest_text(self, text: str, k: int) -> list[tuple[int, int, float]]: ...

    def nearest_document(self, key: int, k: int) -> list[tuple[int, int, float]]: ...

    def passage(self, key: int, n: int) -> tuple[int, int] | None:
        """Where paragraph `n` of document `key` lies in its text (start, end)."""
        ...


@dataclass
class _Candidate:
    key: int  # the index entry's key: a document key, or a paragraph key (doc << 20 | n)
    doc: int
    n: int
    score: float


def free_text(tree: Node) -> str:
    """The words and phrases a query searches prose for, outside NOT: what is compared by meaning."""
    return " ".join(t.text for t in tree.terms() if isinstance(t, Word | Phrase) and t.field in FREE_FIELDS)


def constraints(node: Node) -> Node | None:
    """The query without its free words: what a hit found by meaning must still satisfy (None: nothing)."""
    if isinstance(node, Word | Phrase):
        return None if node.field in FREE_FIELDS else node
    if isinstance(node, Similar):
        return None
    if isinstance(node, And):
        kept = [c for c in (constraints(i) for i in node.items) if c is not None]
        return None if not kept else kept[0] if len(kept) == 1 else And(kept)
    if isinstance(node, Or):
        kept = [constraints(i) for i in node.items]
        return None if any(c is None for c in kept) else Or([c for c in kept if c is not None])
    return node  # Not, Value, DateRange, All, Nothing: unchanged


def _similar_ids(node: Node) -> list[str]:
    if isinstance(node, Similar):
        return [node.doc_id]
    if isinstance(node, And | Or):
        return [i for item in node.items for i in _similar_ids(item)]
    return []


def search(
    index: SearchIndex,
    neighbours: Neighbours,
    query: str,
    mode: str = "hybrid",
    filters: Any = None,
    facets: Any = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    by: str = "document",
    snippets: bool = True,
) -> SearchResult:
    """Like `engine.search`, with hits found by meaning (`semantic`) or by both (`hybrid`)."""
    t0 = time.perf_counter()
    if mode not in MODES:
        raise QueryError(f"mode must be one of {', '.join(MODES)}, not {mode!r}", 0, "use text, semantic or hybrid",
                         query)
    page, per_page, offset = sort_options(query, sort, by, page, per_page)
    if index.pending():
        index.sync()
    meta_keys = index.meta_keys
    parsed = parse(query, meta_keys=meta_keys)
    given = filter_strings(filters)
    filter_nodes = [parse_filter(f, meta_keys) for f in given]
    tree = parsed.tree
    cons = constraints(tree)
    cons_tree: Node = And([n for n in (cons, *filter_nodes) if n is not None]) if (cons or filter_nodes) else All()
    full = And([tree, *filter_nodes]) if filter_nodes else tree

    searcher, schema = index.indexes[by].searcher(), index.schemas[by]
    comp = Compiler(schema, by, index.forms(by, searcher), index.feed)
    warnings = list(parsed.warnings)

    # -- by meaning: nearest paragraphs, then only those the constraints allow
    text = free_text(tree)
    likes = _similar_ids(tree)
    if not text and not likes:  # nothing to compare by meaning (only fields and filters): words alone
        return run_text(index, query, filters=filters, facets=facets, sort=sort, page=page, per_page=per_page,
                        by=by, snippets=snippets)
    near: list[tuple[int, int, float]] = []
    if likes:
        for doc_id in likes:
            key = index.feed.current_key(doc_id)
            if key is None:
                raise QueryError(f"similar:{doc_id}: no such document", 0, "give the id of a current document", query)
            near += [x for x in neighbours.nearest_document(key, VECTOR_DEPTH) if x[0] != key]
    if text:
        near += neighbours.nearest_text(text, VECTOR_DEPTH)
    near.sort(key=lambda x: -x[2])
    cands: dict[int, _Candidate] = {}
    for doc, n, score in near:
        key = doc if by == "document" else (doc << 20) | n
        if key not in cands:  # best paragraph first: a document keeps its nearest passage
            cands[key] = _Candidate(key, doc, n, score)
    cons_q = comp.compile(cons_tree)
    allowed = _addresses(searcher, schema, cons_q, list(cands)) if cands else {}
    semantic = [k for k in cands if k in allowed]

    # -- by words
    lexical: list[int] = []
    lex_addr: dict[int, Any] = {}
    full_q = comp.compile(full)
    lex_total = 0
    if mode == "hybrid" and free_text(tree):
        weight = "prior" if by == "document" else None
        res = searcher.search(full_q, limit=LEXICAL_DEPTH, count=True, weight_by_field=weight)
        lex_total = int(res.count or 0)
        addrs = [a for _, a in res.hits]
        for k, a in zip(searcher.fast_field_values("rowid", addrs), addrs, strict=True):
            lexical.append(int(k))
            lex_addr[int(k)] = a
    warnings += comp.warnings

    if mode == "semantic" or not lexical:
        fused = [(k, cands[k].score) for k in semantic]
        union_q = _keys_query(schema, cons_q, semantic)
        also = set(_addresses(searcher, schema, full_q, semantic)) if mode == "hybrid" else set()
        total = len(semantic) + (lex_total if mode == "hybrid" else 0) - len(also)
    else:
        fused = rrf([lexical, semantic])
        matched_too = set(_addresses(searcher, schema, full_q, semantic))
        total = lex_total + len([k for k in semantic if k not in matched_too])
        by_meaning = _keys_query(schema, cons_q, semantic)
        union_q = tantivy.Query.boolean_query([(Occur.Should, full_q), (Occur.Should, by_meaning)])

    effective_sort = sort
    if sort != "relevance":  # the same set, in date order
        fused = _by_date(searcher, schema, union_q, [k for k, _ in fused], ascending=sort == "date")
    window = fused[offset : offset + per_page]
    addr = {**allowed, **lex_addr}
    page_addrs = [addr[k] for k, _ in window]
    scores = [round(float(s), 6) if effective_sort == "relevance" else None for _, s in window]
    result = SearchResult(
        query=query, parsed=str(parsed.tree), by=by, sort=effective_sort, total=total, page=page,
        per_page=per_page, filters=given, warnings=warnings,
        index={"engine": "tantivy+usearch", "mode": mode, "watermark": index.watermark, "lag": 0},
    )
    lexical_set = set(lexical)
    result.hits = hydrate(index, searcher, by, page_addrs, scores, offset, parsed.tree, snippets)
    passages: list[tuple[Hit, int, int, int]] = []
    for hit in result.hits:  # hydrate leaves out what is no longer current; its rank says which it was
        k = window[hit.rank - offset - 1][0]
        c = cands.get(k)
        hit.matched_by = ["words"] * (k in lexical_set) + ["meaning"] * (c is not None and k in allowed)
        if c is not None:
            hit.similarity = c.score
            span = neighbours.passage(c.doc, c.n) if snippets and k not in lexical_set else None
            if span is not None:  # found by meaning alone: the passage, not stray words of the query
                passages.append((hit, k, *span))
    texts = index.feed.text_slices([(k, s, min(e, s + PASSAGE_CHARS)) for _, k, s, e in passages])
    for (hit, _, start, end), text in zip(passages, texts, strict=True):
        hit.snippets = [_passage(text or "", start, end)]
    names = facet_names(facets, query)
    if names and total:
        result.facets = count_facets(searcher, union_q, names, total, given, by, index.facet_fields)
    result.took_ms = round((time.perf_counter() - t0) * 1000, 2)
    return result


def _passage(text: str, start: int, end: int) -> Snippet:
    """A passage found by meaning (`text`: its first PASSAGE_CHARS), as a snippet with nothing marked (no
    word of the query need be in it)."""
    if end > start + PASSAGE_CHARS:
        cut = text.rfind(" ", 0, PASSAGE_CHARS)
        text = text[: cut if cut > PASSAGE_CHARS // 2 else PASSAGE_CHARS] + " …"
    return Snippet(text, start, min(end, start + len(text)), [], meaning=True)


def _keys_query(schema: tantivy.Schema, base: tantivy.Query, keys: list[int]) -> tantivy.Query:
    """`base`, restricted to the index entries whose key is among `keys`."""
    if not keys:
        return tantivy.Query.empty_query()
    ids = tantivy.Query.term_set_query(schema, "rowid", keys)
    return tantivy.Query.boolean_query([(Occur.Must, base), (Occur.Must, ids)])


def _addresses(searcher: tantivy.Searcher, schema: tantivy.Schema, base: tantivy.Query, keys: list[int]
               ) -> dict[int, Any]:
    """Which of `keys` the query `base` matches, with their index addresses."""
    if not keys:
        return {}
    res = searcher.search(_keys_query(schema, base, keys), limit=len(keys))
    addrs = [a for _, a in res.hits]
    return {int(k): a for k, a in zip(searcher.fast_field_values("rowid", addrs), addrs, strict=True)}


def _by_date(searcher: tantivy.Searcher, schema: tantivy.Schema, q: tantivy.Query, keys: list[int],
             ascending: bool) -> list[tuple[int, float]]:
    addrs = _addresses(searcher, schema, q, keys)
    field = "sort_asc" if ascending else "sort_desc"
    order = dict(zip(addrs, searcher.fast_field_values(field, list(addrs.values())), strict=True))
    ranked = sorted((k for k in keys if k in order), key=lambda k: order[k], reverse=not ascending)
    return [(k, 0.0) for k in ranked]


