"""One writer per export format: `begin`, one `write` per document, `end` — nothing kept between documents.

CSV has one row per document (metadata, the Chicago note, the full text; a cell that starts like a
spreadsheet formula gets a leading apostrophe); JSON Lines one
`Document.to_dict()` per line (the same object as `despatch show --format json`); BibTeX and RIS one
entry per document; CSL-JSON a JSON array written item by item; TEI a `teiCorpus` of `TEI` documents.
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from .. import plugins
from ..cite import bibtex, chicago, csljson, ris
from ..cite.record import to_record
from ..errors import BadOption
from ..model import Document

CSV_COLUMNS = (
    "id", "collection", "title", "date", "date_start", "date_end", "date_precision", "doc_type", "language",
    "classification", "originator", "recipient", "place", "source", "url", "citation", "chars", "text",
)


class Writer:
    """An export format: `begin`, `write` once per document, `end`, all to `out`.

    Registered under `despatch.exporters` (pyproject.toml); the registry calls the class with the output
    stream and the access date for citations. `media_type` and `suffix` name what a download is.
    """

    media_type = "text/plain; charset=utf-8"
    suffix = "txt"

    def __init__(self, out: TextIO, accessed: str | None = None) -> None:
        self.out = out
        self.accessed = accessed
        self.count = 0

    def begin(self) -> None:
        pass

    def write(self, doc: Document) -> None:
        raise NotImplementedError

    def end(self) -> None:
        pass


class CSVWriter(Writer):
    media_type = "text/csv; charset=utf-8"
    suffix = "csv"

    def begin(self) -> None:
        self.csv = csv.writer(self.out, lineterminator="\r\n")  # RFC 4180, what spreadsheets expect
        self.csv.writerow(CSV_COLUMNS)

    def write(self, doc: Document) -> None:
        d = doc.date
        self.csv.writerow(_safe(v) for v in [
            doc.id, doc.collection, doc.title or "",
            (d.text or d.start) if d else "", d.start if d else "", d.end if d else "", d.precision if d else "",
            doc.doc_type or "", doc.language or "", doc.classification.level if doc.classification else "",
            doc.originator or "", doc.recipient or "", doc.place or "",
            doc.source.text or "" if doc.source else "", doc.url or "",
            chicago.render(chicago.note(to_record(doc, self.accessed))), len(doc.text), doc.text,
        ])


def _safe(v: object) -> object:
    """A cell a spreadsheet would run as a formula (= + - @ first) is prefixed with ' (OWASP's advice)."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


class JSONLWriter(Writer):
    media_type = "application/x-ndjson; charset=utf-8"
    suffix = "jsonl"

    def write(self, doc: Document) -> None:
        self.out.write(json.dumps(doc.to_dict(), ensure_ascii=False))
        self.out.write("\n")


class BibTeXWriter(Writer):
    media_type = "application/x-bibtex; charset=utf-8"
    suffix = "bib"

    def write(self, doc: Document) -> None:
        if self.count:
            self.out.write("\n")
        self.out.write(bibtex.entry(to_record(doc, self.accessed)))


class RISWriter(Writer):
    media_type = "application/x-research-info-systems; charset=utf-8"
    suffix = "ris"

    def write(self, doc: Document) -> None:
        if self.count:
            self.out.write("\n")
        self.out.write(ris.record(to_record(doc, self.accessed)))


class CSLJSONWriter(Writer):
    media_type = "application/vnd.citationstyles.csl+json; charset=utf-8"
    suffix = "json"

    def begin(self) -> None:
        self.out.write("[")

    def write(self, doc: Document) -> None:
        self.out.write(",\n" if self.count else "\n")
        self.out.write(json.dumps(csljson.item(to_record(doc, self.accessed)), ensure_ascii=False))

    def end(self) -> None:
        self.out.write("\n]\n" if self.count else "]\n")


class TEIWriter(Writer):
    media_type = "application/tei+xml; charset=utf-8"
    suffix = "xml"

    def begin(self) -> None:
        from .tei import corpus_begin

        self.out.write(corpus_begin())

    def write(self, doc: Document) -> None:
        from .tei import tei_document

        self.out.write(tei_document(doc, declaration=False))
        self.out.write("\n")

    def end(self) -> None:
        self.out.write("</teiCorpus>\n")


def formats() -> list[str]:
    """The export formats installed: Despatch's own, then any a plug-in registers."""
    return plugins.names("exporters")


def writer_class(fmt: str) -> type[Writer]:
    """The writer registered for `fmt` (a BadOption naming the choices when there is none)."""
    if fmt not in formats():
        raise BadOption(f"unknown export format {fmt!r}; choose one of {', '.join(formats())}")
    return plugins.factory("exporters", fmt)  # type: ignore[return-value]


FORMATS = tuple(formats())
