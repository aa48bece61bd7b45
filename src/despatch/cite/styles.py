"""Despatch's own citation styles, registered in pyproject.toml under `despatch.citation_styles`.

A citation style is an object with a `label` (how people call it), `formats` (the text forms it can write:
the Chicago styles italicise titles, so they write plain text, Markdown or HTML; a record format writes
one form) and `cite(record, fmt)` returning the citation of one `CitationRecord` as a string. The
registry makes one with no arguments; see docs/extending.md for adding a style from another package.
"""

from __future__ import annotations

import json
from typing import Protocol

from . import bibtex, chicago, csljson, ris
from .record import CitationRecord

TEXT_FORMATS = ("text", "markdown", "html")


class CitationStyle(Protocol):
    label: str
    formats: tuple[str, ...]

    def cite(self, rec: CitationRecord, fmt: str = "text") -> str: ...


class ChicagoNote:
    label = "Chicago note"
    formats = TEXT_FORMATS

    def cite(self, rec: CitationRecord, fmt: str = "text") -> str:
        return chicago.render(chicago.note(rec), fmt)


class ChicagoBibliography:
    label = "Chicago bibliography"
    formats = TEXT_FORMATS

    def cite(self, rec: CitationRecord, fmt: str = "text") -> str:
        return chicago.render(chicago.bibliography(rec), fmt)


class BibTeX:
    label = "BibTeX"
    formats = ("text",)

    def cite(self, rec: CitationRecord, fmt: str = "text") -> str:
        return bibtex.entry(rec)


class RIS:
    label = "RIS"
    formats = ("text",)

    def cite(self, rec: CitationRecord, fmt: str = "text") -> str:
        return ris.record(rec)


class CSLJSON:
    label = "CSL-JSON"
    formats = ("text",)

    def cite(self, rec: CitationRecord, fmt: str = "text") -> str:
        return json.dumps([csljson.item(rec)], ensure_ascii=False, indent=2)
