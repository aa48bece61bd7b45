"""Ways into an archive beyond a search: documents like a given one, an entity's page, a timeline.

Library functions over `Archive` (and its search), so the CLI (`despatch similar`, `despatch entity`,
`despatch timeline`), the reading room and the JSON API show the same thing; each result has `to_dict()`.
"""

from .entity import EntityPage, Mention, entity_key, entity_page
from .similar import SimilarDocuments, SimilarPassage, similar, similar_paragraphs, similar_query
from .timeline import Timeline, timeline, year_bars

__all__ = ["EntityPage", "Mention", "SimilarDocuments", "SimilarPassage", "Timeline", "entity_key", "entity_page",
           "similar", "similar_paragraphs", "similar_query", "timeline", "year_bars"]
