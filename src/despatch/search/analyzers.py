"""How text becomes index terms: the three tantivy analyzers every part of search shares.

Kept apart from index.py so that the index, the query-time word forms (forms.py) and the snippet
matcher (snippets.py) all use one definition without importing each other.
"""

from __future__ import annotations

from typing import Any

import tantivy


def _analyzers() -> dict[str, Any]:
    T, F = tantivy.Tokenizer, tantivy.Filter
    return {
        # Words: case- and accent-insensitive, English stemming.
        "en": tantivy.TextAnalyzerBuilder(T.simple())
        .filter(F.remove_long(60))
        .filter(F.lowercase())
        .filter(F.ascii_fold())
        .filter(F.stemmer("english"))
        .build(),
        # Exact forms (=word, prefix*): case- and accent-insensitive, not stemmed.
        "exact": tantivy.TextAnalyzerBuilder(T.simple())
        .filter(F.remove_long(60))
        .filter(F.lowercase())
        .filter(F.ascii_fold())
        .build(),
        # Whole values (collection:frus, country:USA): one token, case- and accent-insensitive.
        "kw": tantivy.TextAnalyzerBuilder(T.raw()).filter(F.lowercase()).filter(F.ascii_fold()).build(),
    }


ANALYZERS = _analyzers()


def fold(value: str) -> str:
    """A keyword as the index holds it (lower case, accents folded)."""
    out = ANALYZERS["kw"].analyze(value)
    return out[0] if out else ""
