"""The one storage interface every backend implements (SQLite now; PostgreSQL next).

Interfaces (CLI, web, API) and the ingest pipeline talk to an `Archive` only through these methods, so a
second backend is a second subclass, not a change elsewhere.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from ..annotation_types import ENTITY_TYPES
from ..model import Annotation, Document
from ..readers.base import AuthorityEntry


@dataclass
class StoredFile:
    """An ingested file: its original bytes are kept under their SHA-256."""

    path: str
    sha256: str
    size: int
    format: str
    data: bytes
    options_key: str = ""


@dataclass
class PutResult:
    added: int = 0  # documents new to the archive
    versioned: int = 0  # documents whose content changed: a new version, the old one kept
    unchanged: int = 0


@dataclass
class VersionInfo:
    id: str
    version: int
    current: bool
    sha256: str
    path: str
    ingested_at: str
    content_hash: str


@dataclass
class DocSummary:
    id: str
    collection: str
    title: str | None
    date: str | None
    doc_type: str | None
    classification: str | None
    version: int
    chars: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class EntityRecord:
    """One person, place or organisation of the archive (derived by `despatch.enrich.records`).

    `variants`: names as written → mentions; `dates`: life or office years an authority gives
    (`{"offices": [{"post", "country", "from", "to"}]}`); `sources`: where the entity comes from
    (authority list, gazetteer, statesmen list, patterns, curation); `external_ids`: identifiers an
    authority carries (a FRUS persons-list id); `dates.names`: a renamed city's names with their years;
    `ambiguous`: a surname the archive knows several people
    by, kept apart (`candidates` names them); `years`: documents per year.
    """

    id: str
    type: str
    label: str
    mentions: int = 0
    documents: int = 0
    variants: dict[str, int] = field(default_factory=dict)
    dates: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    external_ids: dict[str, str] = field(default_factory=dict)
    ambiguous: bool = False
    candidates: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    years: dict[str, int] = field(default_factory=dict)
    kind: str = ""  # a place's type (country, historical state, region, city, state) or "org"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class EntityMention:
    """An entity annotation of a current document, with what a record needs of its document."""

    doc_id: str
    collection: str
    date: str | None
    type: str
    start: int
    end: int
    text: str
    value: dict[str, Any]


@dataclass
class CurationOp:
    """One curation act (merge, split, rename, not-entity), kept with who did it and when."""

    action: str
    args: dict[str, Any]
    who: str
    at: str
    seq: int | None = None


class Archive(abc.ABC):
    """A Despatch archive: documents, their spans and annotations, original files, search index."""

    # -- writing ---------------------------------------------------------------------------------
    @abc.abstractmethod
    def file_seen(self, sha256: str, collection: str, options_key: str) -> bool:
        """True if this exact file was already ingested into the collection with the same options."""

    @abc.abstractmethod
    def put(
        self,
        file: StoredFile,
        collection: str,
        docs: list[Document],
        authorities: Iterable[AuthorityEntry] = (),
    ) -> PutResult:
        """Store a file, its documents (with spans, annotations and search entries) in one transaction."""

    @abc.abstractmethod
    def replace_annotations(self, doc_id: str, producers: Iterable[str], annotations: list[Annotation]) -> None:
        """Swap one document's annotations by the given producers for new ones (other producers kept)."""

    # -- reading ---------------------------------------------------------------------------------
    @abc.abstractmethod
    def get(self, doc_id: str, version: int | None = None) -> Document | None: ...

    @abc.abstractmethod
    def versions(self, doc_id: str) -> list[VersionInfo]: ...

    @abc.abstractmethod
    def source(self, doc_id: str, version: int | None = None) -> tuple[str, bytes] | None:
        """(original file path, original bytes) of the file a document came from."""

    @abc.abstractmethod
    def list(self, collection: str | None = None, limit: int = 50, offset: int = 0) -> list[DocSummary]: ...

    @abc.abstractmethod
    def iter_documents(self, collection: str | None = None, with_annotations: bool = True) -> Iterator[Document]:
        """Every current document, streamed in a stable order."""

    @abc.abstractmethod
    def collections(self) -> list[dict[str, Any]]: ...

    @abc.abstractmethod
    def stats(self, collection: str | None = None) -> dict[str, Any]: ...

    @abc.abstractmethod
    def authorities(self, collection: str, kind: str | None = None) -> list[AuthorityEntry]: ...

    @abc.abstractmethod
    def import_authorities(self, collection: str, entries: Iterable[AuthorityEntry]) -> int: ...

    def background_indexing(self) -> AbstractContextManager[None]:
        """While a long ingest writes, keep the search index catching up alongside (default: nothing;
        the index catches up when the archive closes or at the next search)."""
        return nullcontext()

    def neighbours(self, doc_id: str) -> tuple[str | None, str | None]:
        """The previous and next current documents in the same collection, by date then id."""
        return (None, None)

    # -- search ----------------------------------------------------------------------------------
    @abc.abstractmethod
    def search(self, query: str, **kwargs: Any) -> Any:
        """Full-text search; see `despatch.search` for the query language and the result object."""

    @abc.abstractmethod
    def count(self, query: str, filters: Any = None, by: str = "document", groups: Any = ("year",)) -> Any:
        """Documents (or paragraphs) matching a query, in total and per value of up to two groups
        (year, month, decade, or a facet such as country): a `despatch.search.counts.Counts`."""

    @abc.abstractmethod
    def matches(self, query: str, filters: Any = None, by: str = "paragraph") -> Iterator[Any]:
        """Every unit matching a query, oldest first, streamed in constant memory
        (`despatch.search.counts.Match`: the document's key, and a paragraph's number and offsets)."""

    @abc.abstractmethod
    def iter_keyed(self, keys: Iterable[int], annotation_types: Iterable[str] | None = ()) -> Iterator[
            tuple[int, Document]]:
        """The current documents with these search keys (as `matches` gives them), in the order given,
        each with its structure and only the annotations of `annotation_types` (None: all)."""

    def cache_dir(self, name: str) -> Any:
        """A directory for a rebuildable cache derived from this archive (None: keep it in memory)."""
        return None

    @abc.abstractmethod
    def reindex(self) -> int:
        """Rebuild the search index from the stored documents; returns the number indexed."""

    @abc.abstractmethod
    def close(self) -> None: ...

    # -- entities: records derived after enrichment, and the user's curation layer ------------------
    @abc.abstractmethod
    def iter_entity_mentions(self, collection: str | None = None) -> Iterator[EntityMention]:
        """Every person, place and organisation annotation that carries an entity id, streamed."""

    @abc.abstractmethod
    def entity_mentions(self, entity_id: str, limit: int | None = None) -> list[EntityMention]:
        """The mentions of one entity, by document then offset."""

    @abc.abstractmethod
    def relink_entities(self, changes: dict[str, tuple[str, str | None]], collection: str | None = None) -> int:
        """Point every mention of entity `old` at `new` (and label, when given): {old: (new, label)}.
        Returns the mentions changed; their documents are re-indexed."""

    @abc.abstractmethod
    def relink_mention(self, doc_id: str, start: int, end: int, new_id: str, label: str | None) -> int:
        """Point the entity mention at [start, end) of a document at another entity (a split)."""

    @abc.abstractmethod
    def delete_entity_mentions(self, surface: str, types: Iterable[str] = ENTITY_TYPES) -> int:
        """Remove entity annotations whose text is `surface` (a word marked as no entity)."""

    @abc.abstractmethod
    def entity_cooccurrence(self, entity_id: str, limit: int = 30) -> list[tuple[str, int]]:
        """(other entity id, documents naming both), most first."""

    @abc.abstractmethod
    def put_entities(self, records: Iterable[EntityRecord]) -> int:
        """Replace every entity record with these."""

    @abc.abstractmethod
    def get_entity(self, entity_id: str) -> EntityRecord | None: ...

    @abc.abstractmethod
    def iter_entities(self, type: str | None = None) -> Iterator[EntityRecord]:
        """Entity records, most mentioned first."""

    @abc.abstractmethod
    def add_curation(self, op: CurationOp) -> int:
        """Append a curation act; returns its sequence number."""

    @abc.abstractmethod
    def curations(self) -> list[CurationOp]:
        """The curation layer, oldest first (the order it is applied in)."""

    @abc.abstractmethod
    def replace_curations(self, ops: Iterable[CurationOp]) -> int:
        """Replace the whole curation layer (an import)."""

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
