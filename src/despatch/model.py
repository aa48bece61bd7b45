"""The document model every layer shares.

A `Document` is what a reader yields, what the store keeps and what every interface shows. Its JSON form
(`Document.to_dict`) is the public contract: `despatch show ID --format json`, the JSON API and the
library all return the same object.

Offsets (`start`, `end`) in spans are Python string indices (Unicode code points) into `Document.text`,
half-open: `text[start:end]` is the span's text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .annotation_types import ANNOTATION_TYPES, ENTITY_TYPES, AnnotationType, annotation_type  # noqa: F401

PRECISIONS = ("year", "month", "day", "minute")
STRUCTURE_TYPES = (
    "heading", "paragraph", "list_item", "omission", "page_break", "note",
    # containers and anchors the TEI reader adds: a footnote's anchor (zero-width), quotes, closers, enclosures
    "note_ref", "quote", "closer", "postscript", "attachment", "table",
)
CLASSIFICATION_LEVELS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "RESTRICTED", "UNCLASSIFIED")


@dataclass
class DocDate:
    """A document date: a range (`start`..`end`) and how precise it is, plus the text as written.

    `flags` say what is doubtful about it ("outlier-in-volume", "repaired"; see `despatch.plausibility`);
    they are kept in `Document.metadata["date_flags"]` too, which the store keeps.
    """

    start: str
    end: str
    precision: str
    text: str | None = None
    flags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"date precision must be one of {PRECISIONS}, not {self.precision!r}")


@dataclass
class Classification:
    level: str
    text: str


@dataclass
class Source:
    """Where the text was printed or published; `text` is the reference exactly as written."""

    text: str | None = None
    editors: list[str] = field(default_factory=list)
    title: str | None = None
    publisher: str | None = None
    place: str | None = None
    year: int | None = None
    isbn: str | None = None
    pages: str | None = None


@dataclass
class FileInfo:
    path: str
    sha256: str
    format: str
    bytes: int
    # The file's path within what was ingested ("a/note.txt", "corpus.tar!TXT/x.txt"): which file a document
    # comes from, so that two files with the same name never become versions of one document.
    key: str | None = None


@dataclass
class Span:
    """A structural span: heading, paragraph, list item, omission, page break or note."""

    type: str
    start: int
    end: int
    level: int | None = None
    number: str | None = None
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type, "start": self.start, "end": self.end}
        for k in ("level", "number", "label"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        return d


@dataclass
class Annotation:
    """A standoff annotation; `producer` names the component (and version) that made it."""

    type: str
    start: int
    end: int
    text: str
    value: Any = None
    producer: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Document:
    id: str
    collection: str
    text: str
    title: str | None = None
    caption: str | None = None
    doc_type: str | None = None
    language: str | None = None
    date: DocDate | None = None
    classification: Classification | None = None
    originator: str | None = None
    recipient: str | None = None
    place: str | None = None
    source: Source | None = None
    rights: str | None = None
    url: str | None = None
    last_updated: str | None = None
    file: FileInfo | None = None
    structure: list[Span] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    # Store-side facts, filled when a document comes back from an archive.
    version: int | None = None

    def __post_init__(self) -> None:
        flags = (self.metadata or {}).get("date_flags")
        if self.date is not None and not self.date.flags and isinstance(flags, list):
            self.date.flags = [str(f) for f in flags]  # a document read back from the store

    def to_dict(self, with_body: bool = True) -> dict[str, Any]:
        """The JSON form; without the body (text, structure, annotations) for cheap header-only uses."""
        d: dict[str, Any] = {
            "id": self.id,
            "collection": self.collection,
            "title": self.title,
            "caption": self.caption,
            "doc_type": self.doc_type,
            "language": self.language,
            "date": _date_dict(self.date),
            "classification": dataclasses.asdict(self.classification) if self.classification else None,
            "originator": self.originator,
            "recipient": self.recipient,
            "place": self.place,
            "source": dataclasses.asdict(self.source) if self.source else None,
            "rights": self.rights,
            "url": self.url,
            "last_updated": self.last_updated,
            "file": dataclasses.asdict(self.file) if self.file else None,
        }
        if with_body:
            d["text"] = self.text
            d["structure"] = [s.to_dict() for s in self.structure]
            d["annotations"] = [a.to_dict() for a in self.annotations]
        d["metadata"] = self.metadata
        d["version"] = self.version
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        return cls(
            id=d["id"],
            collection=d["collection"],
            text=d["text"],
            title=d.get("title"),
            caption=d.get("caption"),
            doc_type=d.get("doc_type"),
            language=d.get("language"),
            date=DocDate(**d["date"]) if d.get("date") else None,
            classification=Classification(**d["classification"]) if d.get("classification") else None,
            originator=d.get("originator"),
            recipient=d.get("recipient"),
            place=d.get("place"),
            source=Source(**d["source"]) if d.get("source") else None,
            rights=d.get("rights"),
            url=d.get("url"),
            last_updated=d.get("last_updated"),
            file=FileInfo(**d["file"]) if d.get("file") else None,
            structure=[Span(**s) for s in d.get("structure", [])],
            annotations=[Annotation(**a) for a in d.get("annotations", [])],
            metadata=dict(d.get("metadata") or {}),
            version=d.get("version"),
        )

    def content_hash(self) -> str:
        """Hash of what the reader made of the source (not annotations, file or version).

        Two ingests that read the same document the same way give the same hash, so the store can tell
        an unchanged document from a new version.
        """
        head = {k: v for k, v in self.to_dict(with_body=False).items() if k not in ("file", "version")}
        h = hashlib.sha256(json.dumps(head, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
        h.update(b"\0")
        h.update(self.text.encode("utf-8"))
        h.update(b"\0")
        h.update(repr([(s.type, s.start, s.end, s.level, s.number, s.label) for s in self.structure]).encode())
        return h.hexdigest()

    def span_text(self, span: Span | Annotation) -> str:
        return self.text[span.start : span.end]

    def paragraphs(self) -> list[Span]:
        """The units a paragraph-level search indexes: headings, paragraphs, list items and notes."""
        return [s for s in self.structure if s.type in ("heading", "paragraph", "list_item", "note")]


def _date_dict(d: DocDate | None) -> dict[str, Any] | None:
    """The date's JSON form; `flags` only when there are some (an unflagged date reads as it always did)."""
    if d is None:
        return None
    out = dataclasses.asdict(d)
    if not out["flags"]:
        del out["flags"]
    return out


def normalise_classification(text: str) -> Classification:
    """Map a marking as written ('Top Secret', 'Strictly confidential') to a level."""
    upper = " ".join(text.upper().replace("-", " ").split()).strip(" .:")
    for level in CLASSIFICATION_LEVELS:
        if level in upper:
            return Classification(level=level, text=text.strip())
    return Classification(level=upper, text=text.strip())


@dataclass
class AuthorityEntry:
    """An entry of a collection's authority list (a person, a term), e.g. from a FRUS volume's front matter."""

    id: str
    kind: str  # person | term | place | org
    name: str
    description: str | None = None
