"""Run a parsed query: compile the tree for the index, rank, page, count facets, cut snippets.

`search()` is what `Archive.search` calls. Hits come from the derived index (index.py) and are then
read from the store through its change feed (`despatch.feed`): every hit shown is a current document
of the archive, with its text from there.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import tantivy

from .. import plugins
from ..annotation_types import ENTITY_TYPES
from ..feed import VectorFeed
from .analyzers import ANALYZERS, fold
from .compounds import MARK, query_form
from .facets import DEFAULT_FACETS, FACETS, count_facets
from .forms import PROSE, Forms, stem
from .index import PARA_TYPES, SearchIndex
from .query import (
    All,
    And,
    DateRange,
    Node,
    Not,
    Nothing,
    Or,
    Parsed,
    Phrase,
    QueryError,
    Similar,
    Value,
    Word,
    parse,
    parse_filter,
)
from .result import Hit, Paragraph, SearchResult
from .snippets import Matcher

SORTS = ("relevance", "date", "-date")
BY = ("document", "paragraph")
MAX_PER_PAGE = 500
MAX_OFFSET = 100_000
TITLE_BOOST = 3.0
HEADING_BOOST = 2.0
MIN_PREFIX = 2
SIMILAR_WORDS = 12

Occur = tantivy.Occur


class Compiler:
    """AST → tantivy query, for one level ("document" or "paragraph")."""

    def __init__(self, schema: tantivy.Schema, level: str, forms: Forms, feed: VectorFeed | None = None) -> None:
        self.schema, self.level, self.forms, self.feed = schema, level, forms, feed
        self.warnings: list[str] = []

    def compile(self, node: Node) -> tantivy.Query:
        if isinstance(node, All):
            return tantivy.Query.all_query()
        if isinstance(node, Nothing):
            return tantivy.Query.empty_query()
        if isinstance(node, And):
            subs = [self.compile(i) for i in node.items if not isinstance(i, Not)]
            negs = [self.compile(i.item) for i in node.items if isinstance(i, Not)]
            if not subs:
                subs = [tantivy.Query.all_query()]
            return tantivy.Query.boolean_query([(Occur.Must, q) for q in subs] + [(Occur.MustNot, q) for q in negs])
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(Occur.Should, self.compile(i)) for i in node.items])
        if isinstance(node, Not):
            return tantivy.Query.boolean_query(
                [(Occur.Must, tantivy.Query.all_query()), (Occur.MustNot, self.compile(node.item))]
            )
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Phrase):
            return self._text(node.field, node.text, node.slop, phrase=True)
        if isinstance(node, Value):
            return self._value(node)
        if isinstance(node, DateRange):
            return self._dates(node)
        if isinstance(node, Similar):
            return self._similar(node)
        raise TypeError(node)

    def _similar(self, s: Similar) -> tantivy.Query:
        """similar:ID by words (where there are no vectors): the document's most distinctive words, each
        weighed by its frequency in the document and its rarity in the archive, OR'ed; itself left out."""
        key = self.feed.current_key(s.doc_id) if self.feed is not None else None
        rec = next(iter(self.feed.index_records([key], ())), None) if key is not None and self.feed else None
        if rec is None:
            raise QueryError(f"similar:{s.doc_id}: no such document", 0, "give the id of a current document")
        counts = Counter(w for w in ANALYZERS["exact"].analyze(f"{rec.title}\n{rec.text}") if len(w) > 3
                         and w.isalpha())
        weight: dict[str, float] = {}
        for w, c in counts.items():
            st = stem(w)[0]
            weight[st] = max(weight.get(st, 0.0), c * self.forms.idf("text", st))
        top = sorted(weight, key=lambda st: -weight[st])[:SIMILAR_WORDS]
        subs = [(Occur.Should, self.forms.term(f, st)) for st in top for f, _b in self._fields(None)]
        own = tantivy.Query.term_query(self.schema, "doc", key)
        return tantivy.Query.boolean_query([*subs, (Occur.MustNot, own)])

    def _fields(self, fld: str | None) -> list[tuple[str, float]]:
        if fld is None:
            base = [("heading", HEADING_BOOST), ("text", 1.0)]
            return ([("title", TITLE_BOOST)] if self.level == "document" else []) + base
        if fld == "text":
            return [("heading", HEADING_BOOST), ("text", 1.0)]
        return [(fld, 1.0)]  # title, person, place, org

    def _word(self, w: Word) -> tantivy.Query:
        if not (w.prefix or w.exact):
            return self._text(w.field, w.text, 0, phrase=False)
        # co-existence: as the index holds it (one word; =co-existence is the hyphenated spelling only)
        toks = ANALYZERS["exact"].analyze(query_form(w.text))
        if w.prefix:
            toks = [t.rstrip(MARK) for t in toks]
        if not toks:
            self.warnings.append(f"ignored {w.text!r}: no searchable characters")
            return tantivy.Query.empty_query()
        prefix = w.prefix
        if prefix and len(toks[-1]) < MIN_PREFIX:
            self.warnings.append(f"{w.text}* is too short a prefix; searched {w.text} as a word")
            prefix = False
        subs = []
        for field, boost in self._fields(w.field):
            if field in PROSE:
                ftoks = toks
            else:  # entity fields hold stems; a prefix there runs over stems
                ftoks = toks if prefix else ANALYZERS["en"].analyze(w.text)
            qs = [tantivy.Query.term_query(self.schema, field, t) for t in ftoks[:-1]]
            if prefix:
                qs.append(tantivy.Query.regex_query(self.schema, field, _regex_escape(ftoks[-1]) + ".*"))
            else:
                qs.append(tantivy.Query.term_query(self.schema, field, ftoks[-1]))
            q = qs[0] if len(qs) == 1 else tantivy.Query.boolean_query([(Occur.Must, x) for x in qs])
            subs.append(q if boost == 1.0 else tantivy.Query.boost_query(q, boost))
        return subs[0] if len(subs) == 1 else tantivy.Query.boolean_query([(Occur.Should, q) for q in subs])

    def _text(self, fld: str | None, text: str, slop: int, phrase: bool) -> tantivy.Query:
        if fld in ENTITY_TYPES:
            # "Soviet Union" names the entity labelled "USSR": search the label too (the registered name lists).
            others = [lab for lab in name_labels(fld, text) if lab.lower() != text.lower()]
            if others:
                qs = [self._text_one(fld, t, slop, phrase) for t in [text, *others]]
                return tantivy.Query.boolean_query([(Occur.Should, q) for q in qs])
        return self._text_one(fld, text, slop, phrase)

    def _text_one(self, fld: str | None, text: str, slop: int, phrase: bool) -> tantivy.Query:
        toks = ANALYZERS["en"].analyze(query_form(text).replace(MARK, ""))  # either spelling of a compound
        if not toks:
            self.warnings.append(f"ignored {text!r}: no searchable characters")
            return tantivy.Query.empty_query()
        if self.level == "paragraph" and fld == "title" and len(toks) > 1:
            # Paragraph entries keep the document title without positions: its words, all of them.
            return tantivy.Query.boolean_query([(Occur.Must, self.forms.term("title", t)) for t in toks])
        subs = []
        for field, boost in self._fields(fld):
            if field in PROSE:
                q = self.forms.term(field, toks[0]) if len(toks) == 1 else self.forms.phrase(field, toks, slop)
            else:  # entity names: stems of the words as written
                etoks = ANALYZERS["en"].analyze(text)
                if len(etoks) == 1:
                    q = tantivy.Query.term_query(self.schema, field, etoks[0])
                else:
                    q = tantivy.Query.phrase_query(self.schema, field, etoks, slop)
            subs.append(q if boost == 1.0 else tantivy.Query.boost_query(q, boost))
        return subs[0] if len(subs) == 1 else tantivy.Query.boolean_query([(Occur.Should, q) for q in subs])

    def _value(self, v: Value) -> tantivy.Query:
        key = fold(v.value)
        if v.field in ("collection", "classification", "type", "lang"):
            return tantivy.Query.term_query(self.schema, f"k_{v.field}", key)
        return tantivy.Query.term_query(self.schema, f"meta.{v.field}", key)

    def _dates(self, r: DateRange) -> tantivy.Query:
        clauses = []
        if r.end is not None:  # starts on or before the range's end
            hi = int(r.end.replace("-", ""))
            clauses.append(tantivy.Query.range_query(self.schema, "date_lo", tantivy.FieldType.Integer, None, hi))
        if r.start is not None:  # ends on or after the range's start
            lo = int(r.start.replace("-", ""))
            clauses.append(tantivy.Query.range_query(self.schema, "date_hi", tantivy.FieldType.Integer, lo, None))
        return tantivy.Query.boolean_query([(Occur.Must, q) for q in clauses])


def name_labels(type_: str, text: str) -> list[str]:
    """The labels every registered name list (`despatch.name_variants`) gives for `text` as a `type_`."""
    out: set[str] = set()
    for names in _name_lists(plugins.components("name_variants")):
        out.update(names(type_, text))
    return sorted(out)


@cache
def _name_lists(components: tuple[plugins.Component, ...]) -> list[Callable[[str, str], list[str]]]:
    return [plugins.factory(c.kind, c.name)() for c in components]


def _regex_escape(s: str) -> str:
    return "".join("\\" + c if c in r".^$*+?()[]{}|\-&~#<>\"@" else c for c in s)


def _has_words(node: Node) -> bool:
    return bool(node.terms()) or any(isinstance(n, (Word, Phrase)) for n in _walk(node))


def _walk(node: Node):  # type: ignore[no-untyped-def]
    yield node
    if isinstance(node, (And, Or)):
        for i in node.items:
            yield from _walk(i)
    elif isinstance(node, Not):
        yield from _walk(node.item)


def filter_strings(filters: Any) -> list[str]:
    """filters as given (list of "field:value", or {field: value | [values]}) → filter strings."""
    if not filters:
        return []
    if isinstance(filters, str):
        return [filters]
    if isinstance(filters, dict):
        out = []
        for k, v in filters.items():
            for x in v if isinstance(v, (list, tuple)) else [v]:
                x = str(x)
                out.append(f'{k}:"{x}"' if " " in x else f"{k}:{x}")
        return out
    return [str(f) for f in filters]


def sort_options(query: str, sort: str, by: str, page: int, per_page: int) -> tuple[int, int, int]:
    """Checked `page`, `per_page` and the offset they make; a QueryError for a value out of range."""
    if by not in BY:
        raise QueryError(f"by must be one of {', '.join(BY)}, not {by!r}", 0, "use document or paragraph", query)
    if sort not in SORTS:
        raise QueryError(
            f"sort must be one of {', '.join(SORTS)}, not {sort!r}", 0, "use relevance, date or -date", query
        )
    page, per_page = max(1, int(page)), max(1, min(int(per_page), MAX_PER_PAGE))
    offset = (page - 1) * per_page
    if offset > MAX_OFFSET:
        raise QueryError(f"page {page} is too deep (more than {MAX_OFFSET} hits)", 0, "narrow the query", query)
    return page, per_page, offset


def facet_names(facets: Any, query: str) -> list[str]:
    """The facets asked for (None: the default ones), each checked: a QueryError names an unknown one."""
    names = DEFAULT_FACETS if facets is None else [facets] if isinstance(facets, str) else list(facets)
    unknown = [n for n in names if n not in FACETS]
    if unknown:
        raise QueryError(f"unknown facet {unknown[0]!r}", 0, f"facets: {', '.join(FACETS)}", query)
    return list(names)


def search(
    index: SearchIndex,
    query: str,
    filters: Any = None,
    facets: Any = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    by: str = "document",
    snippets: bool = True,
) -> SearchResult:
    t0 = time.perf_counter()
    page, per_page, offset = sort_options(query, sort, by, page, per_page)

    lag_before = index.pending()
    if lag_before:
        index.sync()
    lag = index.pending() if lag_before else 0

    meta_keys = index.meta_keys
    parsed: Parsed = parse(query, meta_keys=meta_keys)
    given_filters = filter_strings(filters)
    filter_nodes = [parse_filter(f, meta_keys) for f in given_filters]
    tree: Node = parsed.tree
    full = And([tree, *filter_nodes]) if filter_nodes else tree

    searcher = index.indexes[by].searcher()
    comp = Compiler(index.schemas[by], by, index.forms(by, searcher), index.feed)
    q = comp.compile(full)

    effective_sort = sort
    if sort == "relevance" and not _has_words(tree):
        effective_sort = "date"  # nothing to rank by: oldest first
    if effective_sort == "relevance":
        weight = "prior" if by == "document" else None
        res = searcher.search(q, limit=per_page, offset=offset, count=True, weight_by_field=weight)
    else:
        res = searcher.search(
            q,
            limit=per_page,
            offset=offset,
            count=True,
            order_by_field="sort_asc" if effective_sort == "date" else "sort_desc",
            order=tantivy.Order.Asc if effective_sort == "date" else tantivy.Order.Desc,
        )
    total = int(res.count or 0)
    addrs = [a for _, a in res.hits]
    scores = [float(s) if effective_sort == "relevance" else None for s, _ in res.hits]

    result = SearchResult(
        query=query,
        parsed=str(parsed.tree),
        by=by,
        sort=effective_sort,
        total=total,
        page=page,
        per_page=per_page,
        filters=given_filters,
        warnings=parsed.warnings + comp.warnings,
        index={"engine": "tantivy", "watermark": index.watermark, "lag": lag},
    )
    if lag:
        result.warnings.append(
            f"the search index is {lag} change(s) behind the archive (another process is writing); "
            "hits are checked against the archive; run `despatch reindex` if this persists"
        )
    result.hits = hydrate(index, searcher, by, addrs, scores, offset, parsed.tree, snippets)
    names = facet_names(facets, query)
    if names and total:
        result.facets = count_facets(searcher, q, names, total, given_filters, by, index.facet_fields)
    result.took_ms = round((time.perf_counter() - t0) * 1000, 2)
    return result


def hydrate(
    index: SearchIndex,
    searcher: tantivy.Searcher,
    by: str,
    addrs: list[Any],
    scores: list[float | None],
    offset: int,
    tree: Node,
    with_snippets: bool,
) -> list[Hit]:
    if not addrs:
        return []
    docs = searcher.fast_field_values("doc", addrs)
    if by == "paragraph":
        pstart = searcher.fast_field_values("pstart", addrs)
        pend = searcher.fast_field_values("pend", addrs)
        pnum = searcher.fast_field_values("pnum", addrs)
        ptype = searcher.fast_field_values("ptype", addrs)
    records = index.feed.hit_records(sorted(set(docs)))
    matcher = Matcher(tree) if with_snippets else None
    hits: list[Hit] = []
    keys: list[int] = []
    for i, key in enumerate(docs):
        r = records.get(key)
        if r is None:  # no longer current in the store (index behind): never show it
            continue
        hit = Hit(
            rank=offset + i + 1,
            id=r.id,
            version=r.version,
            collection=r.collection,
            title=r.title,
            date=r.date_text or r.date_start,
            date_start=r.date_start,
            date_end=r.date_end,
            date_precision=r.date_precision,
            doc_type=r.doc_type,
            language=r.language,
            classification=r.classification,
            score=round(scores[i], 4) if scores[i] is not None else None,
            matches=0,
            metadata=r.metadata,
        )
        if by == "paragraph":
            hit.paragraph = Paragraph(int(pnum[i]), int(pstart[i]), int(pend[i]), PARA_TYPES[int(ptype[i])])
        hits.append(hit)
        keys.append(key)
    if matcher is not None and matcher.active:
        wanted = [(k, h.paragraph.start, h.paragraph.end) if h.paragraph is not None else (k, 0, None)
                  for k, h in zip(keys, hits, strict=True)]
        for hit, text in zip(hits, index.feed.text_slices(wanted), strict=True):
            if hit.paragraph is not None:
                hit.snippets, hit.matches = matcher.snippets(text or "", base=hit.paragraph.start, whole=True)
            else:
                hit.snippets, hit.matches = matcher.snippets(text or "")
    return hits


def matching_ids(index: SearchIndex, query: str, filters: Any = None, chunk: int = 500) -> Iterator[str]:
    """The ids of all current documents matching a query, in the store's key order, with no offset limit.

    The same parser and compiler as `search()` on the same index (brought up to date first), so the
    selection is exactly what `despatch search` finds; each chunk asks for matches with a key above the
    last one seen (keyset paging), so memory and time do not grow with the depth.
    """
    if index.pending():
        index.sync()
    meta_keys = index.meta_keys
    parsed = parse(query, meta_keys=meta_keys)
    nodes = [parse_filter(f, meta_keys) for f in filter_strings(filters)]
    tree = And([parsed.tree, *nodes]) if nodes else parsed.tree
    schema = index.schemas["document"]
    searcher = index.indexes["document"].searcher()
    q = Compiler(schema, "document", index.forms("document", searcher)).compile(tree)
    last: int | None = None
    while True:
        if last is None:
            qi = q
        else:
            after = tantivy.Query.range_query(schema, "rowid", tantivy.FieldType.Integer, last, None,
                                              include_lower=False)
            qi = tantivy.Query.boolean_query([(Occur.Must, q), (Occur.Must, after)])
        res = searcher.search(qi, limit=chunk, order_by_field="rowid", order=tantivy.Order.Asc)
        addrs = [a for _, a in res.hits]
        if not addrs:
            return
        keys = sorted(searcher.fast_field_values("rowid", addrs))
        records = index.feed.hit_records(keys)
        for k in keys:
            if k in records:  # the index may lag behind a concurrent writer: only current documents
                yield records[k].id
        last = keys[-1]
        if len(addrs) < chunk:
            return
