"""What kind of record a scan is, from the words its form prints on the first page.

Cable: a message form ("CLASSIFIED MESSAGE", "OUTGOING/INCOMING MESSAGE") or the teletype furniture
(CITE with a station and serial, a date-time group, "END OF MESSAGE"). Dispatch: the "DISPATCH" form
head with a dispatch symbol and number. Memorandum for the record, memorandum, name-check or trace
request, routing sheet, letter: their printed or typed headings. Nothing recognisable: no type.
"""

from __future__ import annotations

import re

from .fields import Fields, Line

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("name-check request", re.compile(r"\bNAME\s*CHECK|\bTRACE\s+REQUEST|\bREQUEST\s+FOR\s+(?:NAME\s+)?TRACES?"
                                      r"|\bINDEX\s+SEARCH|\bFILE\s+CHECK", re.I)),
    ("memorandum for the record", re.compile(r"\bMEMO(?:RANDUM)?\s+FOR\s+(?:THE\s+)?RECORD\b", re.I)),
    ("cable", re.compile(r"\b(?:CLASSIFIED|OUTGOING|INCOMING)\s+MESSAGE\b|\bEND\s+OF\s+MESSAGE\b|\bCABLE\s+SEC", re.I)),
    ("dispatch", re.compile(r"^\s*D\s?I\s?S\s?P\s?A\s?T\s?C\s?H\b|\bDISPATCH\s+SYMBOL\b", re.I)),
    ("memorandum", re.compile(r"^\s*MEMORANDUM\s+(?:FOR|TO)\b|^\s*MEMORANDUM\s*$", re.I)),
    ("routing sheet", re.compile(r"\bROUTING\s+AND\s+RECORD\s+SHEET\b", re.I)),
    ("letter", re.compile(r"^\s*Dear\s+(?:Mr|Mrs|Ms|Dr|Sir|[A-Z][a-z]+)\b")),
]


def document_type(lines: list[Line], fields: Fields) -> str | None:
    """The record's kind, judged on its first page (attachments do not change what the record is)."""
    if not lines:
        return None
    first = lines[0].page
    head = [ln for ln in lines if ln.page == first]
    for kind, rx in _RULES:
        for ln in head:
            if rx.search(ln.text):
                return kind
    on_first = {f.field for f in fields.findings if f.line.page == first}
    if "cite" in on_first and ("dtg" in on_first or "precedence" in on_first):
        return "cable"
    if "dispatch_number" in on_first and "subject" in on_first:
        return "dispatch"
    return None
