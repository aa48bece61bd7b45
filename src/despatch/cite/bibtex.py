"""BibTeX entries that both bibtex and biblatex read: standard entry types (@incollection, @misc) and
fields that mean the same to both (`address`, `year`, `month`), plus biblatex's `urldate` and `langid`,
which bibtex ignores.

Text is UTF-8 (biber and bibtex8/modern bibtex read it); the ten characters TeX treats specially are
escaped, and titles are braced so styles that lowercase titles keep the capitals as written.
"""

from __future__ import annotations

import re

from .chicago import _original_note, doc_date, headline, render, speech_what
from .names import Name, join_names
from .record import CitationRecord

_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_SPECIAL_RX = re.compile(r"[\\{}&%$#_~^]")


LANGIDS = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "ru": "russian",
           "nl": "dutch", "pt": "portuguese", "pl": "polish", "cs": "czech", "sv": "swedish", "da": "danish"}


def escape(s: str) -> str:
    return _SPECIAL_RX.sub(lambda m: _SPECIAL[m.group(0)], " ".join(s.split()))


def cite_key(doc_id: str) -> str:
    """'ungdc/USA_08_1953' → 'ungdc:USA_08_1953': unique per document, legal for bibtex and biber."""
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", doc_id.replace("/", ":"))


def _names(names: list[Name]) -> str:
    return " and ".join("{" + escape(n.literal) + "}" if n.literal else escape(n.inverted()) for n in names)


def _pages(p: str) -> str:
    return re.sub(r"\s*[-–—]+\s*", "--", p.strip())


def fields(rec: CitationRecord) -> tuple[str, list[tuple[str, str]]]:
    """(entry type, [(field, braced value)]) for a record."""
    f: list[tuple[str, str]] = []

    def add(name: str, value: object, raw: bool = False) -> None:
        if value is None or value == "" or value == []:
            return
        f.append((name, str(value) if raw else escape(str(value))))

    title = rec.title
    if title and (rec.language or "en").startswith("en") and rec.kind in ("edited", "archival", "translation"):
        title = headline(" ".join(title.split()))
    if rec.kind in ("edited", "frus"):
        etype = "incollection"
        if rec.authors:
            add("author", _names(rec.authors), raw=True)
        add("title", "{" + escape(title or f"Document {rec.number or ''}".strip()) + "}", raw=True)
        # The container's title as written, volume included: bibtex has no maintitle, and nothing is lost.
        add("booktitle", "{" + escape(rec.container or "") + "}", raw=True)
        add("volume", rec.volume)
        if rec.editors:
            add("editor", _names(rec.editors), raw=True)
        add("publisher", rec.publisher)
        add("address", rec.place)  # biber reads it as `location`; both fields would conflict
        add("year", rec.year)
        if rec.pages:
            add("pages", _pages(rec.pages), raw=True)
        add("isbn", rec.isbn)
        notes = []
        if rec.number:
            notes.append(f"Document {rec.number}")
        if rec.doc_place or rec.date:  # the document's own date: year is the volume's
            notes.append(", ".join(p for p in (rec.doc_place, doc_date(rec.date) if rec.date else None) if p))
        add("note", ". ".join(notes))
    elif rec.kind == "speech":
        etype = "misc"
        add("author", _names(rec.authors), raw=True)
        add("title", "{" + escape(speech_what(rec, sentence=True)) + "}", raw=True)
        add("howpublished", rec.container)
        add("year", rec.date_year)
        add("note", f"{rec.container}, compiled by "
            + join_names([n.natural() for n in rec.compilers]) + f"; item {rec.corpus_item}")
    else:
        etype = "misc"
        if rec.authors:
            add("author", _names(rec.authors), raw=True)
        add("title", "{" + escape(title or "Untitled document") + "}", raw=True)
        if rec.date:  # year and month, which both read without a conflict (biber warns on year + date)
            add("year", rec.date.start[:4])
            if rec.date.precision in ("month", "day", "minute"):
                add("month", str(int(rec.date.start[5:7])))
        if rec.kind == "translation":
            add("translator", _names([Name(literal=rec.translator)]) if rec.translator else None, raw=True)
            add("howpublished", rec.translator)
            add("note", render(_original_note(rec, sentence=True)) + ".")
        else:
            add("howpublished", f"Despatch collection {rec.archive}")
            add("note", rec.archive_location)
    if rec.url:  # verbatim in biblatex and in bibtex's \url: not escaped, only kept free of braces and spaces
        add("url", re.sub(r"[{}\s]", lambda m: f"%{ord(m.group(0)):02X}", rec.url), raw=True)
    if rec.url and rec.accessed:
        add("urldate", rec.accessed)
    # biblatex's `langid` (hyphenation, babel names); bibtex ignores it. Its `language` field would be printed.
    add("langid", LANGIDS.get((rec.language or "").split("-")[0]))
    return etype, f


def entry(rec: CitationRecord) -> str:
    etype, fs = fields(rec)
    width = max((len(k) for k, _ in fs), default=0)
    body = ",\n".join(f"  {k.ljust(width)} = {{{v}}}" for k, v in fs)
    return f"@{etype}{{{cite_key(rec.id)},\n{body}\n}}\n"
