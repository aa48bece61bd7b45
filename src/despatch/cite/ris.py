"""RIS records with the tags and types Zotero's RIS translator imports into the right fields.

Types: CHAP (book section: a document in an edited collection or a FRUS volume), SLIDE (Zotero's
"presentation": a UN speech, with M3 "Speech" and the meeting in T2), MANSCPT (manuscript: a document
known only from archive metadata). Tags: TY, AU (author) / A2 (editor), TI, T2 (book title or
meeting), T3 (series), PY/DA, SP/EP, VL, SN, PB/CY, UR, Y2 (access date), DB/AN (archive and its
location), AB, LA, M3, N1, ER.
"""

from __future__ import annotations

import re

from .chicago import _original_note, doc_date, headline, ordinal_words, render, speech_what
from .record import CitationRecord


def _ris_date(iso: str | None, precision: str = "day") -> str | None:
    """RIS dates are YYYY/MM/DD/ with empty parts for what is unknown."""
    if not iso:
        return None
    y, m, d = (iso.split("T")[0].split("-") + ["", ""])[:3]
    if precision == "year":
        m = d = ""
    elif precision == "month":
        d = ""
    return f"{y}/{m}/{d}/"


def tags(rec: CitationRecord) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def add(tag: str, value: object) -> None:
        if value is None or value == "":
            return
        out.append((tag, " ".join(str(value).split())))

    title = rec.title
    if title and (rec.language or "en").startswith("en") and rec.kind in ("edited", "archival", "translation"):
        title = headline(" ".join(title.split()))
    if rec.kind in ("edited", "frus"):
        add("TY", "CHAP")
        for a in rec.authors:
            add("AU", a.inverted())
        add("TI", title or (f"Document {rec.number}" if rec.number else None))
        for e in rec.editors:
            add("A2", e.inverted())
        add("T2", rec.container)
        add("VL", rec.volume)
        add("PY", rec.year)
        add("PB", rec.publisher)
        add("CY", rec.place)
        add("SN", rec.isbn)
        if rec.pages:
            m = re.fullmatch(r"\s*(\w+)\s*[-–—]+\s*(\w+)\s*", rec.pages)
            if m:
                add("SP", m.group(1))
                add("EP", m.group(2))
            else:
                add("SP", rec.pages)
        if rec.number:
            add("SE", f"Document {rec.number}")
        if rec.date:  # the document's own date (PY is the volume's)
            add("DA", _ris_date(rec.date.start, rec.date.precision))
        if rec.doc_place or rec.date:
            add("N1", ", ".join(p for p in (rec.doc_place, doc_date(rec.date) if rec.date else None) if p))
        if rec.kind == "frus" and rec.archival_source:
            add("AN", rec.archival_source)
    elif rec.kind == "speech":
        add("TY", "SLIDE")
        add("AU", rec.authors[0].natural() if rec.authors else rec.country)
        add("TI", speech_what(rec, sentence=True))
        add("T2", f"General Debate, {ordinal_words(rec.session)} session of the United Nations General Assembly"
            if rec.session else "General Debate of the United Nations General Assembly")
        add("M3", "Speech")
        add("PY", rec.date_year)
        add("DB", rec.container)
        add("AN", rec.corpus_item)
        add("N1", f"Country: {rec.country} ({rec.country_code})")
        add("N1", "Corpus compiled by " + ", ".join(n.natural() for n in rec.compilers))
    else:
        add("TY", "MANSCPT")
        for a in rec.authors:
            add("AU", a.inverted())
        add("TI", title or "Untitled document")
        if rec.date:
            add("PY", rec.date.start[:4])
            add("DA", _ris_date(rec.date.start, rec.date.precision))
        add("CY", rec.doc_place)
        add("M3", rec.doc_type)
        if rec.kind == "translation":
            add("A4", rec.translator)  # Zotero's translator
            add("N1", render(_original_note(rec, sentence=True)) + ".")
        else:
            add("DB", f"Despatch collection {rec.archive}")
            add("AN", rec.archive_location)
    add("UR", rec.url)
    if rec.url and rec.accessed:
        add("Y2", _ris_date(rec.accessed))
    add("AB", rec.abstract)
    add("LA", rec.language)
    return out


def record(rec: CitationRecord) -> str:
    lines = [f"{tag}  - {value}" for tag, value in tags(rec)]
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


def parse(text: str) -> list[list[tuple[str, str]]]:
    """RIS text → records as (tag, value) lists (to check what an export says, as an importer reads it)."""
    recs: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        tag, value = m.group(1), m.group(2).strip()
        if tag == "TY":
            cur = [(tag, value)]
        elif tag == "ER":
            if cur is not None:
                recs.append(cur)
            cur = None
        elif cur is not None:
            cur.append((tag, value))
    return recs
