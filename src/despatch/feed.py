"""The change feed: the narrow interface through which derived indexes follow the store.

The store is the one source of truth; the search index (and any future derived index) is a consumer
that replays what changed. Every storage backend implements `ChangeFeed` (`despatch.store.Archive`
inherits it), and `despatch.search` reads documents only through it: it never sees a table, a
connection or SQL, so a second backend gets search, facets and snippets with no change to `search/`
(the split whoosh makes between its `Storage` and its index, and tantivy between its `Directory` and
its writer).

The contract, which `tests/test_archive_contract.py` checks for every backend:

* every stored version of a document has an integer **key** (positive, below 2**43: the search index
  keeps paragraph keys as `key << 20 | n` in a signed 64-bit field), never reused for other content;
* every change to the set of current documents, or to a current document's annotations, appends a
  `Change` with a strictly increasing `seq`, **in the same transaction** as the change itself; a
  reader that has applied everything up to `seq` and replays the rest (idempotently: delete the key's
  entries, add them again) is exactly in step with the store;
* `index_records`, `hit_records` and `text_slice` return current documents only: a consumer that has
  fallen behind can ask about a key that is no longer current and gets nothing back for it;
* the archive has an **identity** (`archive_id`, made once when it is created and kept by its backups)
  and every change a random **mark** (`change_mark`): an index records both with the last change it
  applied, so that an index beside a restored backup, or beside another archive, is recognised as not
  belonging to this history (`mismatch`) and rebuilt instead of trusted.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

PARAGRAPH_TYPES = ("paragraph", "heading", "list_item", "note")


@dataclass(frozen=True)
class Change:
    """One entry of the feed: document version `key` was added ("add"), stopped being current ("del"),
    or had its annotations replaced ("annotations")."""

    seq: int
    key: int
    op: str


@dataclass
class IndexRecord:
    """What an index needs of one current document: its text, spans, metadata and selected annotations."""

    key: int
    title: str
    text: str
    collection: str
    doc_type: str | None
    language: str | None
    date_start: str | None
    date_end: str | None
    classification: str | None
    metadata: dict[str, Any]
    structure: list[tuple[str, int, int]]  # (span type, start, end), in document order
    entities: list[tuple[str, int, int, str]]  # (annotation type, start, end, name)

    def paragraphs(self) -> list[tuple[int, int, str]]:
        """Non-empty paragraph units (start, end, type); plain text without spans: its non-empty lines."""
        return paragraph_units(self.text, self.structure)


def paragraph_units(text: str, structure: Iterable[tuple[str, int, int]]) -> list[tuple[int, int, str]]:
    """Non-empty paragraph units (start, end, type) as the paragraph index numbers them (1, 2, ...);
    plain text without spans: its non-empty lines."""
    units = [(s, e, t) for t, s, e in structure if t in PARAGRAPH_TYPES]
    if not units:
        pos = 0
        for line in text.split("\n"):
            units.append((pos, pos + len(line), "paragraph"))
            pos += len(line) + 1
    return [(s, e, t) for s, e, t in units if text[s:e].strip()]


@dataclass
class HitRecord:
    """What a search hit shows of a current document (no text: snippets ask for a `text_slice`)."""

    key: int
    id: str
    version: int
    collection: str
    title: str | None
    date_text: str | None
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    doc_type: str | None
    language: str | None
    classification: str | None
    metadata: dict[str, Any] = field(default_factory=dict)


def entity_name(text: str, value: Any) -> str:
    """The name an entity annotation is indexed under: its resolved name when it has one, else as written."""
    if isinstance(value, dict) and value.get("name"):
        return str(value["name"])
    return text


class ChangeFeed(abc.ABC):
    """What a derived index may ask of the store (see the module docstring for the contract)."""

    @abc.abstractmethod
    def last_change(self) -> int:
        """The `seq` of the newest change (0 for an archive that never changed)."""

    @abc.abstractmethod
    def changes_since(self, seq: int) -> list[Change]:
        """Every change after `seq`, oldest first."""

    @abc.abstractmethod
    def count_changes_since(self, seq: int) -> int:
        """How many changes follow `seq` (cheap: asked before every search)."""

    @abc.abstractmethod
    def current_keys(self) -> list[int]:
        """The keys of every current document, ascending (a rebuild reads `last_change()` first)."""

    @abc.abstractmethod
    def index_records(self, keys: Sequence[int], annotation_types: Iterable[str]) -> Iterator[IndexRecord]:
        """The current documents among `keys`, ascending, with their annotations of `annotation_types`."""

    @abc.abstractmethod
    def hit_records(self, keys: Sequence[int]) -> dict[int, HitRecord]:
        """Display fields of the current documents among `keys` (a key no longer current is absent)."""

    @abc.abstractmethod
    def text_slice(self, doc_id: str, version: int, start: int = 0, end: int | None = None) -> str | None:
        """`text[start:end]` of one stored version (None when there is no such version)."""

    def text_slices(self, wanted: Sequence[tuple[int, int, int | None]]) -> list[str | None]:
        """`text[start:end]` of the current document `key`, for each (key, start, end) of `wanted`, in order
        (None for a key no longer current): what the snippets of a page of hits read. A store across a
        network answers them in one round trip, not one a hit."""
        recs = self.hit_records(sorted({k for k, _, _ in wanted}))
        return [self.text_slice(recs[k].id, recs[k].version, s, e) if k in recs else None for k, s, e in wanted]


    @abc.abstractmethod
    def archive_id(self) -> str:
        """The archive's identity: random, made when the archive was created, kept by its backups and
        copies of the file ("" for an archive too old to have one, opened read-only)."""

    @abc.abstractmethod
    def change_mark(self, seq: int) -> str | None:
        """The random mark stored with change `seq` (None: no such change, or one from before marks).
        After a restore from an older backup the same `seq` can name a different change; its mark differs."""


def position(feed: ChangeFeed, seq: int) -> dict[str, Any]:
    """What an index records of the store with the last change it applied: the archive and that change."""
    return {"archive": feed.archive_id(), "seq": seq, "mark": feed.change_mark(seq) if seq else None}


def mismatch(feed: ChangeFeed, state: dict[str, Any], seq: int) -> str | None:
    """Why an index that recorded `state` (see `position`) after applying change `seq` cannot follow this
    archive; None when it can. Such an index must be rebuilt, never trusted."""
    archive = feed.archive_id()
    if archive and state.get("archive") != archive:
        if not state.get("archive"):
            return "does not say which archive it was built for (an older Despatch made it)"
        return "was built for another archive"
    top = feed.last_change()
    if seq > top:
        return f"has applied change {seq}, but the archive's last change is {top} (restored from an older copy?)"
    if archive and seq and feed.change_mark(seq) != state.get("mark"):  # an archive without identity has no marks
        return (f"was built from another history of this archive (its change {seq} is not the archive's; "
                "restored from a backup?)")
    return None


class VectorFeed(ChangeFeed):
    """What the vector index and `despatch embed` ask of the store: paragraph vectors kept per document
    version (`key`, as in the change feed) and model, with an increasing `seq` for each stored row."""

    @abc.abstractmethod
    def keys_to_embed(self, model: str, collection: str | None = None) -> list[int]:
        """Current document keys (of `collection`) with no vectors for `model`, ascending."""

    @abc.abstractmethod
    def put_embeddings(self, model: str, keys: Sequence[int], rows: Sequence[tuple[int, int, int, int, bytes]]
                       ) -> None:
        """Store (key, paragraph number, start, end, int8 vector) rows for the documents `keys` in one
        transaction; a key given with no rows is recorded as embedded (it has no paragraphs)."""

    @abc.abstractmethod
    def embeddings_since(self, model: str, seq: int, limit: int) -> list[tuple[int, int, int, bytes]]:
        """Up to `limit` stored rows after `seq`, oldest first: (seq, key, paragraph number, vector)."""

    @abc.abstractmethod
    def embeddings_of(self, model: str, keys: Sequence[int]) -> dict[int, list[tuple[int, int, int, bytes]]]:
        """Per key: its rows (paragraph number, start, end, vector), in paragraph order."""

    @abc.abstractmethod
    def embedding_stats(self) -> dict[str, dict[str, int]]:
        """Per model: documents and paragraphs with vectors, and the newest row's seq."""

    @abc.abstractmethod
    def current_key(self, doc_id: str) -> int | None:
        """The key of a document's current version (None: no such document)."""
