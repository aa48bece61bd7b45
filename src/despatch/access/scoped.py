"""One reader's view of an archive: the same `Archive` interface, with every collection the reader may
not read taken out of it — documents, versions, sources, neighbours, lists, statistics, search hits,
totals, facet counts, snippets, similar documents (by words and by meaning), entity records and
mentions, analysis and exports — so that every library function the reading room, the API and the MCP
server call, given this view, cannot show them.

Search adds an exclusion filter per hidden collection (so totals and facets never count them) and reads
hits through this view's change feed, which answers for visible documents only (so `similar:ID` of a
hidden document is "no such document", and no hit, snippet or passage can come from one). A hidden
document is answered exactly as a missing one. The view cannot change documents; account records pass
through (the access rules in `despatch.access` decide who may change them).

`scoped(archive, reader)` returns the archive itself when nothing is hidden: an archive without
restricted collections behaves as it always has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..annotation_types import ENTITY_TYPES
from ..errors import ReadOnlyArchive
from ..feed import Change, HitRecord, IndexRecord
from ..model import Annotation, AuthorityEntry, Document
from ..search.counts import Counts, Match
from ..search.hybrid import Neighbours
from ..search.index import SearchIndex
from ..search.result import SearchResult
from ..store import Archive
from ..store.base import (
    AnnotationRow,
    AuditEntry,
    CollectionAccess,
    CurationOp,
    DocSummary,
    EntityMention,
    EntityRecord,
    Filters,
    PutResult,
    SessionRecord,
    StoredFile,
    TokenRecord,
    UserRecord,
    VersionInfo,
)
from .policy import Reader, hidden_collections, scope_key

BATCH = 500


def scoped(archive: Archive, reader: Reader, on: str | None = None) -> Archive:
    """`archive` as `reader` may see it on day `on` (today): itself when nothing is hidden from them."""
    hidden = hidden_collections(archive.collection_access(), reader, on)
    return ScopedArchive(archive, hidden) if hidden else archive


def _unscoped_filters(filters: Filters) -> list[str]:
    from ..search.engine import filter_strings

    return filter_strings(filters)


class _ScopedIndex:
    """The archive's search index, read through a scoped feed: the same tantivy index and caches; only
    what hits, snippets and `similar:` read from the store goes through the view."""

    def __init__(self, index: SearchIndex, feed: ScopedArchive) -> None:
        self._index, self.feed = index, feed

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


class ScopedArchive(Archive):
    """`inner` without the collections in `hidden` (see the module docstring)."""

    def __init__(self, inner: Archive, hidden: frozenset[str]) -> None:
        self.inner, self.hidden = inner, frozenset(hidden)
        self.readonly = True
        self.scope = scope_key(self.hidden)
        self._exclude = [f'-collection:"{c}"' for c in sorted(self.hidden)]

    # -- what is visible --------------------------------------------------------------------------
    def _visible(self, collection: str | None) -> bool:
        return collection is not None and collection not in self.hidden

    def _collection_of(self, doc_id: str, version: int | None = None) -> str | None:
        key = self.inner.current_key(doc_id)
        if key is not None:
            rec = self.inner.hit_records([key]).get(key)
            if rec is not None:
                return rec.collection
        doc = self.inner.get(doc_id, version) if version is not None else None
        if doc is None and version is None:
            versions = self.inner.versions(doc_id)
            doc = self.inner.get(doc_id, versions[-1].version) if versions else None
        return doc.collection if doc is not None else None

    def _doc_visible(self, doc_id: str, version: int | None = None) -> bool:
        return self._visible(self._collection_of(doc_id, version))

    def _refuse(self, *_: Any, **__: Any) -> Any:
        raise ReadOnlyArchive("a reader's view of the archive cannot change documents")

    # -- writing: not through a view ----------------------------------------------------------------
    def file_seen(self, sha256: str, collection: str, options_key: str) -> bool:
        return self.inner.file_seen(sha256, collection, options_key)

    def put(self, file: StoredFile, collection: str, docs: list[Document],
            authorities: Iterable[AuthorityEntry] = ()) -> PutResult:
        return self._refuse()

    def replace_annotations(self, doc_id: str, producers: Iterable[str], annotations: list[Annotation]) -> None:
        self._refuse()

    def import_authorities(self, collection: str, entries: Iterable[AuthorityEntry]) -> int:
        return self._refuse()

    def put_embeddings(self, model: str, keys: Sequence[int], rows: Sequence[tuple[int, int, int, int, bytes]]
                       ) -> None:
        self._refuse()

    def relink_entities(self, changes: dict[str, tuple[str, str | None]], collection: str | None = None) -> int:
        return self._refuse()

    def relink_mention(self, doc_id: str, start: int, end: int, new_id: str, label: str | None) -> int:
        return self._refuse()

    def delete_entity_mentions(self, surface: str, types: Iterable[str] = ENTITY_TYPES) -> int:
        return self._refuse()

    def put_entities(self, records: Iterable[EntityRecord]) -> int:
        return self._refuse()

    def add_curation(self, op: CurationOp) -> int:
        return self._refuse()

    def replace_curations(self, ops: Iterable[CurationOp]) -> int:
        return self._refuse()

    # -- reading documents ----------------------------------------------------------------------------
    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        doc = self.inner.get(doc_id, version)
        return doc if doc is not None and self._visible(doc.collection) else None

    def versions(self, doc_id: str) -> list[VersionInfo]:
        return self.inner.versions(doc_id) if self._doc_visible(doc_id) else []

    def source(self, doc_id: str, version: int | None = None) -> tuple[str, bytes] | None:
        return self.inner.source(doc_id, version) if self._doc_visible(doc_id, version) else None

    def list(self, collection: str | None = None, limit: int = 50, offset: int = 0) -> list[DocSummary]:
        if collection is not None:
            return self.inner.list(collection, limit, offset) if self._visible(collection) else []
        out: list[DocSummary] = []
        skip, at = offset, 0
        while len(out) < limit:
            page = self.inner.list(None, BATCH, at)
            if not page:
                break
            at += len(page)
            for d in page:
                if not self._visible(d.collection):
                    continue
                if skip:
                    skip -= 1
                elif len(out) < limit:
                    out.append(d)
        return out

    def iter_ids(self, collection: str | None = None) -> Iterator[str]:
        if collection is not None:
            if self._visible(collection):
                yield from self.inner.iter_ids(collection)
            return
        keys = self.inner.current_keys()
        for i in range(0, len(keys), BATCH):
            recs = self.inner.hit_records(keys[i : i + BATCH])
            for k in keys[i : i + BATCH]:
                r = recs.get(k)
                if r is not None and self._visible(r.collection):
                    yield r.id

    def iter_documents(self, collection: str | None = None, with_annotations: bool = True) -> Iterator[Document]:
        if collection is not None and not self._visible(collection):
            return
        for doc in self.inner.iter_documents(collection, with_annotations):
            if self._visible(doc.collection):
                yield doc

    def iter_annotations(self, types: Sequence[str], collection: str | None = None) -> Iterator[AnnotationRow]:
        if collection is not None and not self._visible(collection):
            return
        for row in self.inner.iter_annotations(types, collection):
            if self._visible(row.collection):
                yield row

    def iter_keyed(self, keys: Iterable[int], annotation_types: Iterable[str] | None = ()) -> Iterator[
            tuple[int, Document]]:
        for k, doc in self.inner.iter_keyed(keys, annotation_types):
            if self._visible(doc.collection):
                yield k, doc

    def neighbours(self, doc_id: str) -> tuple[str | None, str | None]:
        # neighbours lie in the document's own collection: visible when it is
        return self.inner.neighbours(doc_id) if self._doc_visible(doc_id) else (None, None)

    def collections(self) -> list[dict[str, Any]]:
        return [c for c in self.inner.collections() if self._visible(c["name"])]

    def stats(self, collection: str | None = None) -> dict[str, Any]:
        """Counts over the visible collections only; the archive-wide figures (files, their bytes, older
        versions, the archive's size) would count hidden ones too, so they are left out."""
        names = [collection] if collection is not None else [c["name"] for c in self.collections()]
        out: dict[str, Any] = {"archive": "", "documents": 0, "characters": 0, "dated": 0, "annotations": {},
                               "collections": []}
        for name in names:
            if not self._visible(name):
                continue
            st = self.inner.stats(name)
            for k in ("documents", "characters", "dated"):
                out[k] += st[k]
            for t, n in st["annotations"].items():
                out["annotations"][t] = out["annotations"].get(t, 0) + n
            out["collections"] += st["collections"]
        out["annotations"] = dict(sorted(out["annotations"].items()))
        return out

    def volume_stats(self, collection: str) -> list[dict[str, Any]]:
        return self.inner.volume_stats(collection) if self._visible(collection) else []

    def authorities(self, collection: str, kind: str | None = None) -> list[AuthorityEntry]:
        return self.inner.authorities(collection, kind) if self._visible(collection) else []

    def close(self) -> None:
        """The view owns nothing: its archive is closed by whoever opened it."""

    # -- the change feed, as search reads it through this view -----------------------------------------
    def last_change(self) -> int:
        return self.inner.last_change()

    def changes_since(self, seq: int) -> list[Change]:
        return self.inner.changes_since(seq)

    def count_changes_since(self, seq: int) -> int:
        return self.inner.count_changes_since(seq)

    def archive_id(self) -> str:
        return self.inner.archive_id()

    def change_mark(self, seq: int) -> str | None:
        return self.inner.change_mark(seq)

    def current_keys(self) -> list[int]:
        keys = self.inner.current_keys()
        out: list[int] = []
        for i in range(0, len(keys), BATCH):
            recs = self.inner.hit_records(keys[i : i + BATCH])
            out += [k for k in keys[i : i + BATCH] if k in recs and self._visible(recs[k].collection)]
        return out

    def current_key(self, doc_id: str) -> int | None:
        key = self.inner.current_key(doc_id)
        if key is None:
            return None
        rec = self.inner.hit_records([key]).get(key)
        return key if rec is not None and self._visible(rec.collection) else None

    def index_records(self, keys: Sequence[int], annotation_types: Iterable[str]) -> Iterator[IndexRecord]:
        for r in self.inner.index_records(keys, annotation_types):
            if self._visible(r.collection):
                yield r

    def hit_records(self, keys: Sequence[int]) -> dict[int, HitRecord]:
        return {k: r for k, r in self.inner.hit_records(keys).items() if self._visible(r.collection)}

    def text_slice(self, doc_id: str, version: int, start: int = 0, end: int | None = None) -> str | None:
        return self.inner.text_slice(doc_id, version, start, end) if self._doc_visible(doc_id, version) else None

    def text_slices(self, wanted: Sequence[tuple[int, int, int | None]]) -> list[str | None]:
        shown = self.hit_records(sorted({k for k, _, _ in wanted}))  # the visible ones: one statement, not two a hit
        texts = iter(self.inner.text_slices([w for w in wanted if w[0] in shown]))
        return [next(texts) if w[0] in shown else None for w in wanted]

    def keys_to_embed(self, model: str, collection: str | None = None) -> list[int]:
        return []

    def embeddings_since(self, model: str, seq: int, limit: int) -> list[tuple[int, int, int, bytes]]:
        return self.inner.embeddings_since(model, seq, limit)  # the shared vector index follows every row

    def embeddings_of(self, model: str, keys: Sequence[int]) -> dict[int, list[tuple[int, int, int, bytes]]]:
        shown = self.hit_records(keys)
        return self.inner.embeddings_of(model, [k for k in keys if k in shown])

    def embedding_stats(self) -> dict[str, dict[str, int]]:
        return self.inner.embedding_stats()

    def has_vectors(self) -> bool:
        return self.inner.has_vectors()

    # -- search: the archive's own index, with the hidden collections excluded ---------------------------
    def search_index_dir(self) -> Path:
        return self.inner.search_index_dir()

    @property
    def search_index(self) -> SearchIndex:
        return _ScopedIndex(self.inner.search_index, self)  # type: ignore[return-value]

    def sync_search(self) -> int:
        return self.inner.sync_search()

    def index_status(self) -> dict[str, Any]:
        return self.inner.index_status()  # how far the node's index is behind: counts of changes, no content

    def follow_search(self, stop: Any, commit_every: float = 1.0) -> None:
        self._refuse()

    def reindex(self) -> int:
        return self._refuse()

    def vector_index_dir(self) -> Path:
        return self.inner.vector_index_dir()

    def semantic_ready(self) -> bool:
        return self.inner.semantic_ready()

    def meaning(self) -> Neighbours:
        return self.inner.meaning()  # candidates from hidden documents fail the exclusion filter

    def cache_dir(self, name: str) -> Path | None:
        """A cache of its own per view (an analysis corpus of the visible documents only)."""
        return self.inner.cache_dir(f"{name}-{self.scope}")

    def _filters(self, filters: Filters) -> list[str]:
        return _unscoped_filters(filters) + self._exclude

    def search(self, query: str, filters: Filters = None, facets: str | Sequence[str] | None = None,
               sort: str = "relevance", page: int = 1, per_page: int = 20, by: str = "document",
               snippets: bool = True, mode: str = "auto") -> SearchResult:
        given = _unscoped_filters(filters)
        res = super().search(query, self._filters(filters), facets, sort, page, per_page, by, snippets, mode)
        res.filters = [f for f in res.filters if f not in self._exclude] if res.filters else given
        return res

    def search_ids(self, query: str, filters: Filters = None, chunk: int = 500) -> Iterator[str]:
        return super().search_ids(query, self._filters(filters), chunk)

    def count(self, query: str, filters: Filters = None, by: str = "document",
              groups: Sequence[str] = ("year",)) -> Counts:
        res = super().count(query, self._filters(filters), by, groups)
        res.filters = [f for f in res.filters if f not in self._exclude]
        return res

    def matches(self, query: str, filters: Filters = None, by: str = "paragraph") -> Iterator[Match]:
        return super().matches(query, self._filters(filters), by)

    def count_grid(self, query: str, filters: Filters = None, by: str = "document", period: str = "year",
                   split: str | None = None) -> Any:
        return super().count_grid(query, self._filters(filters), by, period, split)

    # -- entities: records and co-occurrence recounted over the visible mentions --------------------------
    def iter_entity_mentions(self, collection: str | None = None) -> Iterator[EntityMention]:
        if collection is not None and not self._visible(collection):
            return
        for m in self.inner.iter_entity_mentions(collection):
            if self._visible(m.collection):
                yield m

    def entity_mentions(self, entity_id: str, limit: int | None = None) -> list[EntityMention]:
        shown = [m for m in self.inner.entity_mentions(entity_id) if self._visible(m.collection)]
        return shown if limit is None else shown[:limit]

    def _rescoped(self, rec: EntityRecord | None) -> EntityRecord | None:
        """A record as the visible mentions make it: None when it has none."""
        if rec is None or not (set(rec.collections) & self.hidden):
            return rec
        mentions = self.entity_mentions(rec.id)
        if not mentions:
            return None
        variants: Counter[str] = Counter(" ".join(m.text.split()) for m in mentions)
        names: Counter[str] = Counter(str(m.value.get("name") or " ".join(m.text.split())) for m in mentions)
        docs: dict[str, str | None] = {}
        for m in mentions:
            docs.setdefault(m.doc_id, m.date)
        years = Counter(d[:4] for d in docs.values() if d and d[:4].isdigit())
        out = EntityRecord(**rec.to_dict())
        out.mentions, out.documents = len(mentions), len(docs)
        out.variants = dict(sorted(variants.items(), key=lambda kv: (-kv[1], kv[0])))
        out.years = dict(sorted(years.items()))
        out.collections = [c for c in rec.collections if self._visible(c)]
        if "curation" not in rec.sources and not rec.dates.get("offices") and rec.label not in names:
            out.label = names.most_common(1)[0][0]
        out.candidates = []  # other people of the surname: they may be known only from hidden documents
        return out

    def get_entity(self, entity_id: str) -> EntityRecord | None:
        return self._rescoped(self.inner.get_entity(entity_id))

    def iter_entities(self, type: str | None = None) -> Iterator[EntityRecord]:
        recs = [r for r in (self._rescoped(r) for r in self.inner.iter_entities(type)) if r is not None]
        recs.sort(key=lambda r: (-r.mentions, r.id))
        yield from recs

    def entity_cooccurrence(self, entity_id: str, limit: int = 30) -> list[tuple[str, int]]:
        docs = sorted({m.doc_id for m in self.entity_mentions(entity_id)})
        keys = [k for k in (self.inner.current_key(d) for d in docs) if k is not None]
        counts: Counter[str] = Counter()
        for _k, doc in self.iter_keyed(keys, ENTITY_TYPES):
            ids = {a.value["id"] for a in doc.annotations
                   if isinstance(a.value, dict) and a.value.get("id") and a.value["id"] != entity_id}
            counts.update(ids)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]

    def curations(self) -> list[CurationOp]:
        return []  # the curation layer names entities from every collection

    # -- accounts pass through: despatch.access decides who may change them --------------------------------
    def add_user(self, user: UserRecord) -> None:
        self.inner.add_user(user)

    def update_user(self, name: str, role: str | None = None, password_hash: str | None = None) -> bool:
        return self.inner.update_user(name, role, password_hash)

    def get_user(self, name: str) -> UserRecord | None:
        return self.inner.get_user(name)

    def users(self) -> list[UserRecord]:
        return self.inner.users()

    def remove_user(self, name: str) -> bool:
        return self.inner.remove_user(name)

    def add_token(self, token: TokenRecord) -> None:
        self.inner.add_token(token)

    def token_by_hash(self, token_hash: str) -> TokenRecord | None:
        return self.inner.token_by_hash(token_hash)

    def tokens(self, user: str | None = None) -> list[TokenRecord]:
        return self.inner.tokens(user)

    def revoke_token(self, token_id: str) -> bool:
        return self.inner.revoke_token(token_id)

    def add_session(self, session: SessionRecord) -> None:
        self.inner.add_session(session)

    def get_session(self, id_hash: str) -> SessionRecord | None:
        return self.inner.get_session(id_hash)

    def delete_sessions(self, id_hash: str | None = None, user: str | None = None,
                        expired_at: str | None = None) -> int:
        return self.inner.delete_sessions(id_hash, user, expired_at)

    def set_collection_access(self, access: CollectionAccess) -> None:
        self.inner.set_collection_access(access)

    def collection_access(self) -> list[CollectionAccess]:
        return self.inner.collection_access()

    def add_audit(self, entry: AuditEntry) -> int:
        return self.inner.add_audit(entry)

    def audit(self, action: str | None = None, who: str | None = None, since: str | None = None,
              limit: int = 100) -> list[AuditEntry]:
        return self.inner.audit(action, who, since, limit)
