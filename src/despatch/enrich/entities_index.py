"""Entities across an archive: each entity id with its names as written, mention and document counts.

`despatch entities` and the API call `entities(archive, ...)`; the annotations come streamed from
`Archive.iter_annotations` (one query on SQLite).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..annotation_types import ENTITY_TYPES
from ..errors import BadOption
from ..model import AuthorityEntry
from ..store import Archive
from .gazetteer import slug

#: What an authority list may name: the entity types and the edition's glossed terms.
AUTHORITY_KINDS = (*ENTITY_TYPES, "term")



@dataclass
class Entity:
    id: str
    type: str
    name: str
    mentions: int = 0
    documents: int = 0
    variants: dict[str, int] = field(default_factory=dict)
    collections: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "name": self.name, "mentions": self.mentions,
                "documents": self.documents, "variants": self.variants, "collections": self.collections}


def _rows(
    archive: Archive, collection: str | None, types: tuple[str, ...]
) -> Iterator[tuple[str, str, str, Any, str, str]]:
    """(doc id, collection, type, value, text, producer) for every entity annotation of current documents."""
    for row in archive.iter_annotations(types, collection):
        a = row.annotation
        yield row.doc_id, row.collection, a.type, a.value, a.text, a.producer


def entities(archive: Archive, collection: str | None = None, type: str | None = None,
             min_mentions: int = 1) -> list[Entity]:
    """Entities by mention count (most first); only annotations that carry an entity id count."""
    types = (type,) if type else ENTITY_TYPES
    agg: dict[tuple[str, str], Entity] = {}
    docs: dict[tuple[str, str], set[str]] = {}
    names: dict[tuple[str, str], Counter[str]] = {}
    for doc_id, coll, typ, value, text, _prod in _rows(archive, collection, types):
        if not isinstance(value, dict) or not value.get("id"):
            continue
        key = (typ, value["id"])
        e = agg.get(key)
        if e is None:
            e = agg[key] = Entity(value["id"], typ, value.get("name") or text)
            docs[key] = set()
            names[key] = Counter()
        e.mentions += 1
        surface = " ".join(text.split())
        e.variants[surface] = e.variants.get(surface, 0) + 1
        names[key][value.get("name") or surface] += 1
        docs[key].add(doc_id)
        if coll not in e.collections:
            e.collections.append(coll)
    out = []
    for key, e in agg.items():
        if e.mentions < min_mentions:
            continue
        e.documents = len(docs[key])
        e.name = max(names[key].items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        e.variants = dict(sorted(e.variants.items(), key=lambda kv: -kv[1]))
        out.append(e)
    out.sort(key=lambda e: (-e.mentions, e.type, e.id))
    return out


def read_authority_csv(path: str | Path) -> list[AuthorityEntry]:
    """A user's authority list: CSV with a header naming `name` and optionally `id`, `kind`, `description`.

    `kind` is person, place or org (person when absent); `id` defaults to the name's slug. A row without
    a name is an error naming the file and the line.
    """
    p = Path(path)
    out: list[AuthorityEntry] = []
    with p.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields = {(h or "").strip().lower() for h in reader.fieldnames or []}
        if "name" not in fields:
            raise BadOption(f"{p}: the CSV needs a header with a 'name' column (and optionally id, kind, description)")
        for i, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            name = row.get("name", "")
            if not name:
                raise BadOption(f"{p}, line {i}: no name")
            kind = (row.get("kind") or "person").lower()
            if kind not in AUTHORITY_KINDS:
                raise BadOption(f"{p}, line {i}: kind must be {', '.join(AUTHORITY_KINDS)}, not {kind!r}")
            out.append(AuthorityEntry(row.get("id") or slug(name), kind, name, row.get("description") or None))
    return out


def import_authorities(archive: Archive, collection: str, entries: Iterable[AuthorityEntry]) -> int:
    return archive.import_authorities(collection, entries)
