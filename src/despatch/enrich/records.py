"""Entity records: one per person, place and organisation of the archive, rebuilt after every enrichment.

`refresh_entities(archive)` runs after `despatch enrich` and after an ingest with enrichment:

1. per collection, a surname entity (`person:seward`) joins the one full name of that surname the
   collection knows (`person:w-seward`); where it knows several, the surname entity stays apart and is
   marked ambiguous with the candidates named (`linking.consolidate`);
2. the curation layer is applied, in order (`replay.apply`), so a user's merges, splits, renames and
   "not an entity" marks survive any re-enrichment;
3. the records are written: preferred label, variants with counts, documents, documents per year,
   sources, dates and offices from the statesmen list, external ids from authority lists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..store import Archive
from ..store.base import EntityRecord
from ..un_speakers import TABLE_NAME
from . import linking
from .gazetteer import NAMES_IN_TIME, build, build_core
from .replay import apply

_PATTERN_SOURCES = {"title", "initials", "given-name", "office", "signature", "surname", "peerage", "in-document",
                    "collection", "context", "known-name", "initials-of", "salutation"}


@dataclass
class RefreshSummary:
    entities: int = 0
    merged: int = 0  # mentions re-pointed by the collection pass
    curated: int = 0  # mentions changed by the curation layer


def consolidate_archive(archive: Archive) -> int:
    """Step 1: join surname entities to the collection's one full name of that surname."""
    from .entities import _PARTS_FROZEN

    labels: dict[str, dict[str, Counter[str]]] = {}
    for m in archive.iter_entity_mentions():
        if m.type == "person":
            labels.setdefault(m.collection, {}).setdefault(m.value["id"], Counter())[m.value.get("name") or m.text] += 1
    n = 0
    for coll, by_id in labels.items():
        best = {eid: c.most_common(1)[0][0] for eid, c in by_id.items()}
        merge, _ = linking.consolidate(best, _PARTS_FROZEN)
        if merge:
            n += archive.relink_entities({old: (new, best[new]) for old, new in merge.items()}, coll)
    return n


def build_records(archive: Archive) -> list[EntityRecord]:
    """Step 3: aggregate the mentions into records."""
    from .entities import _PARTS_FROZEN

    recs: dict[str, EntityRecord] = {}
    names: dict[str, Counter[str]] = {}
    docs: dict[str, set[str]] = {}
    years: dict[str, Counter[str]] = {}
    sources: dict[str, set[str]] = {}
    ambiguous: dict[str, set[str]] = {}
    un_sessions: dict[str, dict[tuple[str, int], dict]] = {}  # the UN speakers table's sessions, by entity
    for m in archive.iter_entity_mentions():
        eid = m.value["id"]
        r = recs.get(eid)
        if r is None:
            r = recs[eid] = EntityRecord(eid, m.type, "")
            names[eid], docs[eid], years[eid], sources[eid] = Counter(), set(), Counter(), set()
        r.mentions += 1
        surface = " ".join(m.text.split())
        r.variants[surface] = r.variants.get(surface, 0) + 1
        names[eid][m.value.get("name") or surface] += 1
        if m.doc_id not in docs[eid]:
            docs[eid].add(m.doc_id)
            if m.date and m.date[:4].isdigit():
                years[eid][m.date[:4]] += 1
        if m.collection not in r.collections:
            r.collections.append(m.collection)
        src = str(m.value.get("source") or "")
        sources[eid].add("patterns" if src in _PATTERN_SOURCES else src)
        if m.value.get("linked"):
            sources[eid].add(m.value["linked"] if m.value["linked"] not in _PATTERN_SOURCES else "patterns")
        if m.value.get("ambiguous"):
            ambiguous.setdefault(eid, set()).update(m.value.get("candidates") or [])
        for s in m.value.get("un_speaker") or ():
            un_sessions.setdefault(eid, {})[(s.get("code", ""), s["session"])] = s
    kinds = {e.id: e.kind for e in build_core().forms.values()}
    kinds.update({e.id: e.kind for e in build().forms.values() if e.id in recs and e.id not in kinds})
    # Ambiguous surname entities the collection pass left apart.
    person_labels = {eid: names[eid].most_common(1)[0][0] for eid in recs if recs[eid].type == "person"}
    _, amb = linking.consolidate(person_labels, _PARTS_FROZEN)
    for eid, cands in amb.items():
        ambiguous.setdefault(eid, set()).update(cands)
    out = []
    for eid, r in recs.items():
        r.documents = len(docs[eid])
        r.label = names[eid].most_common(1)[0][0]
        r.variants = dict(sorted(r.variants.items(), key=lambda kv: (-kv[1], kv[0])))
        r.years = dict(sorted(years[eid].items()))
        st = linking.statesman(eid)
        if st is not None:
            r.label = st.name
            r.dates = {"offices": st.record()["offices"]}
            sources[eid].add(f"statesmen: {linking.statesmen()[0].get(st.source, st.source)}")
        if eid in kinds or any(s.startswith("gazetteer") for s in sources[eid]):
            sources[eid].add("gazetteer")
            r.kind = kinds.get(eid, "")
        if eid in un_sessions:
            r.dates = {**(r.dates or {}), "un_speaker": [v for _, v in sorted(un_sessions[eid].items())]}
            sources[eid].add(f"UN speakers table ({TABLE_NAME})")
        if eid in NAMES_IN_TIME:
            r.dates = {"names": [{"name": n, "from": a, "to": b} for n, a, b in NAMES_IN_TIME[eid]]}
        if "#" in eid:  # a FRUS persons-list id: frus1919Parisv01#p_WW1
            r.external_ids["frus"] = eid.split(":", 1)[1]
        if eid in ambiguous:
            r.ambiguous = True
            r.candidates = sorted(c for c in ambiguous[eid] if c != eid)
        r.sources = sorted(s for s in sources[eid] if s and s not in ("statesmen", "statesmen-surname", "un-speakers")
                           and not s.startswith("gazetteer:"))
        out.append(r)
    out.sort(key=lambda r: (-r.mentions, r.id))
    return out


def refresh_entities(archive: Archive) -> RefreshSummary:
    """Steps 1–3; run after every enrichment (see the module docstring)."""
    s = RefreshSummary()
    s.merged = consolidate_archive(archive)
    s.curated, renames = apply(archive)
    records = build_records(archive)
    for r in records:
        if r.id in renames:
            r.label = renames[r.id]
            r.sources = sorted({*r.sources, "curation"})
    s.entities = archive.put_entities(records)
    return s
