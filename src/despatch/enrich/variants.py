"""Every name the gazetteer and the statesmen list know for an entity, so a field search finds them all.

`place:"Soviet Union"`, `place:USSR` and `place:"Union of Soviet Socialist Republics"` name one entity
(`place:ussr`); annotations carry that entity's preferred label ("USSR") as their name, so the search
index holds the label and a field query is widened to the labels of every entity the words name.
Case and accents do not matter ("soviet union" works).

Search does not import this module: it asks every registered name list (entry point group
`despatch.name_variants`, where `KnownNames` is registered as `gazetteer`), so the search layer stays
below enrichment and a project can add its own list of names as a plug-in.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", " ".join(s.split()).lower())
    return "".join(c for c in s if not unicodedata.combining(c)).removeprefix("the ")


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], set[str]]:
    from . import gazetteer, linking

    out: dict[tuple[str, str], set[str]] = {}
    for form, e in gazetteer.build_core().forms.items():
        out.setdefault((e.type, _fold(form)), set()).add(e.name)
    for name, forms in gazetteer.CITY_VARIANTS:  # Leningrad, Petrograd → Saint Petersburg
        for form in (name, *forms):
            out.setdefault(("place", _fold(form)), set()).add(name)
    for st in linking.statesmen()[1]:
        for form in (st.name, *st.forms):
            out.setdefault(("person", _fold(form)), set()).add(st.name)
    return out


def labels_for(type_: str, text: str) -> list[str]:
    """The preferred labels of the entities of this type that `text` names (empty when it names none)."""
    return sorted(_table().get((type_, _fold(text)), ()))


class KnownNames:
    """The name list registered as `gazetteer`: the gazetteer's and the statesmen list's forms."""

    def __call__(self, type_: str, text: str) -> list[str]:
        return labels_for(type_, text)
