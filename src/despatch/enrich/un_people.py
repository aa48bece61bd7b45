"""The UN speakers table as an authority for people: one person per speaker, with their posts and country.

`Speakers_by_session.xlsx` (read by `despatch.un_speakers`) names who spoke for each state in each session,
mostly as "Mr. Vyshinsky", sometimes in full ("Sir Mohammad Zafrulla Khan"). Rows become people so:

- rows of one state with the same surname are one person when their given names agree ("Mr. Zafrulla
  Khan", "Sir Mohammad Zafrulla Khan", "Sir Muhammad Zafrulla Khan": one; "Mr. Yaqub Khan" and
  "Mr. Imran Khan": two); a row without given names joins the person of that surname nearest in time, if
  within `GAP` years (the Philippines' "Mr. Romulo" of 1983 and of 1992 are two men);
- the same surname for two states is two people (Pakistan's Zafrulla Khan is not Bangladesh's Morshed Khan);
- a speaker who is on the packaged statesmen list (same surname, in office around those years, given names
  not contradicting) takes the statesman's id, so "Gromyko" in a 1962 speech and the USSR's speaker of
  1962 are one entity.

`SpeakerPeople.resolve(surname, year, given)` is what the entity linker asks: the one person of that surname
who spoke within `WINDOW` years of `year` (given names agreeing), or none, with the candidates, when several
fit — two Khans at the same sessions stay apart and the mention is marked ambiguous.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..un_speakers import Speaker, SpeakerTable, load_speaker_table
from .gazetteer import slug

#: Years either side of a person's sessions in which a bare surname may mean them.
WINDOW = 3
#: A row without given names is the same person as a row of that state and surname at most this many years
#: away; further, another person ("Mr. Romulo" of 1983 and of 1992 are Carlos and Roberto).
GAP = 6
_HONORIFICS = {"mr", "mir", "mrs", "ms", "miss", "sir", "dr", "h.e.", "he", "prince", "princess", "sheikh", "sheik",
               "shaikh", "lord", "lady", "dame", "baron", "count", "general", "gen", "king", "queen", "emir", "amir",
               "his", "her", "excellency", "majesty", "highness", "hon", "honourable", "honorable", "rt", "right",
               "monsieur", "m", "señor", "senor", "don", "dona", "doña", "u", "daw", "the", "reverend", "rev",
               "father", "archbishop", "bishop", "cardinal", "marshal", "colonel", "col", "major", "captain",
               "admiral", "field", "ambassador", "professor", "prof", "president", "dato", "datuk", "tun", "tan",
               "sri", "shri", "begum", "chief", "mme", "madame", "mlle", "herr", "frau"}
_AFTER_NAME = {"bey", "pasha", "effendi", "khan bahadur", "jr", "sr"}
_FEMALE = {"mrs", "ms", "miss", "lady", "dame", "princess", "queen", "mme", "madame", "mlle", "frau", "begum",
           "daw", "doña", "dona"}


@dataclass
class SpeakerPerson:
    id: str
    label: str  # the fullest name the table gives, without honorific
    surname: str
    given: tuple[str, ...]
    code: str
    country: str | None
    female: bool = False
    sessions: list[tuple[int, int, str | None]] = field(default_factory=list)  # (session, year, post)
    statesman: bool = False

    @property
    def years(self) -> tuple[int, int]:
        ys = [y for _, y, _ in self.sessions]
        return min(ys), max(ys)

    def near(self, year: int | None, window: int = WINDOW) -> bool:
        if year is None:
            return True
        return any(abs(y - year) <= window for _, y, _ in self.sessions)

    def record(self, year: int | None = None) -> list[dict]:
        """What an entity record takes from the table: the sessions (within `WINDOW` years of `year`, if
        given) with the post and the state the person spoke for."""
        return [{"session": s, "year": y, "post": p, "country": self.country or self.code, "code": self.code}
                for s, y, p in sorted(self.sessions) if year is None or abs(y - year) <= WINDOW]


def split_name(name: str) -> tuple[tuple[str, ...], str, bool]:
    """"Sir Mohammad Zafrulla Khan" → (("Mohammad", "Zafrulla"), "Khan", False); honorifics dropped."""
    toks = name.replace(".", ". ").split()
    female = any(t.lower().rstrip(".") in _FEMALE for t in toks[:2])
    while toks and toks[0].lower().rstrip(".,") in _HONORIFICS:
        toks = toks[1:]
    toks = [t.rstrip(",") for t in toks if t.rstrip(",")]
    while len(toks) > 1 and toks[-1].rstrip(".").lower() in _AFTER_NAME:
        toks.pop()  # "Salah-el-din Pasha", "Faris El-Khoury Bey": an honorific after the name
    if not toks:
        return (), name.strip(), female
    return tuple(toks[:-1]), toks[-1], female


def _token_agrees(a: str, b: str) -> bool:
    a, b = a.rstrip(".").lower(), b.rstrip(".").lower()
    if not a or not b:
        return True
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return a[0] == b[0] and difflib.SequenceMatcher(None, a, b).ratio() >= 0.75  # Mohammad / Muhammad


def given_agree(x: Iterable[str], y: Iterable[str]) -> bool:
    """Every given name (or initial) of the shorter has a counterpart in the longer, in order."""
    x, y = list(x), list(y)
    if len(x) > len(y):
        x, y = y, x
    j = 0
    for t in x:
        while j < len(y) and not _token_agrees(t, y[j]):
            j += 1
        if j == len(y):
            return False
        j += 1
    return True


class SpeakerPeople:
    """The table's speakers grouped into people (see the module docstring)."""

    def __init__(self, rows: Iterable[Speaker]) -> None:
        from . import linking

        by_key: dict[tuple[str, str], list[Speaker]] = {}
        for r in rows:
            given, surname, _ = split_name(r.name)
            by_key.setdefault((r.code, slug(surname)), []).append(r)
        st_by_surname, _, _ = linking._statesmen_index()
        self.people: list[SpeakerPerson] = []
        self._by_surname: dict[str, list[SpeakerPerson]] = {}
        for (code, _key), rs in sorted(by_key.items()):
            rs.sort(key=lambda r: r.session)
            group: list[SpeakerPerson] = []
            pending: list[Speaker] = []  # rows with no given names, placed after the named ones
            for r in rs:
                given, surname, female = split_name(r.name)
                if not given:
                    pending.append(r)
                    continue
                fits = [p for p in group if given_agree(given, p.given) and p.female == female]
                if fits:
                    p = min(fits, key=lambda p: min(abs(y - r.year) for _, y, _ in p.sessions))
                    if len(given) > len(p.given):
                        p.given, p.label = given, " ".join((*given, surname))
                else:
                    p = SpeakerPerson("", " ".join((*given, surname)), surname, given, code, r.country, female)
                    group.append(p)
                p.sessions.append((r.session, r.year, r.post))
            for r in pending:
                _, surname, female = split_name(r.name)
                fits = [p for p in group if p.female == female and p.near(r.year, GAP)]
                if fits:
                    p = min(fits, key=lambda p: min(abs(y - r.year) for _, y, _ in p.sessions))
                else:
                    p = SpeakerPerson("", surname, surname, (), code, r.country, female)
                    group.append(p)
                p.sessions.append((r.session, r.year, r.post))
            for p in group:
                first, last = p.years
                sts = [s for s in st_by_surname.get(p.surname, ())
                       if any(a - 2 <= last and first <= b + 2 for _, _, a, b in s.offices)
                       and given_agree(p.given, s.name.split()[:-1])]
                if len(sts) == 1:
                    p.id, p.label, p.statesman = sts[0].id, sts[0].name, True
                else:
                    given = slug(p.given[-1]) if p.given and len(p.given[-1].rstrip(".")) > 1 else ""
                    p.id = "person:un-" + "-".join(x for x in (code.lower(), given, slug(p.surname)) if x)
                self.people.append(p)
                self._by_surname.setdefault(slug(p.surname), []).append(p)
        # Two people given the same id (two "Mr. Khan" of one state, no given names): number them.
        seen: dict[str, int] = {}
        for p in self.people:
            if p.statesman:
                continue
            seen[p.id] = seen.get(p.id, 0) + 1
            if seen[p.id] > 1:
                p.id = f"{p.id}-{seen[p.id]}"
        self._by_id = {p.id: p for p in self.people}

    def __len__(self) -> int:
        return len(self.people)

    def get(self, entity_id: str) -> SpeakerPerson | None:
        return self._by_id.get(entity_id)

    def candidates(self, surname: str, year: int | None, given: Iterable[str] = (), female: bool = False,
                   code: str | None = None) -> list[SpeakerPerson]:
        given = tuple(given)
        out = [p for p in self._by_surname.get(slug(surname), ()) if p.near(year) and p.female == female
               and given_agree(given, p.given)]
        if given and len(out) > 1:  # "Zafrulla Khan": the speaker whose given names the table prints
            named = [p for p in out if p.given]
            out = named or out
        if code and len(out) > 1:
            own = [p for p in out if p.code == code]
            out = own or out
        return out

    def resolve(self, surname: str, year: int | None, given: Iterable[str] = (), female: bool = False,
                code: str | None = None) -> tuple[SpeakerPerson | None, list[SpeakerPerson]]:
        """(the person, all candidates): one candidate is the person; several stay apart."""
        cands = self.candidates(surname, year, given, female, code)
        if len({p.id for p in cands}) == 1:
            return cands[0], cands
        return None, cands


@lru_cache(maxsize=4)
def speaker_people(table_path: str) -> SpeakerPeople:
    """The people of one speakers table, once per process."""
    return SpeakerPeople(load_speaker_table(table_path))


def people_of(table: SpeakerTable) -> SpeakerPeople:
    return SpeakerPeople(table)
