"""Redaction markers in the text: what an editor or a declassifier wrote where something was withheld.

* FRUS's bracketed withholdings: "[1 line not declassified]", "[less than 1 line not declassified]",
  "[name not declassified]", "[1 paragraph (5 lines) not declassified]";
* FOIA exemptions (5 U.S.C. 552(b)): "(b)(1)", "(b)(3)", "(b)(7)(C)", as stamped beside a blacked-out box;
* the 25-year exemptions of E.O. 12958/13526: "25X1" … "25X9";
* JFK Records Act postponements: "JFK Act 6(1)(B)", "Section 6(4)";
* release notes such as "[DELETION]" / "[[DELETED]]".

Each becomes a `redaction` annotation with `source: "text"` and, where the marker names one, the
`exemption`. Blacked-out boxes on a page image are found by the scan reader (`source: "image"`).
`summarise(doc)` turns a document's redactions into the `redacted` and `exemptions` metadata that
search filters and facets on.
"""

from __future__ import annotations

import re

from ..model import Annotation, Document

_BRACKET = re.compile(r"\[(?:\s*(?:less than\s+)?[^\[\]]{0,60}?)\bnot\s+declassified\s*\]", re.I)
# OCR reads the "b" of a stamped "(b)(3)" as "lb" or "Ib" now and then; the parentheses carry the marker.
_FOIA = re.compile(r"(?<![A-Za-z0-9])\(\s*[lI|]?[bB]\s*\)\s*\(\s*([1-9])\s*\)(?:\s*\(\s*([A-F])\s*\))?")
_25X = re.compile(r"(?<![A-Za-z0-9])25\s?X\s?([1-9])(?![0-9])")
_JFK = re.compile(r"\b(?:JFK\s+(?:Records\s+)?Act\s+(?:Section\s+|§\s*)?|Section\s+)6\s?\(\s?([1-5])\s?\)"
                  r"(?:\s?\(\s?([A-D])\s?\))?", re.I)
_DELETION = re.compile(r"\[\[?\s*(?:DELETION|DELETED|REDACTED|WITHHELD)\s*\]?\]", re.I)


def find_markers(text: str) -> list[tuple[int, int, dict[str, str]]]:
    """(start, end, value) of every redaction marker in a text."""
    out: list[tuple[int, int, dict[str, str]]] = []
    for m in _BRACKET.finditer(text):
        out.append((m.start(), m.end(), {"source": "text", "kind": "not declassified"}))
    for m in _FOIA.finditer(text):
        ex = f"(b)({m.group(1)})" + (f"({m.group(2)})" if m.group(2) else "")
        out.append((m.start(), m.end(), {"source": "text", "kind": "FOIA", "exemption": ex}))
    for m in _25X.finditer(text):
        out.append((m.start(), m.end(), {"source": "text", "kind": "E.O. 25-year", "exemption": f"25X{m.group(1)}"}))
    for m in _JFK.finditer(text):
        ex = f"JFK Act 6({m.group(1)})" + (f"({m.group(2).upper()})" if m.group(2) else "")
        out.append((m.start(), m.end(), {"source": "text", "kind": "JFK Act", "exemption": ex}))
    for m in _DELETION.finditer(text):
        out.append((m.start(), m.end(), {"source": "text", "kind": "deletion"}))
    out.sort(key=lambda x: (x[0], -x[1]))
    return out


class RedactionAnnotator:
    name = "redactions"
    version = "1"

    def __call__(self, doc: Document) -> list[Annotation]:
        return [Annotation("redaction", s, e, doc.text[s:e], v) for s, e, v in find_markers(doc.text)]


def summarise(doc: Document) -> None:
    """Set `metadata["redacted"]` ("yes") and `metadata["exemptions"]` from the redaction annotations."""
    reds = [a for a in doc.annotations if a.type == "redaction"]
    if not reds:
        doc.metadata.pop("redacted", None)
        doc.metadata.pop("exemptions", None)
        return
    doc.metadata["redacted"] = "yes"
    doc.metadata["redactions"] = len(reds)
    exemptions = sorted({str(a.value["exemption"]) for a in reds
                         if isinstance(a.value, dict) and a.value.get("exemption")})
    if exemptions:
        doc.metadata["exemptions"] = exemptions
