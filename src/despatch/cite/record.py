"""A Document → a neutral citation record, by kind; every style (Chicago, BibTeX, RIS, CSL-JSON) reads it.

Four kinds, told apart by what the readers put on the document:

- ``frus``: a Foreign Relations of the United States document (URL on history.state.gov, or a FRUS
  volume id in ``metadata["volume"]``), cited by document number, by page where the volume has none;
- ``speech``: a UN General Debate statement (``metadata`` has ``country`` and ``session``), cited with
  the corpus as its container;
- ``edited``: a document printed in an edited collection (``doc.source.title``), perhaps read online;
- ``archival``: a document known only from the archive's own metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..countries import country_name
from ..markings import read_markings
from ..model import DocDate, Document
from ..parties import name_and_role
from .names import Name, speaker_name

FRUS_URL = "https://history.state.gov/historicaldocuments/"
UN_CORPUS_TITLE = "United Nations General Debate Corpus"
UN_CORPUS_COMPILERS = [Name("Jankin", "Slava"), Name("Baturo", "Alexander"), Name("Dasandi", "Niheer")]


@dataclass(frozen=True)
class Work:
    """A publication a citation points readers to beside the item itself (the UN corpus papers)."""

    key: str
    authors: tuple[Name, ...]
    title: str
    journal: str
    year: int
    volume: str | None = None
    issue: str | None = None
    doi: str | None = None


UN_CORPUS_WORKS = (
    Work(
        "Baturo2017",
        (Name("Baturo", "Alexander"), Name("Dasandi", "Niheer"), Name("Mikhaylov", "Slava J.")),
        "Understanding State Preferences with Text as Data: Introducing the UN General Debate Corpus",
        "Research & Politics", 2017, "4", "2", "10.1177/2053168017712821",
    ),
    Work(
        "Jankin2025",
        (Name("Jankin", "Slava"), Name("Baturo", "Alexander"), Name("Dasandi", "Niheer")),
        "Words to Unite Nations: The Complete UN General Debate Corpus, 1946–Present",
        "Journal of Peace Research", 2025,
    ),
)


@dataclass
class CitationRecord:
    kind: str  # edited | translation | frus | speech | archival
    id: str
    title: str | None = None
    language: str | None = None
    authors: list[Name] = field(default_factory=list)
    editors: list[Name] = field(default_factory=list)
    compilers: list[Name] = field(default_factory=list)
    # The container: for `edited` the printed collection, for `frus` the volume, for `speech` the corpus.
    container: str | None = None  # the container's full title as written
    container_main: str | None = None  # the multivolume work's title, when a volume could be told apart
    volume: str | None = None  # arabic numerals
    volume_title: str | None = None
    publisher: str | None = None
    place: str | None = None  # of publication
    year: int | None = None  # of publication
    isbn: str | None = None
    pages: str | None = None  # "419-421"
    number: str | None = None  # FRUS document number
    url: str | None = None
    accessed: str | None = None  # ISO date
    modified: str | None = None  # ISO date the online record was last updated
    date: DocDate | None = None  # the document's own date
    doc_place: str | None = None
    doc_type: str | None = None
    abstract: str | None = None
    archive: str | None = None  # the Despatch collection
    archive_location: str | None = None  # the Despatch id
    country: str | None = None
    country_code: str | None = None
    session: int | None = None
    speaker: str | None = None
    corpus_item: str | None = None  # the corpus file name stem, e.g. USA_08_1953
    archival_source: str | None = None  # FRUS: the file the editors printed from
    works: tuple[Work, ...] = ()
    speaker_post: str | None = None
    # A translation read online (the CVCE's English of a French document): who translated it, and the
    # printed original it was made from (`original` is a record of kind "edited" for that volume).
    translator: str | None = None
    original_language: str | None = None
    original: CitationRecord | None = None

    @property
    def date_year(self) -> int | None:
        return int(self.date.start[:4]) if self.date and self.date.start[:4].isdigit() else None


def kind_of(doc: Document) -> str:
    md = doc.metadata or {}
    if (doc.url or "").startswith(FRUS_URL) or str(md.get("volume", "")).startswith("frus"):
        return "frus"
    if md.get("country") and md.get("session") is not None:
        return "speech"
    if doc.source and doc.source.title:
        return "edited"
    return "archival"


def to_record(doc: Document, accessed: str | None = None) -> CitationRecord:
    """The citation record for a document; `accessed` (YYYY-MM-DD) is when the reader consulted it online."""
    kind = kind_of(doc)
    rec = CitationRecord(
        kind=kind,
        id=doc.id,
        title=_title(doc.title),
        language=doc.language,
        url=doc.url,
        accessed=accessed if doc.url else None,
        modified=doc.last_updated,
        date=doc.date,
        doc_place=doc.place,
        doc_type=doc.doc_type,
        abstract=doc.caption,
        archive=doc.collection,
        archive_location=doc.id,
    )
    if doc.originator:
        rec.authors = [Name(literal=doc.originator)]
    src = doc.source
    if src is not None:
        rec.editors = [Name.parse(e) for e in src.editors if e and e.strip()]
        rec.container = src.title
        rec.publisher, rec.place, rec.year = src.publisher, src.place, src.year
        rec.isbn, rec.pages = src.isbn, src.pages
    if kind == "edited":
        _split_volume(rec)
        _translation(rec, doc)
    elif kind == "frus":
        _frus(rec, doc)
    elif kind == "speech":
        _speech(rec, doc)
    return rec


_VOLUME = re.compile(
    r"^(?P<main>.+?)[.,;]?\s+(?:Tome|Tomo|Vol\.|Volume|Band|Bd\.|Deel|Part)\s+(?P<n>[IVXLC]+|\d+)\b\s*[:.,]?\s*(?P<title>.*)$"
)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = _ROMAN.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


def _split_volume(rec: CitationRecord) -> None:
    """'Documents … belges. Tome II: Défense 1941-1960' → main title, volume 2, volume title."""
    if not rec.container:
        return
    m = _VOLUME.match(rec.container)
    if not m:
        return
    n = roman_to_int(m["n"])
    if n is None:
        return
    rec.container_main = m["main"].strip()
    rec.volume = str(n)
    rec.volume_title = m["title"].strip() or None


_TRANSLATED_BY = re.compile(r"\bTranslation\s+(?:by\s+)?(?P<who>[\w.'’-]+)", re.I)
_LANGUAGES = {"fr": "French", "de": "German", "en": "English", "nl": "Dutch", "it": "Italian", "es": "Spanish",
              "ru": "Russian", "pt": "Portuguese"}


def _reference_language(text: str) -> str | None:
    """The language a bibliographic reference is written in, from its function words ("de", "la", "sous",
    "à"): a reference is too short for `guess_language`'s share-of-text test, so two hits and a clear lead
    suffice."""
    from collections import Counter

    from ..langid import _STOPSETS, _WORD

    counts = Counter(_WORD.findall(text.lower()))
    scores = sorted(((sum(counts[w] for w in ws), lang) for lang, ws in _STOPSETS.items()), reverse=True)
    if len(scores) > 1 and scores[0][0] >= 2 and scores[0][0] >= 2 * scores[1][0]:
        return scores[0][1]
    return None


def _translation(rec: CitationRecord, doc: Document) -> None:
    """A document read in translation ("(c) Translation CVCE.EU by UNI.LU" in its rights, or a printed source
    in another language): the printed volume becomes the original, named as such, and the translation is cited
    as what the reader read, online."""
    m = _TRANSLATED_BY.search(doc.rights or "")
    src_lang = None
    if doc.source and (doc.source.title or doc.source.text):
        src_lang = _reference_language(" ".join(x for x in (doc.source.title, doc.source.text) if x))
    lang = (doc.language or "")[:2]
    if not m and not (src_lang and lang and src_lang[:2] != lang):
        return
    who = m["who"] if m else None
    if who and who.upper().endswith(".EU"):
        who = who[:-3] + ".eu"  # the CVCE writes its name "CVCE.eu"; its notices shout it
    original = CitationRecord(kind="edited", id=rec.id, editors=rec.editors, container=rec.container,
                              container_main=rec.container_main, volume=rec.volume, volume_title=rec.volume_title,
                              publisher=rec.publisher, place=rec.place, year=rec.year, isbn=rec.isbn,
                              pages=rec.pages, language=src_lang)
    rec.kind = "translation"
    rec.translator = who
    rec.original = original
    rec.original_language = _LANGUAGES.get((src_lang or "")[:2])
    rec.editors, rec.container, rec.container_main, rec.volume, rec.volume_title = [], None, None, None, None
    rec.publisher = rec.place = rec.isbn = rec.pages = None
    rec.year = None


def _frus(rec: CitationRecord, doc: Document) -> None:
    """Series, volume number and the volume's own title, taken apart from the volume's complete title.

    'Foreign Relations of the United States Diplomatic Papers, 1936, The Near East and Africa, Volume III'
    with series '… Diplomatic Papers', subseries '1936' and number 'Volume III' → *Foreign Relations of the
    United States Diplomatic Papers, 1936*, vol. 3, *The Near East and Africa*.
    """
    md = doc.metadata or {}
    complete = _clean(md.get("volume_title")) or rec.container
    head = ", ".join(p for p in (_clean(md.get("series")), _clean(md.get("subseries"))) if p and p != complete)
    vol_no = _clean(md.get("volume_number") or md.get("volumenumber"))
    n = roman_to_int(vol_no.split()[-1]) if vol_no else None
    own = complete or ""
    split = bool(head) and own.startswith(head)  # else the complete title is not series + volume: keep it whole
    if split:
        own = own[len(head):].lstrip(" ,.:")
    if vol_no and own.endswith(vol_no):
        own = own[: -len(vol_no)].rstrip(" ,.:")
    named = _clean(md.get("volume_name"))  # the volume's own title, where the reader gives it
    if n is not None and head and (split or named):
        rec.container_main, rec.volume, rec.volume_title = head, str(n), named or own or None
    rec.container = complete or head or None
    number = md.get("number")
    rec.number = str(number) if number not in (None, "") else None
    if rec.number and rec.title:  # "475. Telegram From …": the number is cited as "Document 475", not twice
        rec.title = re.sub(rf"^\s*{re.escape(rec.number)}\.\s+", "", rec.title) or rec.title
    if not rec.pages:
        pages = md.get("pages") or []
        if pages:
            rec.pages = pages[0] if len(pages) == 1 else f"{pages[0]}-{pages[-1]}"
    # The file the editors printed from, without the markings the note adds ("Secret; Niact."): those
    # describe the document, not where it is kept, and belong in no citation part.
    rec.archival_source = _clean(md.get("archival_location")) or _without_markings(_clean(md.get("archival_source")))
    # The heading is the descriptive title; the author is the sender, by name where the heading gives one
    # ("The Chargé in the Soviet Union (Kennan)" → Kennan), else by office ("Secretary of State").
    who = _clean(md.get("originator_name")) or _clean(md.get("originator_role"))
    if not who and doc.originator:
        who = name_and_role(doc.originator)[0] or name_and_role(doc.originator)[1]
    rec.authors = [Name(literal=who)] if who else []


def _without_markings(source: str | None) -> str | None:
    """An early volume's source line without its bracketed markings: "No. 6.; [Confidential.]" → "No. 6."."""
    if not source:
        return None
    parts = [p for p in re.split(r";\s*", source) if not read_markings(p.strip(" []()."))]
    return "; ".join(parts).strip() or None


def _speech(rec: CitationRecord, doc: Document) -> None:
    md = doc.metadata or {}
    code = str(md["country"])
    year = md.get("year") if isinstance(md.get("year"), int) else rec.date_year
    rec.country_code = code
    rec.country = country_name(code, year)
    rec.session = int(md["session"])
    rec.speaker = speaker_name(str(md["speaker"])) if md.get("speaker") else None
    rec.speaker_post = _clean(md.get("speaker_post"))
    rec.corpus_item = doc.file.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] if doc.file else doc.id.rsplit("/", 1)[-1]
    # the speaker is the author (CMOS 14.217), named without "Mr." and with the state he spoke for
    rec.authors = [Name(literal=_bare(rec.speaker))] if rec.speaker else [Name(literal=rec.country)]
    rec.container = UN_CORPUS_TITLE
    rec.compilers = list(UN_CORPUS_COMPILERS)
    rec.works = UN_CORPUS_WORKS
    rec.title = None  # the reader's title is a label ("United States, session 8 (1953)"), not the speech's
    if year and rec.date is None:
        rec.date = DocDate(f"{year}-01-01", f"{year}-12-31", "year")


_HONORIFICS = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Mme|Mlle|Dr|Sir|M|H\.\s?E|H\.\s?M)\.?\s+)+", re.I)


def _bare(name: str) -> str:
    """'Mr. Vyshinsky' → 'Vyshinsky' (Chicago leaves honorifics out; 'Sir' and titles of nobility stay)."""
    return _HONORIFICS.sub("", name).strip() if not name.startswith("Sir ") else name


def _title(v: str | None) -> str | None:
    """A title without the comma, colon or semicolon it may end in when it is a document's first line ("Mr.
    President, Your Excellencies,"): the style adds its own punctuation after it, and ",," is an empty part."""
    s = _clean(v)
    return (s.rstrip(" ,;:") or None) if s else None


def _clean(v: Any) -> str | None:
    if v is None:
        return None
    s = " ".join(str(v).split())
    return s or None
