"""From a hit to the passage: every match of a query in one document, as the snippets mark them.

The reading room opens a document found by a search at its first match (a paragraph-level hit at the
first match in its paragraph) with every match marked, "match 3 of 17" and next/previous; the API returns
the same offsets. The matches come from the snippets' own `Matcher` (stems, exact forms, prefixes,
phrases, compounds), so the document marks exactly what the result list marked and counted.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from .query import parse
from .snippets import Matcher


@dataclass
class Matches:
    """The matches of `query` in a document's text: half-open str offsets, in order, not overlapping."""

    query: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    at: int | None = None  # where the reader asked to start (a paragraph's start offset), if anywhere

    @property
    def count(self) -> int:
        return len(self.spans)

    @property
    def first(self) -> int | None:
        """0-based index of the match to open at: the first at or after `at` (else the first of all)."""
        if not self.spans:
            return None
        if self.at is None:
            return 0
        i = bisect_left([s for s, _ in self.spans], self.at)
        return i if i < len(self.spans) else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "count": self.count,
            "first": self.first,
            "at": self.at,
            "offsets": [[s, e] for s, e in self.spans],
        }


def find_matches(text: str, query: str, at: int | None = None, meta_keys: set[str] | None = None) -> Matches:
    """Every match of `query` in `text` (raises `QueryError` for a malformed query).

    `meta_keys`: the archive's metadata keys (the index knows them), so `Note: ...` parses as the search
    parsed it; `at`: a paragraph's start, to open there.
    """
    tree = parse(query, meta_keys=meta_keys).tree
    return Matches(query, Matcher(tree).find(text), at)
