"""Which person a name means: the document's own context first, then dated authorities, then the collection.

A person mention found by the patterns of `entities.py` is only a name as written ("Mr. Seward", "the
Ambassador (Sharp)", "Frederick W. Seward"). This module decides the entity it points to:

1. A name with a given name or initials is its own key: `person:f-seward` for "Frederick W. Seward" and
   "F. W. Seward", `person:w-seward` for "William H. Seward" — two people, two entities.
2. A surname alone, or after a title ("Mr. Seward"), resolves to the full name the same document
   introduced (the nearest earlier one, else the only one in the document).
3. Failing that, to a statesman of `data/statesmen.json` with that surname in office around the
   document's year (Wilson in 1917 is Woodrow Wilson, in 1965 Harold Wilson) when exactly one fits.
4. Failing that, to the one full name of that surname seen in earlier documents of the collection.
5. Otherwise it stays the surname entity (`person:seward`), marked `ambiguous` when two or more people
   of that name are known: a historian's index keeps unknowns apart rather than guessing.

Women named by a title ("Mrs. Wilson", "Madame Sun") are never resolved to a man's full name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .gazetteer import slug

DATA = Path(__file__).with_name("data") / "statesmen.json"

FEMALE_TITLES = {"Mrs", "Miss", "Ms", "Madame", "Mme", "Mlle", "Lady", "Dame", "Señora", "Doña", "Frau",
                 "Baroness", "Countess", "Princess", "Queen", "Empress", "Duchess", "Marchioness", "Signora"}
FEMALE_GIVEN = set("""Abby Ada Alice Anna Anne Catherine Charlotte Clara Dorothy Edith Eleanor Elizabeth Emma Eva
Florence Frances Grace Golda Helen Indira Jane Jeane Julia Katharine Louise Margaret Maria Marie Mary Matilda Nina
Ruth Sarah Victoria Benazir""".split())
# Family name first: "Chiang Kai-shek", "Li Don Gen", "Ngo Dinh Diem", "Kim Il Sung".
EAST_ASIAN_SURNAMES = set("""Chiang Chou Chu Chang Chen Cheng Hsu Huang Kung Kuo Li Lin Liu Lu Ma Mao Soong Sun Sung
T'ang Tang Teng Ts'ai Tsai Tuan Wang Wu Yen Yuan Zhou Zhu Deng Kim Park Pak Rhee Ngo Nguyen Pham Tran Le Ho
Yi Yu Hu Ho Koo Sze Wellington""".split()) - {"Wellington"}
# Two-word surnames written without a hyphen: "Sir Cecil Spring Rice" is Spring Rice, not Rice.
COMPOUND_SURNAMES = {"Spring Rice", "Lloyd George", "Bonar Law", "Mendès France", "Mendes France", "Vane Tempest",
                     "Baden Powell", "Campbell Bannerman", "Douglas Home", "Selwyn Lloyd"}
# A title and a given name alone ("Lord Robert", "Sir Edward") name the titled man introduced in full.
GIVEN_TITLES = {"Lord", "Sir", "Lady", "Dame", "Don", "Dom"}
# Years either side of an office in which a bare surname may still mean its holder.
BEFORE, AFTER = 5, 10
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Statesman:
    id: str
    name: str
    surname: str
    find_surname: bool
    forms: tuple[str, ...]
    offices: tuple[tuple[str, str, int, int], ...]
    source: str

    def fits(self, year: int | None) -> bool:
        if year is None or not self.offices:
            return True
        return any(a - BEFORE <= year <= b + AFTER for _, _, a, b in self.offices)

    def record(self) -> dict:
        """What an entity record takes from the list: dates, offices, the source named."""
        return {"offices": [{"post": p, "country": c, "from": a, "to": b} for p, c, a, b in self.offices],
                "source": self.source}


@lru_cache(maxsize=1)
def statesmen() -> tuple[dict[str, str], list[Statesman]]:
    """(source key → citation, people) from the packaged list."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    people = [Statesman(f"person:{p['id']}", p["name"], p["surname"], p["find_surname"], tuple(p["forms"]),
                        tuple((o["post"], o["country"], o["from"], o["to"]) for o in p["offices"]), p["source"])
              for p in data["people"]]
    return data["sources"], people


@lru_cache(maxsize=1)
def _statesmen_index() -> tuple[dict[str, list[Statesman]], dict[str, Statesman], dict[str, Statesman]]:
    _, people = statesmen()
    by_surname: dict[str, list[Statesman]] = {}
    by_form: dict[str, Statesman] = {}
    by_id: dict[str, Statesman] = {}
    for p in people:
        by_surname.setdefault(p.surname, []).append(p)
        by_id[p.id] = p
        for f in (p.name, *p.forms):
            by_form.setdefault(f, p)
    return by_surname, by_form, by_id


def statesman(entity_id: str) -> Statesman | None:
    return _statesmen_index()[2].get(entity_id)


def strip_possessive(name: str) -> str:
    """"Eisenhower's" → "Eisenhower"; "Dulles'" → "Dulles"."""
    return _POSSESSIVE.sub("", name) if len(name) > 3 else name


@dataclass
class ParsedName:
    given: list[str]
    surname: str
    female: bool
    full: str  # the name as it should be displayed

    @property
    def key(self) -> str:
        """The surname as matched across mentions (case-folded, accents kept out)."""
        return slug(self.surname)


def parse(name: str, title: str | None = None, particles: frozenset[str] = frozenset()) -> ParsedName:
    """Split a name as written (no title) into given names and surname."""
    toks = strip_possessive(name).split()
    t = (title or "").rstrip(".")
    female = t in FEMALE_TITLES
    if len(toks) >= 2 and toks[0] in EAST_ASIAN_SURNAMES and (
            any("-" in x for x in toks[1:]) or all(len(x) <= 4 for x in toks)):
        return ParsedName(toks[1:], toks[0], female, " ".join(toks))
    while toks and toks[-1].rstrip(".,").lower() in ("jr", "sr", "ii", "iii"):
        toks.pop()
    if not toks:
        return ParsedName([], name, female, name)
    i = len(toks) - 1
    if len(toks) >= 2 and " ".join(toks[-2:]) in COMPOUND_SURNAMES:
        i -= 1
    while i > 0 and toks[i - 1].lower() in particles:
        i -= 1
    given = toks[:i]
    if given and given[0].rstrip(".") in FEMALE_GIVEN:
        female = True
    return ParsedName(given, " ".join(toks[i:]), female, " ".join(toks))


def full_id(p: ParsedName, title: str | None) -> str:
    """The key of a name with given names or initials: first initial and surname (`person:w-seward`);
    a name written family name first keeps its whole form (`person:chiang-kai-shek`)."""
    if p.given and p.full.split()[0] == p.surname:
        return f"person:{slug(p.full)}"
    parts = []
    t = (title or "").rstrip(".")
    if p.female and t in FEMALE_TITLES:
        parts.append(slug(t))
    if p.given:
        parts.append(slug(p.given[0])[:1])
    parts.append(slug(p.surname))
    return "person:" + "-".join(x for x in parts if x)


@dataclass
class CollectionMemory:
    """Full names seen in earlier documents of one collection: surname key → {entity id: label}."""

    full: dict[str, dict[str, str]] = field(default_factory=dict)
    limit: int = 100_000
    titles: dict[str, set[str]] = field(default_factory=dict)  # entity id → ranks it was named with

    def add(self, key: str, eid: str, label: str) -> None:
        if len(self.full) < self.limit or key in self.full:
            self.full.setdefault(key, {}).setdefault(eid, label)


# Courtesy titles say nothing of which man of a surname is meant; ranks and offices do ("General Bliss").
_COURTESY = {"Mr", "Messrs", "M", "MM", "Hon", "Señor", "Senor", "Herr", "Monsieur", "Signor", "Esq"}
_RANK_ABBR = {"Gen": "General", "Col": "Colonel", "Adm": "Admiral", "Capt": "Captain", "Maj": "Major",
              "Lt": "Lieutenant", "Lieut": "Lieutenant", "Comdr": "Commander", "Prof": "Professor",
              "Rev": "Reverend"}


def _rank(title: str | None) -> str | None:
    t = (title or "").rstrip(".")
    if not t or t in _COURTESY or t in FEMALE_TITLES:
        return None
    return _RANK_ABBR.get(t, t)


def _by_rank(ids: set[str] | list[str], rank: str | None, seen: dict[str, set[str]]) -> str | None:
    """Of several people of one surname, the only one named with this rank before ("General Bliss" is
    the General Tasker H. Bliss of the collection, not the diplomat Robert Woods Bliss)."""
    if rank is None:
        return None
    hits = [i for i in ids if rank in seen.get(i, ())]
    return hits[0] if len(hits) == 1 else None


@dataclass
class Mention:
    """One person mention as the linker sees it; `id`, `name`, `source`, `ambiguous` are its output."""

    start: int
    name: str  # as written, no title
    title: str | None
    id: str
    label: str
    source: str
    fixed: bool  # the id comes from an authority entry and stays
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()
    speaker: Any = None  # the UN table's person (`un_people.SpeakerPerson`), where the table resolved it


def link(mentions: list[Mention], year: int | None, memory: CollectionMemory,
         particles: frozenset[str] = frozenset(), speakers: Any = None,
         code: str | None = None) -> None:
    """Set each mention's id and label in place (mentions in document order). `speakers` (the UN table's
    people, `un_people`) is asked after the document itself and before the statesmen list; `code` is the
    document's state, preferred among speakers of one surname."""
    by_surname, by_form, _ = _statesmen_index()
    parsed = [parse(m.name, m.title, particles) for m in mentions]
    # Pass 1: full names (and authority ids) introduce people in this document.
    introduced: dict[str, list[tuple[int, str, str, bool]]] = {}  # key -> [(start, id, label, female)]
    for m, p in zip(mentions, parsed, strict=True):
        if m.fixed:
            for k in {p.key, bare_key(p, particles)}:
                introduced.setdefault(k, []).append((m.start, m.id, m.label, p.female))
            continue
        if not p.given:
            continue
        st = by_form.get(p.full) or by_form.get(m.name)
        if st is None:
            cands = [s for s in by_surname.get(p.surname, ()) if s.fits(year) and _initial_agrees(s, p)]
            st = cands[0] if len(cands) == 1 and not p.female else None
        sp = speakers.resolve(p.surname, year, p.given, p.female, code)[0] if speakers and st is None else None
        if st is not None and st.fits(year):
            m.id, m.label, m.source = st.id, st.name, "statesmen"
        elif sp is not None:
            m.id, m.label, m.source, m.speaker = sp.id, sp.label, "un-speakers", sp
        else:
            m.id, m.label = full_id(p, m.title), _display(p, m.title)
        for k in {p.key, bare_key(p, particles)}:
            introduced.setdefault(k, []).append((m.start, m.id, m.label, p.female))
    ranks: dict[str, set[str]] = {}  # ranks this document gives its full names ("General Tasker H. Bliss")
    for m, p in zip(mentions, parsed, strict=True):
        if (m.fixed or p.given) and _rank(m.title):
            ranks.setdefault(m.id, set()).add(_rank(m.title))
    # Pass 2: surnames alone.
    for m, p in zip(mentions, parsed, strict=True):
        if m.fixed or p.given:
            continue
        if (m.title or "").rstrip(".") in GIVEN_TITLES and " " not in p.full:
            hit = _by_given(p.full, mentions, parsed, m.start) or _by_given_memory(p.full, memory)
            if hit:
                m.id, m.label, m.source = hit[0], hit[1], "in-document"
                continue
        female = p.female
        here = [x for x in introduced.get(p.key, ()) if x[3] == female]
        before = [x for x in here if x[0] < m.start]
        if before:
            _, m.id, m.label, _ = before[-1]
            if len({x[1] for x in before}) > 1:  # the rank, where it tells them apart, before the nearest
                hit = _by_rank({x[1] for x in before}, _rank(m.title), {**memory.titles, **ranks})
                if hit:
                    m.id, m.label = hit, next(x[2] for x in before if x[1] == hit)
            m.source = "in-document"
            continue
        if len({x[1] for x in here}) == 1:
            _, m.id, m.label, _ = here[0]
            m.source = "in-document"
            continue
        if len({x[1] for x in here}) > 1:
            hit = _by_rank({x[1] for x in here}, _rank(m.title), {**memory.titles, **ranks})
            if hit:
                m.id, m.label = hit, next(x[2] for x in here if x[1] == hit)
                m.source = "in-document"
                continue
            m.id, m.label, m.ambiguous = _surname_id(p, m.title), _display(p, m.title), True
            m.candidates = tuple(sorted({x[1] for x in here}))
            continue
        if speakers is not None:
            sp, cands = speakers.resolve(p.surname, year, (), female, code)
            if sp is not None:
                m.id, m.label, m.source, m.speaker = sp.id, sp.label, "un-speakers", sp
                continue
            if len(cands) > 1:  # two speakers of that surname at those sessions: kept apart
                m.id, m.label, m.ambiguous = _surname_id(p, m.title), _display(p, m.title), True
                m.candidates = tuple(sorted({c.id for c in cands}))
                continue
        if female:
            m.id, m.label = _surname_id(p, m.title), _display(p, m.title)
            continue
        known = _distinct(memory.full.get(p.key, {}), particles)
        # A telegram's signature is its sender, a diplomat, not the head of state of the same name; and a
        # statesman is not assumed where the collection already knows someone else of that surname.
        sts = [s for s in by_surname.get(p.surname, ()) if s.fits(year)] if m.source != "signature" else []
        others = [k for k in known if k not in {s.id for s in sts}]
        in_office = [s for s in sts if year is not None and any(a <= year <= b for _, _, a, b in s.offices)]
        if len(in_office) == 1 and len(sts) == 1:
            m.id, m.label, m.source = sts[0].id, sts[0].name, "statesmen"
            continue
        if len(sts) == 1 and not others and (year is not None or len(by_surname[p.surname]) == 1):
            m.id, m.label, m.source = sts[0].id, sts[0].name, "statesmen"
            continue
        if len(sts) > 1:
            m.ambiguous, m.candidates = True, tuple(s.id for s in sts)
        elif len(known) == 1:
            (m.id, m.label), = known.items()
            m.source = "collection"
            continue
        elif len(known) > 1:
            hit = _by_rank(list(known), _rank(m.title), memory.titles)
            if hit:
                m.id, m.label, m.source = hit, known[hit], "collection"
                continue
            m.ambiguous, m.candidates = True, tuple(sorted(known))
        m.id, m.label = _surname_id(p, m.title), _display(p, m.title)
    for m, p in zip(mentions, parsed, strict=True):
        if (m.fixed or p.given) and not p.female:
            for k in {p.key, bare_key(p, particles)}:
                memory.add(k, m.id, m.label)
        rank = _rank(m.title)
        if rank and not m.ambiguous and m.id != _surname_id(p, m.title) and len(memory.titles) < memory.limit:
            memory.titles.setdefault(m.id, set()).add(rank)


def _distinct(known: dict[str, str], particles: frozenset[str]) -> dict[str, str]:
    """The collection's full names of one surname, less those whose given names are all within another's
    ("Nelson Page" beside "Thos. Nelson Page"): one person written two ways is no ambiguity."""
    if len(known) < 2:
        return known
    given = {eid: parse(label, None, particles).given for eid, label in known.items()}
    drop = set()
    for a in known:
        for b in known:
            if a != b and _given_within(given[a], given[b]):
                # the authority's id stands for both: "Nikita Khrushchev" of the list, "Nikita S." as written
                drop.add(b if is_authority_id(a) and not is_authority_id(b) else a)
    return {eid: label for eid, label in known.items() if eid not in drop}


def _by_given(given: str, mentions: list[Mention], parsed: list[ParsedName], before: int) -> tuple[str, str] | None:
    ids = {(m.id, m.label) for m, p in zip(mentions, parsed, strict=True)
           if p.given and p.given[0] == given and (m.fixed or m.start < before)}
    return next(iter(ids)) if len(ids) == 1 else None


def _by_given_memory(given: str, memory: CollectionMemory) -> tuple[str, str] | None:
    ids = {(eid, label) for known in memory.full.values() for eid, label in known.items()
           if label.split()[0] == given}
    return next(iter(ids)) if len(ids) == 1 else None


def _initial_agrees(s: Statesman, p: ParsedName) -> bool:
    """"W. Wilson", "Woodrow Wilson" may be Woodrow Wilson; "W. P. G. Harding" is not Warren G. Harding."""
    theirs = [g for g in s.name.split()[:-1] if g[:1].isupper()]
    if not p.given or not theirs:
        return False
    mine = [g for g in " ".join(p.given).replace(".", ". ").split()]
    if any(len(g.rstrip(".")) > 1 and g not in theirs for g in mine[:1]):
        return False  # a given name written out must be the statesman's
    if len(mine[0].rstrip(".")) > 1 and mine[0] == theirs[0] and all(len(g.rstrip(".")) == 1 for g in mine[1:]):
        return True  # "Nikita S. Khrushchev" is the list's "Nikita Khrushchev": a middle initial the list omits
    ini_mine = [g[0].upper() for g in mine]
    ini_theirs = [g[0].upper() for g in theirs]
    return ini_mine == ini_theirs or len(ini_mine) == 1 and ini_mine[0] == ini_theirs[0]


def _surname_id(p: ParsedName, title: str | None) -> str:
    t = (title or "").rstrip(".")
    if p.female and t in FEMALE_TITLES:
        return f"person:{slug(t)}-{slug(p.surname)}"
    return f"person:{slug(p.surname)}"


def _display(p: ParsedName, title: str | None) -> str:
    t = (title or "").rstrip(".")
    if p.female and t in FEMALE_TITLES:
        return f"{title} {p.full}"
    return p.full


def bare_key(p: ParsedName, particles: frozenset[str]) -> str:
    """The surname key without its particles: "Charles de Chambrun" is "Chambrun" when named by surname
    alone, as French and Spanish usage has it."""
    toks = p.surname.split()
    while len(toks) > 1 and toks[0].lower() in particles:
        toks.pop(0)
    return slug(" ".join(toks))


def _parse_label(label: str, particles: frozenset[str]) -> ParsedName:
    """A label as `link` writes it: a woman named by a title keeps the title in front ("Mrs. Grew")."""
    first, _, rest = label.partition(" ")
    if rest and first.rstrip(".") in FEMALE_TITLES:
        return parse(rest, first, particles)
    return parse(label, None, particles)


def is_authority_id(eid: str) -> bool:
    """An id an authority gave (statesmen list, a FRUS persons list, the UN speakers table): never merged
    into a pattern-made id, only the other way round."""
    return statesman(eid) is not None or "#" in eid or eid.startswith("person:un-")


def _given_within(short: list[str], long: list[str]) -> bool:
    """"Nelson" within "Thos. Nelson", "Ali-Kuli" within "Mirza Ali-Kuli": every given name of the shorter
    form written out in full and found, in order, among the longer form's, which has more."""
    if not short or len(short) >= len(long) or any(len(g.rstrip(".")) < 2 or g.endswith(".") for g in short):
        return False
    i = 0
    for g in long:
        if i < len(short) and g == short[i]:
            i += 1
    return i == len(short)


def consolidate(labels: dict[str, str],
                particles: frozenset[str] = frozenset()) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Across one collection: which entities to merge, and the surname entities left apart because the
    collection knows several people of that surname.

    `labels` maps person entity id → preferred label. Returns (id → id it joins, surname id → candidates).
    Two merges: a full name whose given names are all, in order, among another's of the same surname joins
    it when that other is the only one ("Nelson Page" → "Thos. Nelson Page"); then a surname entity joins the
    one full name of that surname left, its particles aside ("Chambrun" → "Charles de Chambrun"). A woman
    named by a title ("person:mrs-wilson") is never merged and is no candidate: "Mrs. Grew" does not make
    "Grew" ambiguous. An authority's id is never merged into another.
    """
    full_by_key: dict[str, set[str]] = {}
    given: dict[str, list[str]] = {}
    surname_ids: dict[str, str] = {}
    for eid, label in labels.items():
        p = _parse_label(label, particles)
        if p.female:
            continue
        if eid == f"person:{p.key}" and not p.given:
            surname_ids[eid] = p.key
        elif p.given:
            given[eid] = p.given
            for k in {p.key, bare_key(p, particles)}:
                full_by_key.setdefault(k, set()).add(eid)
    merge: dict[str, str] = {}
    for ids in full_by_key.values():
        for a in sorted(ids):
            if a in merge:
                continue
            into = [b for b in ids if b != a and _given_within(given[a], given[b])]
            if len(into) != 1 or into[0] in merge:
                continue
            if not is_authority_id(a):
                merge[a] = into[0]
            elif not is_authority_id(into[0]):
                merge[into[0]] = a  # the authority's id stands: "Nikita S. Khrushchev" joins "Nikita Khrushchev"
    for a, b in list(merge.items()):
        seen = {a}
        while b in merge and b not in seen:
            seen.add(b)
            b = merge[b]
        merge[a] = b
    ambiguous: dict[str, list[str]] = {}
    for eid, key in surname_ids.items():
        cands = {merge.get(c, c) for c in full_by_key.get(key, set())}
        if len(cands) == 1:
            merge[eid] = next(iter(cands))
        elif cands:
            ambiguous[eid] = sorted(cands)
    return merge, ambiguous
