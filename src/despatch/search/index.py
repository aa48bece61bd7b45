"""The derived full-text index: two tantivy indexes (documents, paragraphs) beside the archive file.

Why tantivy and not FTS5: at 1.55 million paragraphs FTS5 needs >100 ms for a common word ranked by
BM25 and cannot count facets over a million hits in time; tantivy answers top-k with block-max WAND
and counts facets from columnar fast fields. The archive stays the one source of truth:

* every change to a current document appends to the store's change feed inside the store's own
  transaction (`despatch.feed`; for SQLite a log row in the same commit as the document);
* the index records, in `watermark.json`, the last change it has applied, written only after both
  tantivy indexes committed; replaying a change is idempotent (delete the document's entries, add them
  again from the feed's `index_records`), so a crash anywhere leaves at worst changes to replay;
* before every search the index applies pending changes (`sync`); if it cannot (read-only archive,
  another process writing), hits are still checked against the store, so a document that is no longer
  current is never shown, and the result says how far behind the index is;
* `despatch reindex` rebuilds both indexes from the store alone.

The index reads the store only through `despatch.feed.ChangeFeed`: no connection, no table, no SQL.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tantivy

from ..annotation_types import ENTITY_TYPES
from ..errors import ReadOnlyArchive, SearchIndexMissing
from ..feed import PARAGRAPH_TYPES, ChangeFeed, IndexRecord, mismatch, paragraph_units, position  # noqa: F401 - paragraph_units re-exported
from .analyzers import ANALYZERS
from .compounds import joined
from .forms import Forms

log = logging.getLogger(__name__)

INDEX_VERSION = 6  # 5: redaction facets; 6: hyphenated compounds joined (compounds.py)
PARA_TYPES = PARAGRAPH_TYPES
PARA_SHIFT = 20  # paragraph key = document key << 20 | paragraph number
UNDATED_ASC = 99_999_999
KEYWORDS = ("collection", "classification", "type", "lang", "country", "redacted", "exemptions")
# Metadata keys indexed as facet columns (set by despatch.enrich.redactions.summarise); lists give a value each.
META_FACETS = ("country", "redacted", "exemptions")
ENTITIES = ENTITY_TYPES
# The indexing memory of both tantivy writers together, in MB (docs/scale.md): each writer buffers its new
# segment in a heap of half this and writes it out when full, so the index build's memory stays flat
# however large the archive; more memory means fewer, larger segments and less merging.
MEMORY_ENV = "DESPATCH_INDEX_MEMORY_MB"
DEFAULT_MEMORY_MB = 192
MIN_WRITER_BYTES = 15_000_000  # tantivy refuses a smaller writer heap


def _schema(level: str) -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    # Signed: tantivy-py's delete_documents_by_term only matches i64 terms.
    # "rowid": the feed's document key (document level) or the paragraph key; "doc": the document key.
    sb.add_integer_field("rowid", indexed=True, fast=True)
    sb.add_integer_field("doc", indexed=True, fast=True)
    # Prose fields hold words as written (folded), not stems: see forms.py for how `word` finds them all.
    sb.add_text_field("title", tokenizer_name="exact", index_option="position" if level == "document" else "freq")
    sb.add_text_field("heading", tokenizer_name="exact")
    sb.add_text_field("text", tokenizer_name="exact")
    for e in ENTITIES:
        sb.add_text_field(e, tokenizer_name="en")
        sb.add_text_field(f"f_{e}", tokenizer_name="raw", fast=True, index_option="basic")
    for k in KEYWORDS:
        sb.add_text_field(f"k_{k}", tokenizer_name="kw", index_option="basic")
        sb.add_text_field(f"f_{k}", tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_json_field("meta", tokenizer_name="kw", index_option="basic")
    for n in ("date_lo", "date_hi", "year", "sort_asc", "sort_desc"):
        sb.add_integer_field(n, indexed=True, fast=True)
    sb.add_float_field("prior", fast=True)
    if level == "paragraph":
        for n in ("pstart", "pend", "pnum", "ptype"):
            sb.add_integer_field(n, fast=True)
    return sb.build()


def _day(iso: str | None, end: bool = False) -> int | None:
    """An ISO date (or its year/month prefix) as yyyymmdd; a partial `end` runs to the period's last day."""
    if not iso or len(iso) < 4 or not iso[:4].isdigit():
        return None
    parts = iso[:10].split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 and parts[1] else (12 if end else 1)
        if len(parts) > 2 and parts[2]:
            d = int(parts[2])
        elif end:
            d = (
                29
                if m == 2 and (y % 4 == 0 and y % 100 != 0 or y % 400 == 0)
                else 28
                if m == 2
                else 30
                if m in (4, 6, 9, 11)
                else 31
            )
        else:
            d = 1
    except ValueError:
        return None
    return y * 10000 + m * 100 + d


class _Common:
    """The fields a document and each of its paragraphs share, worked out once per document."""

    __slots__ = ("texts", "meta", "ints", "_lo")

    def __init__(self, d: IndexRecord) -> None:
        kw = {
            "collection": d.collection,
            "classification": d.classification,
            "type": d.doc_type,
            "lang": d.language,
            **{k: d.metadata.get(k) for k in META_FACETS},
        }
        self.texts: list[tuple[str, str]] = []
        for k, v in kw.items():
            for x in v if isinstance(v, list) else [v]:
                if x is not None and str(x) != "":
                    self.texts += [(f"k_{k}", str(x)), (f"f_{k}", str(x))]
        meta = {}
        for k, v in d.metadata.items():
            mv = _meta_value(v)
            if mv is not None:
                meta[str(k)] = mv
        self.meta = meta or None
        lo, hi = _day(d.date_start), _day(d.date_end or d.date_start, end=True)
        self.ints: list[tuple[str, int]] = []
        if lo is not None:
            self.ints = [("date_lo", lo), ("date_hi", hi if hi is not None else lo), ("year", lo // 10000)]
        self._lo = lo

    def add(self, doc: tantivy.Document, rowid_sort: int, ents: Iterable[tuple[str, int, int, str]]) -> None:
        for f, v in self.texts:
            doc.add_text(f, v)
        if self.meta:
            doc.add_json("meta", self.meta)
        seen: set[tuple[str, str]] = set()
        for t, _s, _e, name in ents:
            doc.add_text(t, name)
            if (t, name) not in seen:
                seen.add((t, name))
                doc.add_text(f"f_{t}", name)
        for f, n in self.ints:
            doc.add_integer(f, n)
        lo = self._lo
        doc.add_integer("sort_asc", (lo if lo is not None else UNDATED_ASC) * 10**10 + rowid_sort)
        doc.add_integer("sort_desc", (lo if lo is not None else 0) * 10**10 + rowid_sort)


def length_prior(chars: int) -> float:
    """A mild document-length prior for document-level ranking.

    BM25 saturates term frequency and normalises by length, so in a collection mixing one-line
    telegrams with 100-page reports a long document devoted to a subject loses to any short one that
    names it. tantivy multiplies the score by log2(2 + prior): here 1.0 for an empty text up to
    log2(2.4) = 1.26 for texts of 80,000 characters and more.
    """
    return min(0.4, chars / 200_000)


def facet_fields(d: IndexRecord) -> set[str]:
    """The facet columns this document gives a value (a facet no document ever filled is not counted)."""
    out = {"year"} if _day(d.date_start) is not None else set()
    for k, v in (
        ("collection", d.collection),
        ("classification", d.classification),
        ("type", d.doc_type),
        ("lang", d.language),
        *((k, d.metadata.get(k)) for k in META_FACETS),
    ):
        if v is not None and str(v) != "":
            out.add(f"f_{k}")
    out.update(f"f_{t}" for t, *_ in d.entities)
    return out


def _meta_value(v: Any) -> Any:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (str, int, float)):
        return str(v)
    if isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v):
        return [str(x) for x in v]
    return None


def doc_entry(d: IndexRecord, common: _Common | None = None) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("rowid", d.key)
    doc.add_integer("doc", d.key)
    _add_prose(doc, "title", d.title)
    headings = [d.text[s:e] for t, s, e in d.structure if t == "heading"]
    if headings:
        _add_prose(doc, "heading", "\n".join(headings))
    _add_prose(doc, "text", d.text)
    doc.add_float("prior", length_prior(len(d.text)))
    (common or _Common(d)).add(doc, d.key, d.entities)
    return doc


def _add_prose(doc: tantivy.Document, field: str, text: str) -> None:
    """A prose field with hyphenated compounds as one word, and each compound's parts as a value of its own
    (so `Soviet` finds `Sino-Soviet`, while the running text holds `sinosovietǂ` for phrases)."""
    body, parts = joined(text)
    doc.add_text(field, body)
    for p in parts:  # one value each: a phrase never runs from one compound into the next
        doc.add_text(field, p)


PTYPE = {t: i for i, t in enumerate(PARA_TYPES)}


def para_entries(d: IndexRecord, common: _Common | None = None) -> Iterator[tantivy.Document]:
    common = common or _Common(d)
    ents = sorted(d.entities, key=lambda x: x[1])
    starts = [x[1] for x in ents]
    longest = max((x[2] - x[1] for x in ents), default=0)
    for n, (s, e, t) in enumerate(d.paragraphs(), start=1):
        key = (d.key << PARA_SHIFT) | n
        doc = tantivy.Document()
        doc.add_integer("rowid", key)
        doc.add_integer("doc", d.key)
        _add_prose(doc, "title", d.title)
        body = d.text[s:e]
        if t == "heading":
            _add_prose(doc, "heading", body)
        _add_prose(doc, "text", body)
        for k, v in (("pstart", s), ("pend", e), ("pnum", n), ("ptype", PTYPE[t])):
            doc.add_integer(k, v)
        # entities overlapping [s, e): those starting before e, found by bisection, that end after s
        lo, hi = bisect_left(starts, s - longest), bisect_left(starts, e)
        common.add(doc, key, [x for x in ents[lo:hi] if x[2] > s])
        yield doc


def writer_heap() -> int:
    """Bytes of heap for each of the two writers: half of `DESPATCH_INDEX_MEMORY_MB` (default 192).

    A value that is not a number falls back to the default with a warning, and one too small is raised
    to tantivy's minimum: tantivy's refusal would otherwise read, to `sync`, as another process holding
    the writer, and the index would silently stop following the store."""
    raw = os.environ.get(MEMORY_ENV, "").strip()
    mb = DEFAULT_MEMORY_MB
    if raw:
        try:
            mb = float(raw)
        except ValueError:
            log.warning("despatch: %s=%r is not a number of MB; using %d", MEMORY_ENV, raw, DEFAULT_MEMORY_MB)
    return max(MIN_WRITER_BYTES, int(mb * 1_000_000) // 2)


class SearchIndex:
    """Both tantivy indexes of one archive, and the watermark that ties them to the store's change feed."""

    ENTITY_TYPES = ENTITIES

    def __init__(self, directory: Path, feed: ChangeFeed, readonly: bool = False) -> None:
        self.dir = Path(directory)
        self.feed = feed
        self.readonly = readonly
        self.schemas = {lvl: _schema(lvl) for lvl in ("document", "paragraph")}
        self.indexes: dict[str, tantivy.Index] = {}
        self._forms_cache: dict[str, dict[Any, Any]] = {}
        self._forms_seq = -1
        self.state = self._read_state()
        if self.state.get("version") != INDEX_VERSION:
            if readonly:
                raise SearchIndexMissing(f"no search index at {self.dir}; run `despatch reindex`")
            self._reset()
        elif why := mismatch(feed, self.state, self.watermark):
            if readonly:
                raise SearchIndexMissing(f"the search index at {self.dir} {why}; run `despatch reindex`")
            log.warning("despatch: the search index at %s %s: rebuilding it from the archive", self.dir, why)
            self._reset()
        self._open()

    # -- state -------------------------------------------------------------------------------------
    def _read_state(self) -> dict[str, Any]:
        try:
            return json.loads((self.dir / "watermark.json").read_text())
        except (OSError, ValueError):
            return {}

    def _write_state(self) -> None:
        tmp = self.dir / "watermark.json.tmp"
        tmp.write_text(json.dumps(self.state, sort_keys=True))
        os.replace(tmp, self.dir / "watermark.json")

    def _reset(self) -> None:
        if self.dir.exists():
            shutil.rmtree(self.dir)
        for lvl in self.schemas:
            (self.dir / lvl).mkdir(parents=True)
        self.state = {"version": INDEX_VERSION, "meta_keys": [], **position(self.feed, 0)}
        self._write_state()

    def _open(self) -> None:
        for lvl, schema in self.schemas.items():
            ix = tantivy.Index(schema, path=str(self.dir / lvl), reuse=True)
            for name, analyzer in ANALYZERS.items():
                ix.register_tokenizer(name, analyzer)
            self.indexes[lvl] = ix

    @property
    def watermark(self) -> int:
        return int(self.state.get("seq", 0))

    @property
    def facet_fields(self) -> set[str] | None:
        """Facet columns some indexed document has filled (None: not recorded, count them all)."""
        ff = self.state.get("facet_fields")
        return None if ff is None else set(ff)

    @property
    def meta_keys(self) -> set[str]:
        return set(self.state.get("meta_keys", []))

    def pending(self) -> int:
        """Changes of the store this index has not applied yet."""
        return self.feed.count_changes_since(self.watermark)

    # -- writing -----------------------------------------------------------------------------------
    def sync(self) -> int:
        """Apply the store's pending changes; returns how many documents were (re)indexed or removed."""
        fresh = self._read_state()  # another process may have synced meanwhile: see its commits
        if fresh.get("version") == INDEX_VERSION and int(fresh.get("seq", 0)) > self.watermark:
            self.state = fresh
            for ix in self.indexes.values():
                ix.reload()
        if self.readonly:
            return 0
        try:
            writers = self._writers()
        except ValueError:
            return 0  # another process holds the writer; search goes on, checked against the store
        top, n = self._apply(writers, self.watermark)
        if top is None:
            return 0
        self._commit(writers, top)
        return n

    def follow(self, stop: Any, commit_every: float = 20.0) -> None:
        """Index the store's changes as they are committed, until `stop` (an Event) is set.

        One pair of writers stays open throughout and commits every `commit_every` seconds rather than
        after every batch: each commit writes segments that tantivy merges later. The watermark moves
        only with a commit, so a search meanwhile sees the index as of the last one (and says so).
        """
        while True:
            try:
                writers = self._writers()
                break
            except ValueError:  # another process is writing the index: wait for it
                if stop.wait(1.0):
                    return
        applied, committed_at = self.watermark, time.monotonic()
        while True:
            stopping = stop.wait(1.0)
            top, _ = self._apply(writers, applied)
            applied = top if top is not None else applied
            if applied > self.watermark and (stopping or time.monotonic() - committed_at >= commit_every):
                self._commit(writers, applied, final=stopping)
                committed_at = time.monotonic()
            if stopping:
                return

    def _writers(self) -> dict[str, Any]:
        heap = writer_heap()
        return {lvl: ix.writer(heap, 1) for lvl, ix in self.indexes.items()}

    def _apply(self, writers: dict[str, Any], after: int) -> tuple[int | None, int]:
        """Re-index the documents of changes after `after`: (the last change applied or None, documents)."""
        changes = self.feed.changes_since(after)
        if not changes:
            return None, 0
        touched = sorted({c.key for c in changes})
        for lvl, w in writers.items():
            field = "rowid" if lvl == "document" else "doc"
            for key in touched:
                w.delete_documents_by_term(field, key)
        self._add(writers, self.feed.index_records(touched, self.ENTITY_TYPES))
        return changes[-1].seq, len(touched)

    def rebuild(self) -> int:
        """Rebuild both indexes from the store alone (`despatch reindex`).

        The newest change is read before the current keys: a document that changes meanwhile is then
        both (maybe) indexed here and replayed by the next sync, which is harmless; the other order
        could miss it.
        """
        if self.readonly:
            raise ReadOnlyArchive("the archive is open read-only")
        top = self.feed.last_change()
        keys = self.feed.current_keys()
        self._reset()
        self._open()
        writers = self._writers()
        self.state["meta_keys"] = []
        self.state["facet_fields"] = []
        n = self._add(writers, self.feed.index_records(keys, self.ENTITY_TYPES))
        self._commit(writers, top)
        return n

    def _add(self, writers: dict[str, Any], docs: Iterable[IndexRecord]) -> int:
        keys = set(self.state.get("meta_keys", []))
        present = set(self.state.get("facet_fields", []))
        n = 0
        for d in docs:
            common = _Common(d)
            writers["document"].add_document(doc_entry(d, common))
            for p in para_entries(d, common):
                writers["paragraph"].add_document(p)
            keys.update(str(k).lower() for k in d.metadata)
            present.update(facet_fields(d))
            n += 1
        self.state["meta_keys"] = sorted(keys)
        self.state["facet_fields"] = sorted(present)
        return n

    def _commit(self, writers: dict[str, Any], top: int, final: bool = True) -> None:
        for w in writers.values():
            w.commit()
        if final:  # a writer that has waited for its merges is spent
            for w in writers.values():
                w.wait_merging_threads()
        self.state.update(position(self.feed, top))
        self._write_state()
        for ix in self.indexes.values():
            ix.reload()

    def forms(self, level: str, searcher: tantivy.Searcher) -> Forms:
        """Query-time word forms for one level (forms.py), cached while the index is unchanged."""
        if self._forms_seq != self.watermark:
            self._forms_cache = {lvl: {} for lvl in self.schemas}
            self._forms_seq = self.watermark
        return Forms(searcher, self.schemas[level], self._forms_cache[level])

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.dir.rglob("*") if f.is_file())
