"""CSL-JSON items (the format Zotero, Pandoc and citeproc read), checked against citeproc-py with the
Chicago 17th-edition notes-and-bibliography style."""

from __future__ import annotations

from typing import Any

from .chicago import _original_note, headline, render, speech_what
from .record import CitationRecord


def _date_parts(iso: str, precision: str = "day") -> dict[str, Any]:
    y, m, d = (iso.split("T")[0].split("-") + ["", ""])[:3]
    parts = [int(y)]
    if precision != "year" and m:
        parts.append(int(m))
        if precision != "month" and d:
            parts.append(int(d))
    return {"date-parts": [parts]}


def item(rec: CitationRecord) -> dict[str, Any]:
    it: dict[str, Any] = {"id": rec.id}
    title = rec.title
    if title and (rec.language or "en").startswith("en") and rec.kind in ("edited", "archival", "translation"):
        title = headline(" ".join(title.split()))
    if rec.kind in ("edited", "frus"):
        it["type"] = "chapter"
        it["title"] = title or (f"Document {rec.number}" if rec.number else "Document")
        if rec.authors:
            it["author"] = [a.csl() for a in rec.authors]
        if rec.editors:
            it["editor"] = [e.csl() for e in rec.editors]
        it["container-title"] = rec.container
        if rec.volume:
            it["volume"] = rec.volume
        if rec.publisher:
            it["publisher"] = rec.publisher
        if rec.place:
            it["publisher-place"] = rec.place
        if rec.year:
            it["issued"] = {"date-parts": [[rec.year]]}
        if rec.pages:
            it["page"] = rec.pages
        if rec.isbn:
            it["ISBN"] = rec.isbn
        if rec.number:
            it["section"] = f"Document {rec.number}"
        if rec.kind == "frus" and rec.archival_source:
            it["archive_location"] = rec.archival_source
        if rec.date:  # the document's own date; `issued` is the volume's
            it["original-date"] = _date_parts(rec.date.start, rec.date.precision)
    elif rec.kind == "speech":
        it["type"] = "speech"
        it["title"] = speech_what(rec, sentence=True)
        it["author"] = [a.csl() for a in rec.authors] or [{"literal": rec.country}]
        it["genre"] = "Speech"
        it["event"] = "General Debate of the United Nations General Assembly"
        if rec.date_year:
            it["issued"] = {"date-parts": [[rec.date_year]]}
        it["archive"] = rec.container
        it["archive_location"] = rec.corpus_item
    else:
        it["type"] = "manuscript"
        it["title"] = title or "Untitled document"
        if rec.authors:
            it["author"] = [a.csl() for a in rec.authors]
        if rec.date:
            it["issued"] = _date_parts(rec.date.start, rec.date.precision)
        if rec.doc_type:
            it["genre"] = rec.doc_type
        if rec.kind == "translation":
            if rec.translator:
                it["translator"] = [{"literal": rec.translator}]
            it["note"] = render(_original_note(rec, sentence=True)) + "."
        else:
            it["archive"] = f"Despatch collection {rec.archive}"
            it["archive_location"] = rec.archive_location
        if rec.doc_place:
            it["archive-place"] = rec.doc_place
    if rec.url:
        it["URL"] = rec.url
        if rec.accessed:
            it["accessed"] = _date_parts(rec.accessed)
    if rec.abstract:
        it["abstract"] = rec.abstract
    if rec.language:
        it["language"] = rec.language
    return it
