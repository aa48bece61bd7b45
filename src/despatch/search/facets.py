"""Facet counts over the whole result set, from the index's columnar fields.

Every count is over all hits, not a sample. The only bound: each index segment proposes its top
values for a facet (years: all of them; collection, classification, type, language, country: top
1,000; persons, places, organisations: top 200). When that can make a shown count low, the facet says
so (`exact=False` and a `note` with the largest possible error) instead of hiding it.
"""

from __future__ import annotations

from typing import Any

import tantivy

from ..annotation_types import ANNOTATION_TYPES
from .result import Facet, FacetValue

# facet name → (index field, filter field, values shown, per-segment candidates)
FACETS: dict[str, tuple[str, str, int, int]] = {
    "year": ("year", "year", 10_000, 10_000),
    "decade": ("year", "decade", 1_000, 10_000),
    "collection": ("f_collection", "collection", 50, 1_000),
    "classification": ("f_classification", "classification", 50, 1_000),
    "doc_type": ("f_type", "type", 50, 1_000),
    "language": ("f_lang", "lang", 50, 1_000),
    "country": ("f_country", "country", 300, 1_000),
    # Scanned and declassified records: has redactions (metadata "redacted"), and the exemptions cited.
    "redacted": ("f_redacted", "redacted", 5, 100),
    "exemption": ("f_exemptions", "exemptions", 50, 1_000),
    **{t.facet: (f"f_{t.name}", t.search_field or t.name, 10, 200) for t in ANNOTATION_TYPES.values() if t.facet},
}
DEFAULT_FACETS = list(FACETS)
SINGLE_VALUED = {"year", "decade", "collection", "classification", "doc_type", "language", "country", "redacted"}


def _filter(field: str, value: str) -> str:
    # Quoted when the value holds a space, a colon or brackets (an exemption such as "(b)(3)").
    return f'{field}:"{value}"' if any(c in value for c in ' :()[]"') else f"{field}:{value}"


def count_facets(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    names: list[str],
    total: int,
    applied: list[str],
    by: str,
    present: set[str] | None = None,
) -> list[Facet]:
    """Count `names` over every hit of `query`. A facet whose column no indexed document ever filled
    (`present`) is answered without reading the index: no values, all hits missing — exact."""
    spec: dict[str, Any] = {}
    for name in names:
        field, _, size, seg = FACETS["year" if name == "decade" else name]
        if present is not None and field not in present:
            continue
        key = "year" if name == "decade" else name
        spec[key] = {"terms": {"field": field, "size": size, "segment_size": seg}}
    raw = searcher.aggregate(query, spec) if spec else {}
    unit = "paragraphs" if by == "paragraph" else "documents"
    out = []
    for name in names:
        r = raw.get("year" if name == "decade" else name, {})
        buckets = [(str(b["key"]), int(b["doc_count"])) for b in r.get("buckets", [])]
        err = int(r.get("doc_count_error_upper_bound") or 0)
        other = int(r.get("sum_other_doc_count") or 0)
        _, ffield, size, _ = FACETS[name]
        if name in ("year", "decade"):
            if name == "decade":
                dec: dict[str, int] = {}
                for y, c in buckets:
                    d = f"{int(y) // 10 * 10}s"
                    dec[d] = dec.get(d, 0) + c
                buckets = list(dec.items())
            buckets.sort()
        facet = Facet(name=name)
        for v, c in buckets[:size]:
            f = _filter(ffield, v)
            facet.values.append(FacetValue(value=v, count=c, filter=f, selected=f in applied))
        facet.other = other + sum(c for _, c in buckets[size:])
        if name in SINGLE_VALUED:
            facet.missing = max(0, total - sum(c for _, c in buckets) - other)
        if err:
            facet.exact = False
            facet.note = (
                f"counts of the top values may be low by up to {err} {unit} (values spread over index segments)"
            )
        out.append(facet)
    return out
