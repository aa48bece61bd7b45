"""Catalogue sidecars: an archivist's CSV of record descriptions joined to the ingested files.

`despatch ingest FOLDER --catalog nara-catalog.csv --catalog-key "Record Num"` looks each file up by its
name (without extension) in the key column, or by the record number read from its pages; the row's
title, date, from, to, file number and type become the document's, and what the page itself says is
kept beside them in `metadata["page_values"]`, with the fields where the two disagree listed in
`metadata["catalog_differences"]`. Column names default to NARA's JFK catalogue; another catalogue maps
its own with `--catalog-map "title=Title,date=Date,from=Author"`.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dates import parse_iso, parse_written_date
from .errors import BadOption
from .model import DocDate, Document

FIELDS = ("title", "date", "from", "to", "file_number", "type")
NARA_COLUMNS = {"title": "Title", "date": "Doc Date", "from": "From Name", "to": "To Name",
                "file_number": "File Num", "type": "Doc Type"}


class CatalogError(BadOption):
    """A catalogue that cannot be used (missing file, no such key column); the message says which."""


@dataclass
class Catalog:
    path: str
    key: str
    columns: dict[str, str]
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    sha256: str = ""

    def lookup(self, *keys: str | None) -> dict[str, str] | None:
        for k in keys:
            if k and _norm_key(k) in self.rows:
                return self.rows[_norm_key(k)]
        return None


def _norm_key(k: str) -> str:
    return re.sub(r"\s+", "", k).upper()


def parse_mapping(text: str | None) -> dict[str, str]:
    """'title=Title,date=Doc Date' → {'title': 'Title', 'date': 'Doc Date'} (NARA's names for the rest)."""
    cols = dict(NARA_COLUMNS)
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, col = part.partition("=")
        name = name.strip().lower().replace("-", "_")
        if not sep or name not in FIELDS:
            raise CatalogError(f"--catalog-map: {part.strip()!r} is not FIELD=Column (fields: {', '.join(FIELDS)})")
        cols[name] = col.strip()
    return cols


@functools.lru_cache(maxsize=4)
def load_catalog(path: str, key: str, mapping: str | None = None) -> Catalog:
    """Read a CSV catalogue (UTF-8, with a header row) keyed by the `key` column."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise CatalogError(f"{path}: cannot read the catalogue: {e.strerror or e}") from None
    text = raw.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    if key not in header:
        raise CatalogError(f"{path}: no column {key!r} (columns: {', '.join(header)})")
    cat = Catalog(str(p), key, parse_mapping(mapping), sha256=hashlib.sha256(raw).hexdigest())
    for row in reader:
        k = (row.get(key) or "").strip()
        if k:
            cat.rows[_norm_key(k)] = {c: (v or "").strip() for c, v in row.items() if c}
    return cat


def catalog_date(text: str) -> DocDate | None:
    """NARA's MM/DD/YYYY with 00 for an unknown month or day; ISO; or a date as written."""
    s = text.strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        mo, d, y = int(m.group(1)), int(m.group(2)), m.group(3)
        iso = y + (f"-{mo:02d}" if mo else "") + (f"-{d:02d}" if mo and d else "")
        return parse_iso(iso, s) if int(y) > 0 else None
    return parse_iso(s, s) or parse_written_date(s)


def _same(a: Any, b: Any) -> bool:
    def norm(v: Any) -> str:
        return re.sub(r"[^A-Z0-9]+", "", str(v).upper()).lstrip("0")

    return norm(a) == norm(b)


def apply_catalog(doc: Document, cat: Catalog) -> bool:
    """Give a document its catalogue row's values, keeping the page's beside them; False if no row."""
    stem = Path(doc.file.path).name.split("!")[-1].rsplit(".", 1)[0] if doc.file else None
    row = cat.lookup(stem, doc.metadata.get("record_number"), doc.id.rsplit("/", 1)[-1])
    if row is None:
        return False
    form = doc.metadata.get("form") or {}
    page: dict[str, Any] = {
        "title": doc.title,
        "date": doc.date.start if doc.date else None,
        "from": doc.originator,
        "to": doc.recipient,
        "file_number": (form.get("file_numbers") or [None])[0],
        "type": doc.doc_type,
    }
    values = {f: row.get(col, "") for f, col in cat.columns.items() if row.get(col, "")}
    diffs = []
    for f in FIELDS:
        cv, pv = values.get(f), page.get(f)
        if f == "date" and cv:
            d = catalog_date(cv)
            cv = d.start if d else cv
        if f == "file_number" and cv and form.get("file_numbers"):
            if any(_same(cv, x) for x in form["file_numbers"]):
                continue
        if cv and pv and not _same(cv, pv):
            diffs.append({"field": f, "catalog": cv, "page": pv})
    if "title" in values:
        doc.title = values["title"]
    if "date" in values:
        d = catalog_date(values["date"])
        if d is not None:
            doc.date = d
            doc.metadata["date_source"] = "catalog"
    if "from" in values:
        doc.originator = values["from"]
    if "to" in values:
        doc.recipient = values["to"]
    if "type" in values:
        doc.doc_type = values["type"]
    if "file_number" in values:
        doc.metadata["file_number"] = values["file_number"]
    doc.metadata["page_values"] = {k: v for k, v in page.items() if v}
    doc.metadata["catalog"] = {"source": Path(cat.path).name, "key": cat.key, "row": row}
    doc.metadata["catalog_differences"] = diffs
    return True
