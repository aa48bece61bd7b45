"""People, places and organisations: gazetteer, authority lists and the patterns of diplomatic writing.

One Aho–Corasick pass finds every gazetteer and authority form in the text (case as written, whole
words); a handful of compiled regular expressions find people the way the documents name them — a
title or rank before a name ("Mr. DULLES", "President Wilson", "Colonel House"), initials
("G. M. Malenkov"), a given name ("Woodrow Wilson"), a name in brackets after an office ("The Ambassador
in Russia (Francis) to the Secretary of State"), a signature line. A surname learned from those is then
found again where the document uses it alone. Overlaps go to the stronger evidence, then the longer span.

Entity ids are stable within a collection: places and organisations take the gazetteer's id
("place:ussr" for the Soviet Union, USSR and U.S.S.R.), people an authority entry's id or, failing one,
their surname ("person:malenkov" for "Malenkov" and "G. M. Malenkov").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from ..annotation_types import ENTITY_TYPES
from ..model import Annotation, Document
from ..readers.base import AuthorityEntry
from ..un_speakers import TABLE_NAME, SpeakerTableError, find_speaker_table
from . import gazetteer as gz
from . import linking
from .names import GIVEN_NAMES, NOT_NAMES, PARTICLES, TITLES
from .un_people import SpeakerPeople, speaker_people

# Surnames that are also common capitalised words; allowed after initials or a title ("E. M. House").
SURNAME_OK = {"House", "Hall", "Day", "Long", "Young", "Hill", "West", "White", "Page", "Lane", "Castle", "Tower",
              "Power", "Chamber", "Bliss", "Grant", "Marshall", "Bishop", "Dean", "Major", "King"}
# Signature and heading lines that look like names but are not.
LINE_STOP = {"Top", "Secret", "Confidential", "Restricted", "Unclassified", "Strictly", "Paraphrase", "Personal",
             "Urgent", "Private", "Telegram", "Memorandum", "Enclosure", "Translation", "Untitled", "Annex",
             "Conclusions", "General", "Introduction", "Summary", "Signed", "Sir", "Excellency", "Gentlemen",
             "Note", "Notes", "Extract", "Copy", "Department", "State", "Same", "Secretary", "Received", "Sent",
             "Despatch", "Dispatch", "Washington", "Index", "Contents", "Part", "Volume", "Chapter",
             "Repeated", "Supra", "Exhibit", "Schedule", "Continued", "Concluded", "Attachment", "Appendix", "Esq"}

_UP = r"A-ZÀ-ÖØ-ÞĀ-Ž"
_LOW = r"a-zß-öø-ÿā-ž"
# Wilson, O'Brien, McDonald, DULLES, Ben-Gurion
_WORD = rf"[{_UP}](?:[{_LOW}'’]+(?:[{_UP}][{_LOW}]+)?(?:-[{_UP}]?[{_LOW}]+)*|[{_UP}'’]+(?:-[{_UP}]+)*)"
_INIT = rf"(?:[{_UP}]\. ?(?:-?[{_UP}]\. ?)?)"
_PART = "|".join(sorted((re.escape(p) for p in PARTICLES), key=len, reverse=True))
# "Tasker H. Bliss": a middle initial between a given name and the surname
_MID = rf"(?: [{_UP}]\.(?: ?[{_UP}]\.)?(?= [{_UP}][{_LOW}]))?"
_NAME = rf"(?:{_INIT}{{0,3}})(?:(?:{_PART}) )?{_WORD}{_MID}(?: (?:(?:{_PART}) )?{_WORD}){{0,2}}"
_ABBR_TITLES = {"Mr", "Mrs", "Messrs", "Ms", "Dr", "Hon", "Gen", "Adm", "Col", "Capt", "Maj", "Lt", "Comdr", "Rev",
                "Prof", "M", "MM", "Mme", "Mlle", "St"}
_TITLE_W = "|".join(sorted((re.escape(t) for t in TITLES if t not in _ABBR_TITLES), key=len, reverse=True))
_TITLE_A = "|".join(sorted((re.escape(t) for t in TITLES if t in _ABBR_TITLES), key=len, reverse=True))

# "Mr. Hay", "Mr Hay", "President Wilson" — but not "approved by Pope. Italian press".
TITLE_RX = re.compile(rf"(?P<title>(?:{_TITLE_A})\.?|(?:{_TITLE_W})(?=[  ]))[  ]+(?P<name>{_NAME})")
INITIALS_RX = re.compile(rf"(?<![\w.])(?P<name>{_INIT}{{1,3}}(?:(?:{_PART}) )?{_WORD}(?: {_WORD})?)")
_ABBREVIATED = "Wm Jas Geo Thos Chas Jno Alex Saml Benj Robt Edw Fredk Richd".split()
# "Wm. A. Deane", but not "San Francisco. Employed"
_ABBR_DOT = "(?:(?:" + "|".join(f"(?<={a})" for a in _ABBREVIATED) + r")\.)?"
GIVEN_RX = re.compile(
    rf"(?P<name>(?:{'|'.join(sorted(GIVEN_NAMES, key=len, reverse=True))}){_ABBR_DOT} (?:{_INIT}{{0,2}})"
    rf"(?:(?:{_PART}) )?{_WORD}(?: (?:(?:{_PART}) )?{_WORD})?)"
)
_OFFICES = (r"Ambassador|Minister|Chargé|Charge|Consul|Secretary|Chairman|Delegate|Delegation|Representative|"
            r"Commissioner|Counselor|Counsellor|Agent|Governor|President|Attaché|Attache|Adviser|Advisor|Envoy|"
            r"Commander|Member|Head|Director|Chief|Officer|Premier|Chancellor|Mission|Embassy|Legation|Military|"
            r"Naval|Treasury|Department|Office|Chairman|Expert|Observer|Judge|Arbitrator|Administrator")
PAREN_RX = re.compile(rf"\b(?:{_OFFICES})\b[^()\n]{{0,90}}?\((?P<name>{_NAME})\)")
SIGN_RX = re.compile(rf"^\s*(?P<name>(?:{_INIT}|[{_UP}][\w'’-]*\.?)"
                     rf"(?:\s+(?:{_INIT}|(?:{_PART})|[{_UP}][\w'’-]*\.?)){{0,4}})\s*$")


_PARTS_LOWER = {p.lower() for p in PARTICLES}
_PARTS_FROZEN = frozenset(_PARTS_LOWER)
# Markers the automaton reports so the person patterns are tried only where a title or given name stands.
_TITLE_MARK = "\x00title"
_GIVEN_MARK = "\x00given"
_SAY_MARK = "\x00say"  # verbs of saying and telling, and the words of a telegram's head ("For", "from")
_TOLD_MARK = "\x00told"


MEMORY_LIMIT = 50_000
_POLITE = {"Mr", "Mrs", "M", "Señor", "Senor", "Herr", "Monsieur", "Dr", "Sir"}  # "Mr. Washington" is a man
_NOT_INITIALS = re.compile(r"(?:U\. ?S\.|U\. ?K\.|U\. ?N\.|N\. ?Y\.|D\. ?C\.|S\. ?S\.|H\. ?M\.|P\. ?S\.|"
                           r"A\. ?D\.|B\. ?C\.)")
_PLACE_PREFIX = re.compile(r"(?:San|Santa|Santo|São|St\.|Saint|Port|Fort|Cape|Lake|Mount|Mt\.)\s$")
_CLOSING = re.compile(r"&c\.,?$|\]$|,$|(?i:respectfully|sincerely|faithfully|obedient servant|yours)\W*$")
_TITLE_WORDS = {w for t in TITLES for w in t.split()} - SURNAME_OK
_COMPASS = {"West", "East", "North", "South"}
_ALL_TITLE_WORDS = {w for t in TITLES for w in t.split()} | set(_OFFICES.split("|")) | {
    "Treasurer", "Director", "Vice", "Assistant", "Acting", "Dear", "Attorney", "Solicitor", "Counselor"}
_GIVEN_BEFORE = re.compile(rf"(?<![\w.])([{_UP}](?:[{_LOW}]{{2,}}|[{_UP}]{{2,}})) $")  # "Vance C.", "ROBERT H."
_ARTICLES = {"The", "A", "An", "Of", "And"}
# Offices and occupations written where a name could stand ("our Secretary-General", "Simkhovitch Librarian").
_OFFICE_NAMES = {"Secretary-General", "Director-General", "Under-Secretary", "Undersecretary", "Rapporteur",
                 "Librarian", "Editor", "Treasurer", "Clerk", "Registrar", "Attaché", "Chargé"}
# "the Marquis of Salisbury", "Earl of Derby": a peer named by his title is a person, not the place.
PEER_RX = re.compile(rf"\b(?P<name>(?:Marquis|Marquess|Earl|Duke|Viscount|Baron|Count|Duchess|Countess)"
                     rf" of (?:the )?[{_UP}][{_LOW}]+(?:[- ][{_UP}][{_LOW}]+)?)")
# The editors' completion of initials in a signature: "D. H. M[iller]", "W[alter] L[ippmann]".
BRACKETED_RX = re.compile(rf"(?<![\w.\[])(?P<name>(?:[{_UP}]\. ?|[{_UP}]\[[{_LOW}]+\] ){{1,3}}"
                          rf"[{_UP}][{_LOW}]*\[[{_LOW}]{{2,}}\])(?![\w\[])")
CAP_WORD_RX = re.compile(rf"(?<![\w.-])[{_UP}]\w+(?:['’](?![sS]\b)\w+)?(?:-[{_UP}]\w+)?(?![\w-])")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December|" \
          "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\."
DATELINE_RX = re.compile(rf"(?m)^[ \t]*(?P<place>[{_UP}0-9][^\n,;:()\[\]]{{1,40}}?"
                         rf"(?:, [{_UP}][^\n,;:()\[\]]{{1,30}}?){{0,2}}),"
                         rf" (?:the )?(?:\d{{1,2}}(?:st|nd|rd|th|d)? (?:of )?)?(?:{_MONTHS}) ?\d")
_NOUN_ENDINGS = ("tion", "tions", "ment", "ments", "ity", "ness", "ance", "ence", "ial", "ical", "ous", "ive",
                 "ics", "ing", "ship", "ism", "ary", "ies")


@dataclass
class _Cand:
    start: int
    end: int
    type: str
    id: str
    name: str
    rank: int  # lower wins an overlap
    source: str
    extra: dict | None = None
    title_surname: bool = False  # "Professor Lord": a title word written as the surname, no office


def _title_case(s: str) -> str:
    if s.isupper() and len(s) > 1:
        return " ".join(w if len(w) <= 2 and w.endswith(".") else w.capitalize() for w in s.split())
    return s


def _surname(name: str) -> str:
    toks = name.replace("’", "'").split()
    while toks and (toks[-1].lower() in ("jr.", "jr", "sr.", "sr") or toks[-1].endswith(",")):
        toks.pop()
    if not toks:
        return name
    last = toks[-1]
    i = len(toks) - 1
    while i > 0 and toks[i - 1].lower() in _PARTS_LOWER:
        i -= 1
    return " ".join(toks[i:]) if i < len(toks) - 1 else last


def person_id(name: str) -> str:
    return f"person:{gz.slug(_surname(_title_case(name)))}"


def _authority_forms(e: AuthorityEntry) -> tuple[str, list[str]]:
    """("Frelinghuysen, Frederick T." →) the normalised name and the forms to look for."""
    raw = " ".join(e.name.split())
    raw = re.sub(r"\s*\(.*?\)", "", raw)
    if "," in raw:
        last, first = raw.split(",", 1)
        first = first.strip().rstrip(",")
        first = re.split(r",", first)[0].strip()
        full = f"{first} {last.strip()}".strip()
        surname = last.strip()
    else:
        full = raw
        surname = _surname(raw) if e.kind == "person" else raw
    forms = [full, raw] if e.kind != "person" else [full]
    if e.kind == "person":
        forms.append(surname)
        given = full[: -len(surname)].split()
        if given:
            initials = " ".join(f"{g[0]}." for g in given if g[0].isupper())
            if initials:
                forms.append(f"{initials} {surname}")
    return full, [f for f in forms if f]


class EntityAnnotator:
    """Annotates people, places and organisations; see the module docstring for how."""

    name = "entities"
    version = "1"

    def __init__(self, authorities: Iterable[AuthorityEntry] = (), gazetteer: gz.Gazetteer | None = None,
                 speakers: SpeakerPeople | None = None) -> None:
        self.gazetteer = gazetteer or gz.build()
        # The UN speakers table as an authority for people: given, or found beside a speech whose speaker the
        # table named (metadata speaker_source), once per folder.
        self.speakers = speakers
        self._speaker_dirs: dict[str, SpeakerPeople | None] = {}
        self.authorities = list(authorities)
        self._auto = self._build_automaton()
        # Surnames learned per collection, so "Lundbohm" introduced as "Mr. Lundbohm" in one telegram of a
        # volume is found alone in the next. Bounded; documents are enriched in file order.
        self._memory: dict[str, dict[str, tuple[str, str]]] = {}
        self._known: dict[str, linking.CollectionMemory] = {}

    def _build_automaton(self) -> ahocorasick.Automaton:
        forms: dict[str, tuple[str, str, str, int, str]] = {}  # form -> (type, id, name, rank, source)
        for form, e in self.gazetteer.forms.items():
            forms[form] = (e.type, e.id, e.name, 3 if " " in form else 4, f"gazetteer:{e.kind}")
        statesmen_forms: set[str] = set()
        for st in linking.statesmen()[1]:
            for form in (st.name, *st.forms):
                forms[form] = ("person", st.id, st.name, 3, "statesmen")
                statesmen_forms.add(form)
            if st.find_surname and st.surname not in forms:
                forms[st.surname] = ("person", f"person:{gz.slug(st.surname)}", st.surname, 3, "statesmen-surname")
                statesmen_forms.add(st.surname)
        # Authority entries: surnames shared by two people map to the surname id, not to either person.
        by_surname: dict[str, set[str]] = {}
        parsed = []
        for e in self.authorities:
            if e.kind not in ENTITY_TYPES:
                continue
            full, fs = _authority_forms(e)
            parsed.append((e, full, fs))
            if e.kind == "person":
                by_surname.setdefault(fs[1] if len(fs) > 1 else full, set()).add(e.id)
        for e, full, fs in parsed:
            eid = f"{e.kind}:{e.id}"
            for i, f in enumerate(fs):
                if len(f) < 3 or f in NOT_NAMES:
                    continue
                if e.kind == "person" and i == 1:  # bare surname
                    if f in self.gazetteer.forms and f not in statesmen_forms or re.fullmatch(r"[IVXLC]+", f):
                        continue  # "Washington" the place stays a place; "III" of Victor Emanuel III is no name
                    ids = by_surname.get(f, set())
                    pid = eid if len(ids) == 1 else f"person:{gz.slug(f)}"
                    forms.setdefault(f, ("person", pid, full if len(ids) == 1 else f, 3, "authority-surname"))
                else:
                    forms[f] = (e.kind, eid, full, 2, "authority")
        self._people = {f: (v[1], v[2]) for f, v in forms.items()
                        if v[0] == "person" and v[4] in ("authority", "authority-surname")}
        self._fixed_ids = {f"person:{e.id}" for e in self.authorities if e.kind == "person"}
        auto = ahocorasick.Automaton()
        for form, v in forms.items():
            auto.add_word(form, (len(form), *v))
        for t in TITLES:
            for f in (t, t + "."):
                if f not in forms:
                    auto.add_word(f, (len(f), _TITLE_MARK, "", "", 0, ""))
        for gname in GIVEN_NAMES:
            for f in (gname, gname + "."):
                if f not in forms:
                    auto.add_word(f, (len(f), _GIVEN_MARK, "", "", 0, ""))
        for verb in _SAY_VERBS.split("|"):
            if verb not in forms:
                auto.add_word(verb, (len(verb), _SAY_MARK, "", "", 0, ""))
        for word in _TOLD_WORDS.split("|") + ["For", "From", "from"]:
            if word not in forms:
                auto.add_word(word, (len(word), _TOLD_MARK, "", "", 0, ""))
        auto.make_automaton()
        return auto

    # -- matching --------------------------------------------------------------------------------
    def __call__(self, doc: Document) -> list[Annotation]:
        text = doc.text
        cands, titles, givens, cues = self._gazetteer_matches(text)
        cands += self._pattern_persons(text, titles, givens)
        if self._people:
            for c in cands:
                if c.rank == 1:
                    hit = self._people.get(c.name) or self._people.get(_surname(c.name))
                    if hit:
                        c.id, c.name = hit
        cands += self._datelines(text, cands)
        cands += self._propagate(text, cands, doc.collection)
        cands += self._context_persons(text, cands, cues, doc.collection)
        cands = [c for c in cands if not _inside_other_name(text, c)
                 and not (c.type == "person" and _is_office(text[c.start:c.end]) and not c.title_surname)]
        chosen = _resolve(cands)
        self._link(doc, chosen)
        if ". " in text:
            chosen = _initials_of_named(text, chosen, self._known.get(doc.collection))
        if "ear " in text:
            chosen = _salutation(text, chosen)
        return [
            Annotation(c.type, c.start, c.end, text[c.start:c.end],
                       {"id": c.id, "name": c.name, "source": c.source, **(c.extra or {})})
            for c in chosen
        ]

    def _link(self, doc: Document, chosen: list[_Cand]) -> None:
        """Give each person mention the entity it names (see `linking`): in-document first, then dated
        authorities, then the collection's earlier documents."""
        text = doc.text
        people = [c for c in chosen if c.type == "person"]
        if not people:
            return
        memory = self._known.setdefault(doc.collection, linking.CollectionMemory())
        _known_full_names(text, chosen, memory)
        mentions = []
        for c in people:
            fixed = c.id in self._fixed_ids or c.source in ("statesmen", "peerage")
            title = (c.extra or {}).get("title")
            if c.source in ("title", "initials", "given-name", "office", "signature", "known-name"):
                name = c.name
            else:
                name = _title_case(linking.strip_possessive(text[c.start:c.end]))
            mentions.append(linking.Mention(c.start, name, title, c.id, c.name, c.source, fixed))
        year = _year(doc)
        code = doc.metadata.get("country") if isinstance(doc.metadata.get("country"), str) else None
        linking.link(mentions, year, memory, _PARTS_FROZEN, self._speakers_for(doc), code)
        for c, m in zip(people, mentions, strict=True):
            c.id, c.name = m.id, m.label
            if m.source != c.source:
                c.extra = {**(c.extra or {}), "linked": m.source}
            if m.speaker is not None:
                c.extra = {**(c.extra or {}), "un_speaker": m.speaker.record(year)}
            if m.ambiguous:
                c.extra = {**(c.extra or {}), "ambiguous": True, "candidates": list(m.candidates)}

    def _speakers_for(self, doc: Document) -> SpeakerPeople | None:
        if self.speakers is not None:
            return self.speakers
        if doc.metadata.get("speaker_source") != TABLE_NAME or doc.file is None:
            return None
        folder = str(Path(doc.file.path.split("!", 1)[0]).parent)
        if folder not in self._speaker_dirs:
            where = find_speaker_table(doc.file.path)
            try:
                self._speaker_dirs[folder] = speaker_people(str(where)) if where else None
            except SpeakerTableError:
                self._speaker_dirs[folder] = None
        return self._speaker_dirs[folder]

    def _gazetteer_matches(self, text: str) -> tuple[list[_Cand], list[int], list[int], list[tuple[int, int]]]:
        out = []
        cues: list[tuple[int, int]] = []
        titles: list[int] = []
        givens: list[int] = []
        n = len(text)
        for end_i, (length, typ, eid, name, rank, source) in self._auto.iter(text):
            start = end_i - length + 1
            end = end_i + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-"):
                continue
            if typ == _SAY_MARK or typ == _TOLD_MARK:
                if end >= n or not text[end].isalnum():
                    cues.append((start, end))
                continue
            if typ == _TITLE_MARK or typ == _GIVEN_MARK:
                if start > 0 and text[start - 1] == ".":
                    continue
                (titles if typ == _TITLE_MARK else givens).append(start)
                continue
            if end < n and (text[end].isalnum() or (text[end] == "-" and end + 1 < n and text[end + 1].isalpha())):
                continue
            if source == "authority-surname" and not _bare_surname_ok(text, start, end):
                continue
            if length <= 12 and text[start:end] in GIVEN_NAMES:
                givens.append(start)  # "David" the town is also David Starr Jordan's given name
            out.append(_Cand(start, end, typ, eid, name, rank, source))
        return out, sorted(set(titles)), sorted(set(givens)), cues

    def _pattern_persons(self, text: str, titles: list[int], givens: list[int]) -> list[_Cand]:
        out: list[_Cand] = []
        forms = self.gazetteer.forms
        for m in filter(None, (TITLE_RX.match(text, p) for p in titles)):
            name = _trim(m.group("name"))
            fw = _first_word(name)
            if not name or (fw in NOT_NAMES and fw not in SURNAME_OK or fw in _TITLE_WORDS) \
                    and not _title_word_surname(text, m):
                continue
            if name in forms and forms[name].type != "person" and forms[name].kind not in ("city", "state") \
                    and m.group("title").rstrip(".") not in _POLITE:
                continue  # "General Assembly"-like: a place or org after a rank
            s = m.start("title")
            e = m.start("name") + len(name)
            out.append(_Cand(s, e, "person", person_id(name), _title_case(name), 1, "title",
                             {"title": m.group("title")}, title_surname=_title_word_surname(text, m)))
        for m in INITIALS_RX.finditer(text):
            name = _trim(m.group("name"))
            words = name.split(" ")
            if len(words) >= 3 and not words[-2].endswith(".") and _has_word(text, words[-1].lower()):
                name = " ".join(words[:-1])  # "D. H. Miller Research J. T. Shotwell": a list, "Research" a word
            sur = _surname(name)
            # "R. H. Lord," is a man; "H. B. M. Ambassador", "Frank L. Polk, Counselor" are no names there
            lord = _title_surname_after_initial(name.split(" ")) \
                and not _NEXT_CAP.match(text, m.start("name") + len(name))
            if not name or (sur in NOT_NAMES and sur not in SURNAME_OK and not lord) \
                    or sur in forms and forms[sur].type != "person":
                continue
            if (sur in _TITLE_WORDS or sur in _ALL_TITLE_WORDS) and not lord:
                continue
            if any(t in _ARTICLES for t in name.split()):
                continue  # "Article V. The Contracting Powers"
            if text.endswith(("the ", "The "), max(0, m.start("name") - 4), m.start("name")):
                continue  # "the J. Eppinger", "than the C. H. White": a vessel or a firm, not a man
            if _NOT_INITIALS.match(name):
                continue
            if not re.search(rf"[{_LOW}]", sur) and len(sur) <= 3:
                continue
            if re.match(r"[IVXAQ]\. ?\S+$", name) or re.match(r"[NSW]\. (?:Dak|Mex|Va|Car)\b", name):
                continue  # "V. Northwest water-boundary": a numbered heading, not an initial
            start = m.start("name")
            g = _GIVEN_BEFORE.search(text, max(0, start - 20), start)
            if g and g.group(1) not in NOT_NAMES and g.group(1) not in _ALL_TITLE_WORDS and g.group(1) not in forms \
                    and not _PLACE_PREFIX.search(text[max(0, g.start() - 7):g.start()]) \
                    and (g.group(1) in GIVEN_NAMES or not _has_word(text, g.group(1).lower())):
                # "Vance C. McCormick", but not "Research J. T. Shotwell" where the text writes "research"
                end = m.start("name") + len(name)
                start, name = g.start(1), g.group(1) + " " + name
            else:
                end = start + len(name)
            out.append(_Cand(start, end, "person", person_id(name), _title_case(name), 1, "initials"))
        for m in filter(None, (GIVEN_RX.match(text, p) for p in givens)):
            name = _trim(m.group("name"))
            if not name or " " not in name:
                continue
            if _PLACE_PREFIX.search(text[max(0, m.start() - 7):m.start()]):
                continue  # San Francisco, Port Louis, Cape Charles
            sur = _surname(name)
            if sur in NOT_NAMES and (sur not in SURNAME_OK or sur in _COMPASS):
                continue  # "Christian West", "Christian Democratic"
            if sur in forms and forms[sur].type != "person" and forms[sur].kind not in ("city", "state") \
                    and name.count(" ") < 2:
                continue  # "David Jordan" may be two places; "David Starr Jordan" is a man
            first, _, rest = name.partition(" ")
            if first in _ALL_TITLE_WORDS:  # "Dean Haskins", "Lord Eustace Percy": a title, not a given name
                out.append(_Cand(m.start("name"), m.start("name") + len(name), "person", person_id(rest),
                                 _title_case(rest), 1, "title", {"title": first}))
                continue
            out.append(_Cand(m.start("name"), m.start("name") + len(name), "person", person_id(name),
                             _title_case(name), 1, "given-name"))
        for m in PAREN_RX.finditer(text):
            name = _trim(m.group("name"))
            fw = _first_word(name)
            if not name or fw in NOT_NAMES and fw not in SURNAME_OK:
                continue
            if name in forms and forms[name].kind not in ("city", "state"):
                continue  # "(United States)" after an office is a country, "(Washington)" a chargé
            out.append(_Cand(m.start("name"), m.start("name") + len(name), "person", person_id(name),
                             _title_case(name), 1, "office"))
        if "[" in text:
            for m in BRACKETED_RX.finditer(text):
                name = m.group("name").replace("[", "").replace("]", "")
                out.append(_Cand(m.start("name"), m.end("name"), "person", person_id(name), name, 1, "initials"))
        if "of " in text:
            for m in PEER_RX.finditer(text):
                out.append(_Cand(m.start(), m.end(), "person", f"person:{gz.slug(m.group('name'))}", m.group("name"),
                                 1, "peerage"))
        out += self._signatures(text)
        return out

    def _signatures(self, text: str) -> list[_Cand]:
        """A short name-shaped line closing a letter (after "I have, &c.," or as the document's last line)."""
        out = []
        lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
        for i, (pos, line) in enumerate(lines):
            if len(line) > 45:
                continue
            last = i == len(lines) - 1
            prev = lines[i - 1][1].strip() if i else ""
            closing = bool(_CLOSING.search(prev))
            # A telegram's signature: a one- to three-word line after a finished paragraph.
            alone = bool(re.search(r"[.!?:;”\")]$", prev)) and len(line.split()) <= 3 \
                and not line.rstrip().endswith(":")
            if not (last or closing or alone):
                continue
            m = SIGN_RX.match(line)
            if not m:
                continue
            name = _trim(m.group("name").rstrip(". "))
            toks = name.replace(".", " ").split()
            if not toks or any(t in LINE_STOP or t.capitalize() in LINE_STOP for t in toks):
                continue
            if name in self.gazetteer.forms or _title_case(name) in self.gazetteer.forms \
                    or name.upper() == name and len(toks) == 1 and len(name) <= 3:
                continue
            if _first_word(name) in NOT_NAMES or not any(len(t) >= 3 for t in toks):
                continue
            if not (last or closing) and (any(t.lower().endswith(_NOUN_ENDINGS) for t in toks)
                                          or toks[-1] in NOT_NAMES):
                continue  # "Commercial Relations": a heading, not a signature
            s = pos + m.start("name")
            out.append(_Cand(s, s + len(name), "person", person_id(name), _title_case(name), 1, "signature"))
        return out

    def _propagate(self, text: str, cands: list[_Cand], collection: str) -> list[_Cand]:
        """Surnames introduced with a title or full name — in this document or an earlier one of the same
        collection — found again where used alone."""
        memory = self._memory.setdefault(collection, {})
        learned: dict[str, tuple[str, str]] = {}
        for c in cands:
            if c.type == "person" and c.rank == 1:
                sur = _surname(text[c.start:c.end])
                if len(sur) >= 3 and (sur not in NOT_NAMES or sur in SURNAME_OK) and sur not in self.gazetteer.forms \
                        and not re.fullmatch(r"[IVXLC]+", sur) and sur not in _TITLE_WORDS and sur not in _COMPASS \
                        and c.source != "peerage":
                    for k in {sur, sur.capitalize()} if sur.isupper() else {sur}:
                        learned.setdefault(k, (c.id, c.name))
        # A word the document also writes in lower case ("about", "agreements", "grew") is not remembered for
        # the collection; in this document it is taken mid-sentence only (below).
        common: dict[str, bool] = {k: _has_word(text, k.lower()) for k in learned}
        if len(memory) < MEMORY_LIMIT:
            for k, v in learned.items():
                if not common[k]:
                    memory.setdefault(k, v)
        out = []
        for m in CAP_WORD_RX.finditer(text):
            w = m.group()
            hit = learned.get(w) or memory.get(w)
            if not hit:
                continue
            before = text[max(0, m.start() - 4):m.start()]
            after = text[m.end():m.end() + 4]
            if before.endswith(("the ", "The ")) or after.startswith((" of", " Hou")) \
                    or _NEXT_CAP.match(text, m.end()):
                continue  # "Wilson Kellogg", "West German": part of a longer name
            if w not in common:
                common[w] = _has_word(text, w.lower())
            if common[w] and (not _mid_sentence(text, m.start()) or _blocked_before(text, m.start())):
                continue  # "Grew" the man mid-sentence, not "Grew" the verb opening a sentence
            out.append(_Cand(m.start(), m.end(), "person", hit[0], hit[1], 5, "surname"))
        return out

    def _context_persons(self, text: str, cands: list[_Cand], cues: list[tuple[int, int]],
                         collection: str) -> list[_Cand]:
        """Surnames no title introduces, found by what diplomatic prose does with people: they say, tell,
        advise and cable ("Wiseman said", "told Wiseman to"), telegrams go from and to them ("For Phillips
        from Grew."), and they stand in lists beside people already found ("Stevens, Rublee and Morrow").
        A word the gazetteer knows, a title, or a word the document also writes in lower case is not taken.
        Names found so are then found again in the document and remembered for the collection."""
        forms = self.gazetteer.forms
        taken = sorted((c.start, c.end, c.type) for c in cands)
        starts = [t[0] for t in taken]
        new: dict[tuple[int, int], str] = {}

        def overlaps(s: int, e: int) -> str | None:
            import bisect

            i = bisect.bisect_left(starts, e)
            for j in range(max(0, i - 8), i):
                if taken[j][0] < e and s < taken[j][1]:
                    return taken[j][2]
            return None

        def ok(s: int, e: int, needs_mid: bool = False, cued: bool = False) -> bool:
            name = text[s:e]
            toks = name.split()
            if len(toks) > 1 and toks[0].rstrip(".") not in GIVEN_NAMES and not re.match(r"[A-Z]\.", toks[0]):
                return False  # "Research Consultant", "Upper Adige": two words are a name only after a given name
            for t in toks:
                if any(p in _ALL_TITLE_WORDS or p in _TITLE_ABBR for p in t.split("-")):
                    return False  # "Lieut-Col"
                if t in NOT_NAMES and t not in SURNAME_OK or t in _ALL_TITLE_WORDS or t in _NOT_CONTEXT \
                        or t in forms or len(t) < 3 and not t.endswith("."):
                    return False
                if t.lower().endswith(_NOUN_ENDINGS + _PEOPLES + ("ions", "ers")) or t.isupper() and len(t) > 1:
                    return False
            if name in forms or _has_word(text, toks[-1].lower()):
                return False
            if e < len(text) and text[e] == "." and (len(toks[-1]) <= 3 or not re.search("[aeiouy]", toks[-1][1:])):
                return False  # "Chm.", "Sec.", "Inf.", "Dott.": an abbreviation
            if needs_mid and not _mid_sentence(text, s):
                return False
            return cued or not _blocked_before(text, s)

        spans = []
        for cs, ce in cues:
            word = text[cs:ce]
            if word in _SAY_SET and cs and text[cs - 1] in " ,":
                m = SAYS_BEFORE_RX.search(text, max(0, cs - 70), cs)
                # A sentence's first word only in "Grew advises me", "Wiseman says that".
                if m and (_mid_sentence(text, m.start("name")) or _SAID_TO_ME.match(text, ce)):
                    spans.append((*m.span("name"), False))
                if word not in _TOLD_SET:
                    continue
            if word in ("For", "From", "from"):
                m = WIRE_AFTER_RX.match(text, ce)
                if m and (word == "from" or cs == 0 or text[cs - 1] in "[\n" or text.endswith(". ", 0, cs)):
                    spans.append((*m.span("name"), True))
                    if word == "from":  # "Harrison from Grew.", "For Phillips from Grew."
                        b = WIRE_BEFORE_RX.search(text, max(0, cs - 40), cs)
                        if b:
                            spans.append((*b.span("name"), True))
                continue
            m = TOLD_AFTER_RX.match(text, ce)
            if m:
                spans.append((*m.span("name"), True))
        if " d" in text or " v" in text or "D" in text or "V" in text:
            for m in PARTICLE_RX.finditer(text):
                s, e = m.span("name")
                p = m.group("part")
                before = text[max(0, s - 40):s]
                if p[0].islower() and not (_PARTICLE_BEFORE.search(before) or _mid_sentence(text, s)
                                           and before.rstrip().endswith((",", ";"))):
                    continue  # "affaires de Turquie": a French phrase, not a name
                if _blocked_before(text, s) or overlaps(s, e) is not None:
                    continue  # "Rio de Janeiro", "Saint Jean de Maurienne"
                sur_s = m.start("sur")
                if ok(sur_s, e, cued=True):
                    spans.append((s, e, True))
        for s, e, cued in spans:
            if (s, e) not in new and (cued and text[s:e].split()[0].lower() in _PARTS_LOWER
                                      or ok(s, e, cued=cued)) and overlaps(s, e) is None:
                new[(s, e)] = text[s:e]
        seeds = [(c.start, c.end) for c in cands if c.type == "person"] + list(new)
        strong = {(c.start, c.end) for c in cands if c.type == "person" and c.source in _STRONG}
        done: set[int] = set()
        for s0, e0 in sorted(seeds):
            if s0 in done:
                continue
            items = [(s0, e0)]
            pos = e0
            while len(items) < 16 and (m := _NEXT_ITEM_RX.match(text, pos)):
                items.append(m.span("item"))
                pos = m.end()
            pos = s0
            while len(items) < 16 and (m := _PREV_ITEM_RX.search(text, max(0, pos - 70), pos)):
                items.insert(0, m.span("item"))
                pos = m.start("item")
            if len(items) < 2 or len(items) == 2 and " and " not in text[items[0][1]:items[1][0]]:
                continue  # "came to Kwangsi, Judge Wu": two names joined by a comma are no list
            kinds = [overlaps(s, e) or ("person" if (s, e) in new else None) for s, e in items]
            done.update(s for (s, _), k in zip(items, kinds, strict=True) if k == "person")
            people = sum(k == "person" for k in kinds)
            unknown = [(s, e) for (s, e), k in zip(items, kinds, strict=True) if k is None]
            if any(k in ("place", "org") for k in kinds) or not unknown or people < 2 and (
                    len(unknown) > 3 or (s0, e0) not in strong):
                continue  # a list is of people when two are known, or one surely and it is short
            if not all(ok(s, e, needs_mid=(s == items[0][0])) for s, e in unknown):
                continue  # "Croatians, Servians, Slovenes and Slovaks": one item that is no name spoils the list
            for s, e in unknown:
                new[(s, e)] = text[s:e]
        if not new:
            return []
        out = [_Cand(s, e, "person", person_id(n), _title_case(n), 5, "context") for (s, e), n in new.items()]
        found = {_surname(n): c for (_, _, n), c in zip(((s, e, n) for (s, e), n in new.items()), out, strict=True)}
        memory = self._memory.setdefault(collection, {})
        rx = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(k) for k in found) + r")(?![\w-])")
        for m in rx.finditer(text):
            if (m.start(), m.end()) in new or overlaps(m.start(), m.end()) or _NEXT_CAP.match(text, m.end()) \
                    or text.endswith(("the ", "The "), max(0, m.start() - 4), m.start()):
                continue
            c = found[m.group()]
            out.append(_Cand(m.start(), m.end(), "person", c.id, c.name, 5, "surname"))
        if len(memory) < MEMORY_LIMIT:
            for k, c in found.items():
                if " " not in k:
                    memory.setdefault(k, (c.id, c.name))
        return out

    def _datelines(self, text: str, cands: list[_Cand]) -> list[_Cand]:
        """"Foreign Office, March 29, 1882." / "Swatow, April 13, 1882.": the place a letter was written."""
        out = []
        for m in DATELINE_RX.finditer(text):
            s, e = m.start("place"), m.end("place")
            inside = [c for c in cands if s <= c.start and c.end <= e]
            if any(c.type in ("place", "person") for c in inside):
                continue  # the gazetteer already has it ("Paris", "Legation ..., Buenos Ayres")
            name = " ".join(m.group("place").split())
            if not re.search(r"[^\W\d_]{3}", name) or re.match(r"\d+\. ", name):
                continue  # "1863, Sept. 5": a date, not a place
            if _first_word(name) in NOT_NAMES and not inside or re.match(rf"(?:{_TITLE_A})\.? |(?:{_TITLE_W}) ", name):
                continue
            out.append(_Cand(s, e, "place", f"place:{gz.slug(name.split(',')[0])}", name, 2, "dateline"))
        return out


# A ship is named like a person ("the brig Myers", "U. S. S. Cleveland"); a place inside a longer name
# ("Gulf of Georgia", "San Juan River", "Vancouver's Island", "Hague Tribunal") is not that place.
VESSEL_BEFORE = re.compile(r"(?:steamer|steamship|brig|schooner|ship|bark|barque|vessel|frigate|cruiser|sloop|gunboat|"
                           r"corvette|yacht|U\. ?S\. ?S\.|H\. ?M\. ?S\.|S\. ?S\.)[ “\"]+$", re.I)
PLACE_PART_AFTER = re.compile(r"(?:['’]s)? (?:River|Mountains?|Islands?|Sound|Bay|Gulf|Straits?|Lake|Canal|Tribunal|"
                              r"Peace Conf|Conference|Papers|Range|Valley|Peninsula|Agreements?|Accords?|Treaty|"
                              r"Convention|Protocol|Declaration|Pact|Charter)\b")
PLACE_PART_BEFORE = re.compile(r"(?:Gulf|Bay|Straits?|Sea|Cape|Lake|Sound|Mount|River) of $|"
                               r"(?:New|Port|Fort|Cape|Lake|Mount|North|"
                               r"South|East|West|Upper|Lower|Great|Little) $")


_NEXT_CAP = re.compile(rf" [{_UP}][{_LOW}]")
FIRM_AFTER = re.compile(r",? ?(?:&|Co\.|Co\b|Company\b|Brothers\b|Bros\.)")  # "Liebes & Ladd", "S. Foster & Co."
_SEA_OF = re.compile(r"(?:Gulf|Bay|Straits?|Sea|Lake|Sound) of $")


# "Wiseman said", "Grew advises", "George also thought": a name as the subject of a verb of saying.
_SAY_VERBS = ("said|says|stated|told|tells|thinks|thought|believes|believed|advises|advised|informs|informed|"
              "reported|replied|replies|added|asked|asks|expressed|cabled|"
              "telegraphed|suggested|suggests|explained|explains|agreed|agrees|insisted|insists|declared|declares|"
              "remarked|urged|urges|promised|assured|assures|wrote|writes|felt|wished|proposed|"
              "intimated|observed|mentioned|admitted|confirmed|denied|considered|voiced|hoped|feared|requested|"
              "recommended|desired")
_NAME_W = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
SAYS_BEFORE_RX = re.compile(rf"(?<![\w.-])(?P<name>{_NAME_W}),? (?:(?:also|then|now|further|again|himself|"
                            rf"personally|however|still|too|has|had|always|already|never|privately|frankly|"
                            rf"confidentially),? ){{0,2}}$")
# "told Wiseman to", "through Wiseman that", "asked Keynes whether": a name as the object of one.
_TOLD_WORDS = ("told|asked|informed|advised|instructed|consulted|urged|telegraphed|cabled|"
               "tell|ask|inform|advise|instruct|consult|requested|authorized|authorize|assured|"
               "assure|reminded|remind")
TOLD_AFTER_RX = re.compile(rf" (?P<name>{_NAME_W})(?= (?:to|that|who|whether|and|of|he|this|today|yesterday|"
                           rf"personally|last|on|in|at|about|his|it|we)\b|[,;])")
_STRONG = {"statesmen", "authority", "title", "given-name", "office", "peerage"}
_PEOPLES = ("ians", "eans", "enes", "aks", "ese", "ish", "ites", "ean", "ian")
_TITLE_ABBR = {"Lieut", "Col", "Capt", "Gen", "Maj", "Adm", "Comdr", "Sergt", "Corp", "Brig", "Lt"}
_SAID_TO_ME = re.compile(r" (?:me|us|that|him)\b")
# "Secretary of War informs", "the Rome Epoca states", "his College": no name after these.
_BEFORE_NAME_NOT = re.compile(r"(?:\b(?:of|the|The|a|an|An|his|her|their|our|its|this|that|all|every|any|no|on|"
                              r"in|at|by|with|under|upon|"
                              rf"Public|Rome|Paris|London)|[{_UP}][{_LOW}]+) $")
# "Van Deman", "da Gama", "von Kühlmann": a particle before a capitalised word, no title needed.
PARTICLE_RX = re.compile(rf"(?<![\w.-])(?P<name>(?P<part>[Dd]a|[Dd]e|[Dd]i|[Dd]el|[Dd]u|[Vv]an|[Vv]on|[Vv]an der|"
                         rf"[Vv]on der|[Dd]e la) (?P<sur>[{_UP}][{_LOW}]{{2,}}(?:-[{_UP}][{_LOW}]+)?))(?![\w-])")
_PARTICLE_BEFORE = re.compile(r"(?:^|[\n(\[]|\b(?:to|with|and|by|from|for|that|told|asked|informed|advise|advised|"
                              r"saw|met|see|when|if|as|but|whom|than|or|between|Mr\.|Mr|M\.|Señor|Senor)) ?$")
_SAY_SET = frozenset(_SAY_VERBS.split("|"))
_TOLD_SET = frozenset(_TOLD_WORDS.split("|"))
# Telegram heads: "[From Stewart.]", "For Grew.", "Harrison from Grew.", "For Phillips from Grew."
WIRE_AFTER_RX = re.compile(rf" (?P<name>{_NAME_W})(?=[.\]]| from )")
WIRE_BEFORE_RX = re.compile(rf"(?:^|(?<=[\[\n])|(?<=\. )|(?<=For ))(?P<name>{_NAME_W}) $")
_ITEM = rf"(?:[{_UP}]\. ?){{0,3}}{_NAME_W}(?: {_NAME_W}){{0,2}}"
# Lists of names around a person already found: "Stevens, Rublee and Morrow", "Balfour and George".
_NEXT_ITEM_RX = re.compile(rf"(?:,? and |, )(?P<item>{_ITEM})(?![\w-])")
_PREV_ITEM_RX = re.compile(rf"(?<![\w.-])(?P<item>{_ITEM})(?:,? and |, )$")
# Words that open a sentence or stand in lists like names but are not.
_NOT_CONTEXT = {"Everyone", "Everybody", "Nobody", "Somebody", "Someone", "Anyone", "Anybody", "Nothing", "Everything",
                "Something", "Anything", "Nor", "But", "Yet", "Thus", "Hence", "However", "Moreover", "Furthermore",
                "Meanwhile", "Accordingly", "Otherwise", "Therefore", "Finally", "Further", "Perhaps", "Indeed",
                "Here", "Now", "Today", "Yesterday", "Tomorrow", "Tonight", "Again", "Still", "Only", "Even",
                "Other", "Others", "Such", "Many", "Several", "Some", "Few", "Neither", "Either", "Whoever", "Whatever",
                "Reuter", "Reuters", "Havas", "Tass", "Pravda", "Izvestia", "Times", "Herald", "Tribune", "Post",
                "Journal", "Gazette", "Press", "Embassy", "Legation", "Consulate", "Ministry", "Premier", "Mayor",
                "Governor", "Police", "Cabinet", "Government", "Department", "Bolsheviki", "Bolsheviks", "Soviets",
                "Germans", "Allies", "Americans", "Japanese", "Chinese", "French", "British", "English", "Italians",
                "Russians", "Turks", "Greeks", "Poles", "Czechs", "Serbs", "Yes", "No", "Well", "Personally",
                "Senators", "Members", "Minutes", "Memorandum", "Telegram", "Conference", "Council", "Commission",
                "Section", "Division", "Paragraph", "Letter", "Despatch", "Dispatch", "Instruction", "Instructions",
                "Unquote", "Quote", "End", "Ends", "Begins", "Starts", "Repeat", "Confidential", "Secret", "Strictly",
                "Urgent", "Priority", "Plain", "Gray", "Green", "Code", "Cipher", "Mail", "Radio", "Cable", "Note",
                "Tokio", "Pekin", "Fiume", "Dalmatia", "Saar", "Ruhr", "Rhine", "Danube", "Vistula", "Congress",
                "Senate", "Parliament", "Diet", "Duma", "Reichstag", "Chamber", "Sejm", "Skupshtina", "Sobranje",
                "England", "Scotland", "Wales", "Ireland", "Ulster", "Europe", "Asia", "Africa", "America", "God",
                "People", "Peoples", "Man", "Mankind", "Humanity", "History", "Heaven", "Providence", "Nature"}


_OPENERS = {"As", "And", "But", "When", "If", "While", "Then", "So", "Yet", "Since", "Though", "Although", "Because",
            "Thus", "Today", "Now", "Here", "There", "Only", "Even", "Indeed", "Perhaps", "Recently", "Later"}


def _blocked_before(text: str, s: int) -> bool:
    """No name starts after "of", "the", a possessive or another capitalised word ("Secretary of War", "the
    Rome Epoca", "Westfalische Rundschau") — a sentence's opening word ("As Dante said") aside."""
    m = _BEFORE_NAME_NOT.search(text, max(0, s - 40), s)
    return bool(m) and m.group().strip() not in _OPENERS


# Title words that are also surnames, and the titles that only a surname follows: "Professor Lord", "Mr. Prince"
# are men, "Mr. President", "Mr. Secretary" a form of address to an office.
_TITLE_SURNAMES = {"Lord", "Prince", "Earl", "Duke", "Baron", "Knight", "Pope", "Judge", "Marshal", "Bishop",
                   "Dean", "King", "Major"}
_COURTESY_TITLES = {"Mr", "Mrs", "Miss", "Messrs", "Dr", "Prof", "Professor", "M", "Monsieur", "Señor", "Senor",
                    "Herr", "Signor"}


def _title_word_surname(text: str, m: re.Match) -> bool:
    """A title word as the surname: one word after a courtesy or academic title and no capitalised word
    after it ("Professor Lord is himself doing research"), never "Mr. Lord Reading", "Mr. President" or a
    translated office ("Mr. Judge of Instruction")."""
    name = m.group("name")
    end = m.start("name") + len(name)
    return (m.group("title").rstrip(".") in _COURTESY_TITLES and linking.strip_possessive(name) in _TITLE_SURNAMES
            and not _NEXT_CAP.match(text, end) and not text.startswith(" of ", end))


def _title_surname_after_initial(toks: list[str]) -> bool:
    """"R. H. Lord", "Robert H. Lord": a title word that is also a surname, right after an initial, is the
    surname (an initial is never followed by a title: "H. B. M. Ambassador" has no such word)."""
    return len(toks) >= 2 and linking.strip_possessive(toks[-1]) in _TITLE_SURNAMES \
        and re.fullmatch(rf"[{_UP}]\.", toks[-2]) is not None


def _mid_sentence(text: str, i: int) -> bool:
    """The word at `i` follows a lower-case word or a comma on the same line: not a sentence's first word."""
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return j >= 0 and j < i - 1 and (text[j].islower() or text[j] in ",;")


def _inside_other_name(text: str, c: _Cand) -> bool:
    before = text[max(0, c.start - 16):c.start]
    if VESSEL_BEFORE.search(before):
        return True
    if c.type == "person" and FIRM_AFTER.match(text, c.end):
        return True
    if c.type == "person":
        return c.rank >= 5 and bool(PLACE_PART_BEFORE.search(before)) or bool(VESSEL_BEFORE.search(before)) \
            or c.source == "surname" and bool(PLACE_PART_AFTER.match(text, c.end))
    if c.source.startswith("gazetteer") and c.rank == 4:  # single words: "Georgia", "San Juan" is two but common
        return bool(PLACE_PART_AFTER.match(text, c.end) or _SEA_OF.search(before))
    if c.source.startswith("gazetteer:city"):
        return bool(PLACE_PART_AFTER.match(text, c.end))
    return False


def _known_full_names(text: str, chosen: list[_Cand], memory: linking.CollectionMemory) -> None:
    """A surname found alone, written after the given names of a full name the collection already knows
    ("Ray Stannard Baker", learned from "Mr. Ray Stannard Baker" though "Ray" is on no list of given
    names): the mention becomes that full name, span and all. Looked up only for one-word mentions."""
    prev_end = 0
    for c in chosen:
        surface = text[c.start:c.end]
        if c.type == "person" and " " not in surface and c.start > 1 and text[c.start - 1] == " ":
            for label in memory.full.get(gz.slug(linking.strip_possessive(surface)), {}).values():
                given = label[: len(label) - len(linking.strip_possessive(surface))]
                if not given.endswith(" ") or label[len(given):] != linking.strip_possessive(surface):
                    continue
                s = c.start - len(given)
                if s >= prev_end and text.startswith(given, s) and (s == 0 or not text[s - 1].isalnum()):
                    c.start, c.name, c.source = s, label, "known-name"
                    break
        prev_end = c.end


# Initials alone, not before another word or initial: "Dear N. D. B.:", a signature "E. M. H.", but not
# the "J. H." of "J. H. L." or "W. P." of "W. P. C,"; not a law report's "17 C. B., 21", "N. B.", nor after "the"
# (a vessel named by a man's initials: "the sealing of the J. H. L.").
_BARE_INITIALS = re.compile(rf"(?<![\w.])(?<!\d )(?:[{_UP}]\. ?){{2,4}}(?! ?\w)")
_NOT_PERSON_INITIALS = re.compile(r"N\. ?B\.")


def _initials(label: str) -> str:
    """"Newton D. Baker" → "NDB"; "" where the label has no given name or initial."""
    toks = [t for t in label.replace(".", ". ").split() if t.lower() not in _PARTS_LOWER]
    if len(toks) < 2 or toks[0].rstrip(".") in linking.FEMALE_TITLES:
        return ""
    return "".join(t[0] for t in toks if t[0].isupper())


def _initials_of_named(text: str, chosen: list[_Cand], memory: linking.CollectionMemory | None) -> list[_Cand]:
    """Initials standing for a person the document names: "Dear N. D. B.:" in a letter to the Secretary of
    War (Baker) is Newton D. Baker when he is the one person named here (or the one of that surname the
    collection knows) whose initials they are. Initials that fit no one, or two people, are left alone."""
    people: dict[str, dict[str, str]] = {}  # initials → {id: label}
    for c in chosen:
        if c.type != "person":
            continue
        labels = {c.id: c.name}
        if memory is not None and " " not in c.name.strip():
            labels.update(memory.full.get(gz.slug(c.name), {}))
        for eid, label in labels.items():
            ini = _initials(label)
            if len(ini) >= 2:
                people.setdefault(ini, {})[eid] = label
    if not people:
        return chosen
    spans = [(c.start, c.end) for c in chosen]
    new = []
    for m in _BARE_INITIALS.finditer(text):
        s, e = m.start(), m.end()
        form = m.group().rstrip()
        e = s + len(form)
        hits = people.get(form.replace(".", "").replace(" ", ""), {})
        if len(hits) != 1 or _NOT_INITIALS.match(form) or _NOT_PERSON_INITIALS.fullmatch(form) \
                or text.endswith(("the ", "The "), max(0, s - 4), s) or any(a < e and s < b for a, b in spans):
            continue
        (eid, label), = hits.items()
        new.append(_Cand(s, e, "person", eid, label, 5, "initials-of"))
    return sorted(chosen + new, key=lambda c: c.start) if new else chosen


# A letter's salutation by given name or rank: "Dear Walter:", "My Dear Colonel:".
_SALUTATION = re.compile(rf"\b(?:[Mm]y )?[Dd]ear (?P<w>[{_UP}][{_LOW}]+)\s*[:,]")


def _salutation(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """"Dear Walter:" in a letter to Mr. Walter Lippmann, "My Dear Colonel:" in one to Colonel E. M. House:
    the one person the document names with that given name, or with that rank. Two such people, or none,
    and the word is left alone."""
    given: dict[str, set[tuple[str, str]]] = {}
    ranks: dict[str, set[tuple[str, str]]] = {}
    for c in chosen:
        if c.type != "person":
            continue
        toks = c.name.split()
        if len(toks) >= 2 and len(toks[0]) > 2 and toks[0][-1] != "." and toks[0] not in linking.FEMALE_TITLES:
            given.setdefault(toks[0], set()).add((c.id, c.name))
        title = ((c.extra or {}).get("title") or "").rstrip(".")
        if title in _SALUTE_RANKS:
            ranks.setdefault(title, set()).add((c.id, c.name))
    new = []
    spans = [(c.start, c.end) for c in chosen]
    for m in _SALUTATION.finditer(text):
        w = m.group("w")
        hits = ranks.get(w, set()) if w in _SALUTE_RANKS else given.get(w, set())
        s, e = m.span("w")
        if len({h[0] for h in hits}) != 1 or any(a < e and s < b for a, b in spans):
            continue
        (eid, label), = hits
        new.append(_Cand(s, e, "person", eid, label, 5, "salutation"))
    return sorted(chosen + new, key=lambda c: c.start) if new else chosen


_SALUTE_RANKS = {"General", "Colonel", "Admiral", "Captain", "Major", "Commander", "Senator", "Governor", "Judge",
                 "Professor", "Doctor", "Bishop", "Father"}


def _bare_surname_ok(text: str, start: int, end: int) -> bool:
    """A list's surname standing alone: not inside a longer name ("International Law", "the White House")
    and not a word the document also writes in lower case ("law", "day")."""
    before = text[max(0, start - 24):start]
    if re.search(r"[A-Z][\w'’-]* $|(?:the|The) $", before) and not re.search(
            rf"(?:{_TITLE_A})\.? $|(?:{_TITLE_W}) $", before):
        return False
    if text.startswith(" of ", end):
        return False
    return not _has_word(text, text[start:end].lower())


def _has_word(text: str, w: str) -> bool:
    """`w` occurs in `text` as a whole word (plain string search: this runs for every learned name)."""
    i = text.find(w)
    n = len(w)
    while i >= 0:
        if (i == 0 or not text[i - 1].isalnum()) and (i + n >= len(text) or not text[i + n].isalnum()):
            return True
        i = text.find(w, i + 1)
    return False


def _first_word(name: str) -> str:
    return re.sub(r"^(?:[A-Z]\.\s?)+", "", name).split(" ")[0] if name else ""


def _trim(name: str) -> str:
    """Drop a possessive and trailing words that are not part of a name ("Wilson House", "Seward's")."""
    toks = name.split(" ")
    cut = next((i for i, t in enumerate(toks[:-1]) if t.endswith(("'s", "’s"))), None)
    if cut is not None:
        toks = toks[:cut + 1]  # "Wilson’s Declarations": the name ends at its possessive
    toks[-1] = linking.strip_possessive(toks[-1])
    while len(toks) > 1 and not _title_surname_after_initial(toks) and (
            toks[-1] in NOT_NAMES and toks[-1] not in SURNAME_OK or toks[-1] in _OFFICE_NAMES
                             or toks[-1].rstrip(".").isupper() and len(toks[-1]) <= 2 and not toks[-1].endswith(".")):
        toks.pop()
    while toks and toks[-1].lower() in _PARTS_LOWER:
        toks.pop()
    return " ".join(toks).strip()


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Keep the strongest, then longest, of overlapping candidates."""
    cands.sort(key=lambda c: (c.rank, -(c.end - c.start), c.start))
    taken: list[tuple[int, int]] = []
    chosen: list[_Cand] = []
    import bisect

    for c in cands:
        i = bisect.bisect_left(taken, (c.start, c.end))
        if i > 0 and taken[i - 1][1] > c.start:
            continue
        if i < len(taken) and taken[i][0] < c.end:
            continue
        taken.insert(i, (c.start, c.end))
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _year(doc: Document) -> int | None:
    d = doc.date
    if d is None or not d.start or not d.start[:4].isdigit():
        return None
    return int(d.start[:4])


def _is_office(mention: str) -> bool:
    """"Secretary-General", "the Librarian": every word an office or title, no name."""
    words = [w for w in re.split(r"[\s-]+", linking.strip_possessive(mention)) if w]
    return bool(words) and all(w in _OFFICE_NAMES or w in _ALL_TITLE_WORDS or w.rstrip(".") in _ALL_TITLE_WORDS
                               or w in ("General", "Under") for w in words) or mention in _OFFICE_NAMES
