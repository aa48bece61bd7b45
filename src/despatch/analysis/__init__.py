"""Analysis of an archive: trends, keyness, collocates, concordances, co-occurrence networks and
judgment profiles (see docs/analysis.md).

Every function takes an `Archive` and works through its public interface: counts and matching units
from the search engine (`Archive.count`, `Archive.matches`), texts and annotations from the store
(`Archive.iter_keyed`), and a token corpus derived from them (corpus.py). Every result says what it
was computed on (query, filters, corpus size and index version) so that a figure can be cited.
"""

from .collocates import collocates
from .judgments import judgments
from .keyness import keyness
from .kwic import concordance
from .network import network
from .trend import trend

__all__ = ["collocates", "concordance", "judgments", "keyness", "network", "trend"]
