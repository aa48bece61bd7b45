"""Chicago Manual of Style, 17th edition: notes (full form) and bibliography entries.

Rules followed (CMOS 17 section numbers): chapter in an edited book (14.106-107) and volume titles
(14.117-119); four or more authors or editors: first + "et al." in a note, all (up to ten) in the
bibliography (14.76); descriptive titles of letters and documents unquoted (14.111, 14.222);
online sources: access date before the URL, else the revision date (14.12-13); speeches (14.217);
inclusive page numbers abbreviated (9.61) with an en dash; headline-style capitals for English titles
(8.159); ordinals under one hundred spelled out (9.6); no date: "n.d." (14.145).

Text is built with italic markers and rendered as plain text, Markdown or HTML.
"""

from __future__ import annotations

import html
import re
from datetime import date as _date

from ..model import DocDate
from .names import Name, join_names
from .record import CitationRecord, Work

I0, I1 = "\x01", "\x02"  # italic on / off
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def it(s: str) -> str:
    return f"{I0}{s}{I1}"


def render(s: str, fmt: str = "text") -> str:
    if fmt == "html":
        s = html.escape(s, quote=False)
        return s.replace(I0, "<i>").replace(I1, "</i>")
    if fmt == "markdown":
        return s.replace(I0, "*").replace(I1, "*")
    return s.replace(I0, "").replace(I1, "")


# -- pieces --------------------------------------------------------------------------------------
def written_date(iso: str, precision: str = "day") -> str:
    """'1953-09-03' → 'September 3, 1953' (or 'September 1953', '1953' by precision)."""
    y, m, d = (iso.split("T")[0].split("-") + ["", ""])[:3]
    if precision == "year" or not m:
        return y
    month = MONTHS[int(m) - 1]
    if precision == "month" or not d:
        return f"{month} {y}"
    return f"{month} {int(d)}, {y}"


def doc_date(d: DocDate | None) -> str:
    if d is None:
        return "n.d."
    if d.precision in ("year", "month") and d.start[:4] != d.end[:4]:
        return f"{d.start[:4]}–{d.end[:4]}"
    return written_date(d.start, d.precision)


def page_range(pages: str) -> str:
    """Inclusive numbers, CMOS 9.61: 419-421 → 419–21; 101-108 → 101–8; 96-117 → 96–117; 100-104 kept."""
    m = re.fullmatch(r"\s*(\d+)\s*[-–—]+\s*(\d+)\s*", pages)
    if not m:
        return pages.replace("-", "–")
    a, b = m.group(1), m.group(2)
    ia, ib = int(a), int(b)
    if ib <= ia or ia < 100 or ia % 100 == 0 or len(a) != len(b):
        return f"{a}–{b}"
    if ia % 100 < 10:  # 101 through 109: only the changed part
        i = 0
        while a[i] == b[i]:
            i += 1
        return f"{a}–{b[i:]}"
    # 110 through 199: two digits or more as needed; if three digits change in a four-digit number, all four
    i = 0
    while i < len(a) - 2 and a[i] == b[i]:
        i += 1
    short = b[i:]
    if len(short) >= 3 and len(short) >= len(a) - 1:
        short = b
    return f"{a}–{short}"


_MINOR = set(
    "a an the and but or nor for so yet as at by for from in into of off on onto out over per to up upon via "
    "with within without about above across after against along among around before behind below beneath "
    "beside between beyond down during except inside like near since through toward towards under until "
    "unto versus vs".split()
)


def headline(title: str) -> str:
    """Headline-style capitals (CMOS 8.159) for an English title; words already capitalised are kept."""
    words = title.split(" ")
    out = []
    idx = [i for i, w in enumerate(words) if re.search(r"[A-Za-z]", w)]
    first, last = (idx[0], idx[-1]) if idx else (0, 0)
    after_colon = False
    for i, w in enumerate(words):
        core = re.sub(r"^[^\w]+|[^\w]+$", "", w)
        lower = core.lower()
        if core and core == lower and core.isalpha():
            major = i in (first, last) or after_colon or lower not in _MINOR
            if major:
                w = w.replace(core, core[0].upper() + core[1:], 1)
        elif core and i not in (first, last) and not after_colon and lower in _MINOR and core.istitle():
            w = w.replace(core, lower, 1)
        out.append(w)
        if core:
            after_colon = w.endswith((":", "—", "?", "!"))
    return " ".join(out)


def ordinal_words(n: int) -> str:
    """8 → 'eighth', 79 → 'seventy-ninth'; 100 and beyond as numerals ('101st')."""
    ones = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth"]
    tens_ord = {2: "twentieth", 3: "thirtieth", 4: "fortieth", 5: "fiftieth", 6: "sixtieth", 7: "seventieth",
                8: "eightieth", 9: "ninetieth"}
    tens = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
    if 0 < n < 20:
        return ones[n]
    if 20 <= n < 100:
        t, o = divmod(n, 10)
        return tens_ord[t] if o == 0 else f"{tens[t]}-{ones[o]}"
    if n == 100:
        return "one hundredth"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _quoted(title: str, closing: str) -> str:
    """“Title,” / “Title.” — the comma or period inside; none after ? or !."""
    if title.endswith(("?", "!")):
        return f"“{title}”"
    return f"“{title}{closing}”"


def _title_for(rec: CitationRecord) -> str | None:
    if not rec.title:
        return None
    t = " ".join(rec.title.split())
    if (rec.language or "en").startswith("en"):
        t = headline(t)
    return t


def _editors_note(eds: list[Name]) -> str:
    if len(eds) >= 4:
        return f"{eds[0].natural()} et al."
    return join_names([e.natural() for e in eds])


def _editors_bib(eds: list[Name]) -> str:
    if len(eds) > 10:
        return ", ".join(e.natural() for e in eds[:7]) + ", et al."
    return join_names([e.natural() for e in eds])


def _authors_bib(names: list[Name]) -> str:
    if not names:
        return ""
    if len(names) > 10:
        names = names[:7]
        return ", ".join([names[0].inverted()] + [n.natural() for n in names[1:]]) + ", et al."
    return join_names([names[0].inverted()] + [n.natural() for n in names[1:]])


def _container_it(rec: CitationRecord) -> str:
    """*Main*, vol. 2, *Volume Title*  or  *Full Title*."""
    if rec.container_main and rec.volume:
        s = f"{it(rec.container_main)}, vol. {rec.volume}"
        if rec.volume_title:
            s += f", {it(rec.volume_title)}"
        return s
    return it(rec.container or "")


def _online_note(rec: CitationRecord) -> list[str]:
    if not rec.url:
        return []
    if rec.accessed:
        return [f"accessed {written_date(rec.accessed)}", rec.url]
    if rec.modified:
        return [f"last modified {written_date(rec.modified)}", rec.url]
    return [rec.url]


def _online_bib(rec: CitationRecord) -> list[str]:
    if not rec.url:
        return []
    if rec.accessed:
        return [f"Accessed {written_date(rec.accessed)}.", f"{rec.url}."]
    if rec.modified:
        return [f"Last modified {written_date(rec.modified)}.", f"{rec.url}."]
    return [f"{rec.url}."]


def _pub(rec: CitationRecord) -> str:
    """'Bruxelles: Académie royale de Belgique, 1998' (missing parts left out)."""
    head = ": ".join(p for p in (rec.place, rec.publisher) if p)
    return ", ".join(p for p in (head, str(rec.year) if rec.year else "") if p)


def _locator_note(rec: CitationRecord) -> str | None:
    if rec.number:
        return f"Document {rec.number}"
    if rec.pages:
        return page_range(rec.pages)
    return None


def speaker_part(rec: CitationRecord) -> str:
    """'Vyshinsky (Union of Soviet Socialist Republics)', 'Joseph R. Biden (President, United States of
    America)'; the state alone where the speaker is unknown."""
    if not rec.authors or not rec.speaker:
        return rec.country or ""
    inside = ", ".join(p for p in (rec.speaker_post, rec.country) if p)
    return f"{rec.authors[0].natural()} ({inside})" if inside else rec.authors[0].natural()


def _original_note(rec: CitationRecord, sentence: bool) -> str:
    """'originally published in French in *Volume*, ed. … (Place: Publisher, Year), 419–21'."""
    o = rec.original
    if o is None:
        return ""
    lead = "Originally published" if sentence else "originally published"
    if rec.original_language:
        lead += f" in {rec.original_language}"
    s = f"{lead} in {_container_it(o)}"
    if o.editors:
        s += f", {'edited by ' + _editors_bib(o.editors) if sentence else 'ed. ' + _editors_note(o.editors)}"
    pub = _pub(o)
    if sentence:
        if o.pages:
            s += f", {page_range(o.pages)}"
        return s + (f". {pub}" if pub else "")
    if pub:
        s += f" ({pub})"
    if o.pages:
        s += f", {page_range(o.pages)}"
    return s


def _descriptive_heading(rec: CitationRecord) -> str:
    """FRUS: 'Heading, Place, Date' (descriptive, unquoted)."""
    bits = [rec.title or (f"Document {rec.number}" if rec.number else "Document")]
    if rec.doc_place:
        bits.append(rec.doc_place)
    if rec.date:
        bits.append(doc_date(rec.date))
    # the heading's own trailing comma ("Mr. Adams to Mr. Seward,") and doubled stops ("Mr.. Burlingame") are
    # typesetting, not part of the title
    return ", ".join(re.sub(r"(?<!\.)\.\.(?!\.)", ".", " ".join(b.split())).rstrip(".,;: ") for b in bits)


def speech_what(rec: CitationRecord, sentence: bool) -> str:
    s = f"{'Statement' if sentence else 'statement'} in the General Debate"
    if rec.session:
        s += f", {ordinal_words(rec.session)} session of the United Nations General Assembly"
    year = rec.date_year
    return s + (f", {year}" if year else "")


# -- notes ---------------------------------------------------------------------------------------
def note(rec: CitationRecord) -> str:
    """The full form of a footnote (the first time a source is cited), starting with a capital."""
    s = _note(rec)
    i = 1 if s.startswith(I0) else 0
    return s[:i] + s[i : i + 1].upper() + s[i + 1 :]


def _note(rec: CitationRecord) -> str:
    parts: list[str] = []
    if rec.kind == "frus":
        head = _descriptive_heading(rec)
        parts = [head]
        if rec.container or rec.container_main:  # an excerpt without a header names no volume
            cont = f"in {_container_it(rec)}"
            if rec.editors:
                cont += f", ed. {_editors_note(rec.editors)}"
            pub = _pub(rec)
            if pub:
                cont += f" ({pub})"
            parts.append(cont)
        loc = _locator_note(rec)
        if loc:
            parts.append(loc)
        parts += _online_note(rec)
        return ", ".join(parts) + "."
    if rec.kind == "speech":
        parts = [speaker_part(rec), speech_what(rec, sentence=False)]
        cont = f"in {it(rec.container or '')}"
        if rec.compilers:
            cont += f", comp. {_editors_note(rec.compilers)}"
        parts.append(cont)
        if rec.corpus_item:
            parts.append(rec.corpus_item)
        parts += _online_note(rec)
        return ", ".join(p for p in parts if p) + "."
    title = _title_for(rec)
    if rec.authors:
        parts.append(join_names([a.natural() for a in rec.authors]) if len(rec.authors) < 4
                     else f"{rec.authors[0].natural()} et al.")
    if rec.kind == "translation":
        lead = ", ".join(parts + ([_quoted(title, ",")] if title else ["untitled document"]))
        rest = [doc_date(rec.date)]
        if rec.translator:
            rest.append(f"trans. {rec.translator}")
        rest += _online_note(rec)
        orig = _original_note(rec, sentence=False)
        body = ", ".join(rest) + (f"; {orig}" if orig else "")
        return lead + (" " if title else ", ") + body + "."
    if rec.kind == "edited":
        lead = ", ".join(parts + ([_quoted(title, ",")] if title else []))
        body = f"in {_container_it(rec)}"
        if rec.editors:
            body += f", ed. {_editors_note(rec.editors)}"
        pub = _pub(rec)
        if pub:
            body += f" ({pub})"
        rest = [body]
        if rec.pages:
            rest.append(page_range(rec.pages))
        rest += _online_note(rec)
        sep = " " if title else ", "  # the quoted title carries its comma (or its ? or !)
        return (lead + sep if lead else "") + ", ".join(rest) + "."
    # archival
    lead = ", ".join(parts + ([_quoted(title, ",")] if title else ["untitled document"]))
    rest = []
    if rec.doc_place:
        rest.append(rec.doc_place)
    rest.append(doc_date(rec.date))
    rest.append(f"Despatch collection {rec.archive}, {rec.archive_location}")
    rest += _online_note(rec)
    sep = " " if title else ", "
    return lead + sep + ", ".join(rest) + "."


# -- bibliography --------------------------------------------------------------------------------
def bibliography(rec: CitationRecord) -> str:
    """The bibliography entry (for a UN speech, followed by the papers that describe the corpus)."""
    sentences: list[str] = []
    if rec.kind == "frus":
        sentences.append(_descriptive_heading(rec) + ".")
        loc = _locator_note(rec)
        if rec.container or rec.container_main:
            cont = f"In {_container_it(rec)}"
            if rec.editors:
                cont += f", edited by {_editors_bib(rec.editors)}"
            if loc:
                cont += f", {loc}"
            sentences.append(cont + ".")
        elif loc:
            sentences.append(loc + ".")
        pub = _pub(rec)
        if pub:
            sentences.append(pub + ".")
        sentences += _online_bib(rec)
        return " ".join(sentences)
    if rec.kind == "speech":
        sentences.append(f"{speaker_part(rec)}.")
        sentences.append(speech_what(rec, sentence=True) + ".")
        cont = f"In {it(rec.container or '')}"
        if rec.compilers:
            cont += f", compiled by {_editors_bib(rec.compilers)}"
        sentences.append(cont + ".")
        if rec.corpus_item:
            sentences.append(rec.corpus_item + ".")
        sentences += _online_bib(rec)
        entries = [" ".join(sentences)] + [work_bibliography(w) for w in sorted(rec.works, key=_work_sort)]
        return "\n".join(entries)
    title = _title_for(rec)
    if rec.authors:
        sentences.append(_authors_bib(rec.authors) + ".")
    sentences.append(_quoted(title, ".") if title else "Untitled document.")
    if rec.kind == "translation":
        sentences.append(doc_date(rec.date) + ".")
        if rec.translator:
            sentences.append(f"Translated by {rec.translator}.")
        sentences += _online_bib(rec)
        orig = _original_note(rec, sentence=True)
        if orig:
            sentences.append(orig + ".")
        return " ".join(sentences)
    if rec.kind == "edited":
        cont = f"In {_container_it(rec)}"
        if rec.editors:
            cont += f", edited by {_editors_bib(rec.editors)}"
        if rec.pages:
            cont += f", {page_range(rec.pages)}"
        sentences.append(cont + ".")
        pub = _pub(rec)
        if pub:
            sentences.append(pub + ".")
    else:
        dated = doc_date(rec.date)
        dated = f"{rec.doc_place}, {dated}" if rec.doc_place else dated[:1].upper() + dated[1:]
        sentences.append(dated if dated.endswith(".") else dated + ".")
        sentences.append(f"Despatch collection {rec.archive}, {rec.archive_location}.")
    sentences += _online_bib(rec)
    return " ".join(sentences)


def _work_sort(w: Work) -> str:
    return w.authors[0].family or ""


def work_bibliography(w: Work) -> str:
    s = f"{_authors_bib(list(w.authors))}. {_quoted(w.title, '.')} {it(w.journal)}"
    if w.volume:
        s += f" {w.volume}"
        if w.issue:
            s += f", no. {w.issue}"
        s += f" ({w.year})."
    else:
        s += f" ({w.year})."
    if w.doi:
        s += f" https://doi.org/{w.doi}."
    return s


def today() -> str:
    return _date.today().isoformat()
