"""Search: the query language (query.py), its compilation for the index (engine.py), the result object
(result.py), facets and snippets. `Archive.search()` is the one entry point every interface uses."""

from .result import Facet, FacetValue, Highlight, Hit, Paragraph, SearchResult, Snippet

__all__ = ["Facet", "FacetValue", "Highlight", "Hit", "Paragraph", "SearchResult", "Snippet"]
