"""Dates written in the text: absolute, partial and relative (resolved against the document's own date), ranges.

Values are ISO 8601 with a precision (year, month, day) and the range they stand for ("April" in a
September 1953 note is 1953-04, 1953-04-01..1953-04-30). Numeric dates (31.7.53, 7/31/1953) are read
day-first unless the document writes its dates month-first ("July 31, 1953") or the numbers allow only one
reading.

Partial and relative expressions — "this year", "last month", "the 6th instant", "the 31st ultimo", "the
6th of November last", "yesterday", "next spring", "in April" — are resolved against the document's date
*and its precision* (`anchor_of`): a telegram dated to the day places "yesterday"; a UN speech known only
by its session year places "in April of this year" in that year and "last September" in the year before
(the General Debate opens in September), but not "this month". The words decide the direction ("last",
"ultimo", "ago" backward; "next", "proximo", "coming" forward); without such a word a nearby verb does
("was held in April", "will meet in January"), and otherwise the document's year is taken. Each resolved
value says how (`resolved_from`, `rule`, `anchor`); what cannot be placed keeps its text, value None and
the reason (`unresolved`).

A number that is an amount or a count ("for 1620 francs", "1850 tons", "No. 1917") is not a date.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Annotation, Document
from .amounts import CURRENCIES
from .scan import Scan

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)"
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|d)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_DASH = r"\s?[-–—]\s?|\s(?:to|and|until)\s"
# Words after a number that make it an amount or a count, not a year ("for 1620 francs", "1850 tons").
_UNITS = sorted({*(k.split()[-1] for k in CURRENCIES), "men", "troops", "soldiers", "tons", "tonnes", "acres",
                 "miles", "kilometres", "kilometers", "feet", "yards", "metres", "meters", "hectares", "head",
                 "cattle", "persons", "people", "inhabitants", "families", "votes", "copies", "bales", "barrels",
                 "bushels", "cases", "pieces", "ounces", "lbs", "pounds", "dollars", "sterling", "square", "cubic",
                 "refugees", "prisoners", "workers", "ships", "vessels", "guns", "rifles", "rounds", "killed",
                 "wounded", "dead", "houses", "students", "Chinese", "Europeans", "natives", "souls", "hogsheads",
                 "gallons", "quintals", "kilos", "kilograms", "piculs", "catties", "bags", "sacks", "horses",
                 "mules", "sheep", "laborers", "labourers", "emigrants", "immigrants", "passengers", "seamen",
                 "sailors", "marines", "officers", "per", "percent", "%"}, key=len, reverse=True)
_UNIT_AFTER = re.compile(r"\s?(?:of\s)?(?:" + "|".join(re.escape(u) for u in _UNITS) + r")(?![\w])", re.I)
_AMOUNT_BEFORE = re.compile(r"(?:[$£€¥]|\bfr\.|\bfrs\.|\brs\.|\bNos?\.|\bnumber|\bpage|\bpp?\.|\barticle|\bsection|"
                            r"\bparagraph|\bresolution|\bdocument|\bletter|\bdespatch|\bdispatch|\btelegram|\bcable|"
                            r"\bhouse|\bstreet|\broom|\bcode|\bplot|\bsum of|\bamount of|\btotal of|\bpaid|\bcost)"
                            r"\s?$", re.I)

RANGE_RX = Scan(r"[\w/.,-]", rf"(?P<y1>{_YEAR})(?:{_DASH})(?P<y2>{_YEAR}|\d\d)"
                r"(?![\w/-]|[.,]\d|\s(?:million|billion|thousand))")
_AD = r"(?:A\.\s?D\.\s?)?"
# The year printed after a list of days ("of 24 January and 14 December 1946", "July 31, and August 8 and 12,
# 1918") or after a dual date's second reading ("January 21 (February 8), 1899") belongs to the first day too.
_LIST_ITEM = rf"(?:{_DAY}\s(?:of\s)?{_MON}|{_MON}\s{_DAY}|{_DAY})"
_LIST_YEAR = re.compile(rf"(?:\s?\([^()\n]{{1,25}}\)|\))?(?:,?\s(?:and\s|&\s|or\s|to\s)?{_LIST_ITEM}){{0,6}},?\s"
                        rf"(?P<y>{_YEAR})(?![\w])")
# A count after "and 2000", "some 1500": a plural noun that is not in the list of units ("2000 cars").
_WEAK_BEFORE = re.compile(r"\b(?:and|or|than|over|under|about|around|nearly|almost|some|only|least)\s$", re.I)
_PLURAL_AFTER = re.compile(r"\s(?!(?:years|days|months|was|has|is|as|its|this|thus|his|always|afterwards|towards|"
                           r"besides|perhaps|whereas|less|unless|across|ours|yours|theirs)\b)[a-z]{2,}s\b")
DMY_RX = re.compile(rf"(?<![\w])(?P<d>{_DAY})\s(?:day\sof\s|of\s)?(?P<m>{_MON})(?:,?\s{_AD}(?P<y>{_YEAR}))?(?!\w)")
MDY_RX = Scan(r"\w", rf"(?P<m>{_MON})\s(?P<d>{_DAY})(?:,?\s{_AD}(?P<y>{_YEAR})|,\s[’'](?P<yy>\d\d))?(?![\w:])")
MY_RX = Scan(r"\w", rf"(?P<m>{_MON})(?:,?\s(?:of\s)?(?P<y>{_YEAR}))(?!\w)")
NUM_RX = Scan(r"[\w./-]", r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
              r"(?![\w/-]|[.,]\d)")
ISO_RX = Scan(r"[\w./-]", r"(?P<y>1[5-9]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w-])")
# "the 22d instant", "the 30th ult.", "the 6th of this month", "the 3d of last month"
REL_DAY_RX = Scan(r"\w", rf"the\s(?P<d>{_DAY})\s(?:(?P<rel>instant|inst\.|ultimo|ult\.|proximo|prox\.)|"
                  r"of\s(?P<which>this|the present|the current|last|the past|next|the coming)\smonth)", re.I)
# What may follow a day and month without a year: "the 6th of November last", "November 6 next".
_LAST_NEXT_AFTER = re.compile(r"^,?\s(?P<w>last|next|ultimo|ult\.|proximo|prox\.)(?![\w])")
_THAT_YEAR = re.compile(r",?\s(?:of|in)\s(?:(?:that|the same|the following|the preceding|the previous|the next)"
                        r"\syear\b|the\syear\s(?:of(?!\s(?:our\s)?Lord\b)|in\swhich|when|after|before|following)\b)")
# "the 25th of May last year": the May of the year before, not the latest May
_LAST_YEAR_AFTER = re.compile(r"\syear\b")
_RECEIVED_BEFORE = re.compile(r"\b[Rr]eceived:?\s(?:on\s)?$")
_YEAR_WORDS = r"this|the present|the current|the same|last|the last|the previous|the past|next|the coming|the following"
# A month name alone, found first (a selective literal search), then the words before it checked.
MONTH_ALONE_RX = Scan(
    r"\w",
    rf"(?P<m>{_MONTH_FULL})(?![\w])(?!\s{_DAY}\b|,?\s{_YEAR}|\s(?:\d|of\s\d))"
    rf"(?P<suffix>\s(?:of|in)\s(?P<yw>{_YEAR_WORDS})\syear|,?\s(?P<ln>last|next|ultimo|proximo)(?![\w]))?"
)
_PREP_BEFORE = re.compile(
    r"(?<![\w-])(?P<prep>(?i:in|since|until|till|by|during|from|of|before|after|early|late|mid-|between|and|or|to|"
    r"through|since early|since late|in early|in late|in mid-|at the end of|at the beginning of|the end of|"
    r"the beginning of|the middle of|the month of|last|next|this|the last|the coming|the past))(?:\s|(?<=-))$"
)
YEAR_RX = Scan(r"[\w/.,$£€-]", rf"(?P<y>{_YEAR})(?![\w/-]|,\d|\.\d|\s(?:million|billion|thousand))")


def _both(*words: str) -> str:
    """A literal alternation of words as written and capitalised: the regex engine searches it fast, which
    a case-insensitive pattern (or one behind a lookbehind) it cannot."""
    return "|".join(sorted({v for w in words for v in (w, w[:1].upper() + w[1:])}, key=len, reverse=True))


# Relative periods: the unit is searched first, the words before it checked after.
REL_UNIT_RX = re.compile(rf"(?<![\w-])(?P<u>{_both('years', 'year', 'months', 'month', 'weeks', 'week')})(?![\w-])")
_REL_BEFORE = re.compile(r"(?<![\w-])(?P<w>(?i:this|last|next|the current|the present|the previous|the past|"
                         r"the coming|recent|the last few|the next few|past|coming|the last|the next))\s$")
_UNITS_W = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS_W = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"]
_TENS_W = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# A count written in words, as far as "ninety-nine" and "a hundred": "thirty-eight years ago" is 38 years,
# not "eight years ago" read from its tail.
_NUM_WORDS = (rf"(?:(?:{'|'.join(_TENS_W)})(?:[- ](?:{'|'.join(_UNITS_W)}))?|{'|'.join(_TEENS_W)}|"
              rf"{'|'.join(_UNITS_W)}|a|an|a hundred|one hundred)")
AGO_RX = Scan(r"[\w-]", rf"(?P<n>{_NUM_WORDS}|\d{{1,3}})\s(?P<u>years?|months?)\sago(?!\w)", re.I)
_DAY_WORDS = _both("the day before yesterday", "yesterday", "to-day", "today", "to-morrow", "tomorrow", "last night",
                   "this morning", "this afternoon", "this evening", "to-night", "tonight")
DAY_REL_RX = Scan(r"\w", rf"(?P<w>{_DAY_WORDS})(?!\w)")
SEASON_RX = Scan(r"\w", rf"(?P<s>{_both('spring', 'summer', 'autumn', 'fall', 'winter')})(?![\w-])")
_SEASON_BEFORE = re.compile(r"(?<![\w-])(?P<w>(?i:this|last|next|the coming|the past|the last|the present|"
                            r"the following))\s$")
_SEASON_AFTER = re.compile(rf"\sof\s(?:(?P<y>{_YEAR})|(?P<yw>this|last|next|the present|the current|the past|"
                           r"the previous|the coming)\syear)(?!\w)")
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_WORD_N = {"a": 1, "an": 1, "a hundred": 100, "one hundred": 100, **{w: i for i, w in enumerate(_UNITS_W, 1)},
           **{w: i for i, w in enumerate(_TEENS_W, 10)}, **{w: i for i, w in enumerate(_TENS_W, 2)}}


# Words before a count that make it approximate ("about", "nearly") or a bound ("over", "more than").
_AGO_QUALIFIER = re.compile(r"(?<![\w-])(?P<q>(?i:over|more than|upwards of|about|some|nearly|almost|approximately|"
                            r"roughly|around))\s$")


def _words_n(s: str) -> int:
    """The number a count in words stands for ("thirty-eight" → 38, "a hundred" → 100)."""
    s = re.sub(r"\s+", " ", s.lower())
    if s in _WORD_N and s not in _TENS_W:
        return _WORD_N[s]
    tens, _, unit = s.replace("-", " ").partition(" ")
    return _WORD_N[tens] * 10 + (_WORD_N[unit] if unit else 0)

# Tense near a partial date decides its direction when its own words don't.
_PAST = re.compile(r"\b(?:was|were|had|did|took place|held|adopted|signed|met|said|stated|declared|decided|began|"
                   r"ended|received|sent|reported|informed|occurred|happened|arrived|left|returned|addressed|"
                   r"passed|approved|rejected|ratified|concluded|opened|closed|made|saw|witnessed|ago|since|"
                   r"earlier|already|last|ultimo|despatch|dispatch|your (?:note|letter|No)|dated|of the \d)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|would be|is to|are to|to be held|going to|next|forthcoming|coming|scheduled|"
                     r"expected|intends?|plans?|proposed to|due to|hope to|until|till|by the end of)\b", re.I)

# "the next day", "the following morning": a step in a narrative (usually of the past), not the future.
_SEQUENCE = re.compile(r"\b(?:the|on the)\s(?:next|following)\s(?:day|morning|afternoon|evening|night)\b", re.I)

#: Month in which each General Assembly regular session opened, where it was not September (its General
#: Debate followed within weeks): the first session's second part, and the sessions held in Paris or late.
UN_SESSION_OPENED = {1: 10, 6: 11, 7: 10, 11: 11}


@dataclass(frozen=True)
class Anchor:
    """What the document's date allows: its year, the months it may fall in, and the day when known."""

    year: int
    lo: int  # first month the document may have been written in
    hi: int  # last month
    day: date | None
    how: str  # shown in each resolved value

    @property
    def month(self) -> int | None:
        """The document's month, when its date gives one ("this month", "the 6th instant")."""
        return self.lo if self.hi == self.lo else None

    @property
    def ref(self) -> int | None:
        """The month "last April" and "next March" count from: the document's, or the first of a window of two
        (a General Debate running from September into October)."""
        return self.lo if self.hi - self.lo <= 1 else None


def anchor_of(doc: Document) -> Anchor | None:
    """The document's date as an anchor for partial dates; a UN speech dated by its session year is placed in
    the months of that session's General Debate (September–October; the sessions that opened later too)."""
    d = doc.date
    if d is None or not d.start or not d.start[:4].isdigit():
        return None
    y = int(d.start[:4])
    if y < 1000:
        return None
    if d.precision in ("day", "minute") and d.start[:10] == d.end[:10]:
        day = date.fromisoformat(d.start[:10])
        return Anchor(y, day.month, day.month, day, d.start[:10])
    if d.precision in ("day", "minute", "month") and d.start[:7] == d.end[:7]:
        m = int(d.start[5:7])
        return Anchor(y, m, m, None, d.start[:7])
    if d.end[:4] != d.start[:4]:
        return None  # a range of years: nothing to place "this year" in
    md = doc.metadata or {}
    if isinstance(md.get("session"), int) and md.get("country") and d.precision == "year":
        m = UN_SESSION_OPENED.get(md["session"], 9)
        return Anchor(y, m, m + 1, None, f"{y} (General Debate of session {md['session']}, opened in "
                                         f"{calendar.month_name[m]})")
    lo, hi = int(d.start[5:7]), int(d.end[5:7])
    return Anchor(y, lo, hi, None, str(y) if (lo, hi) == (1, 12) else f"{d.start[:7]}..{d.end[:7]}")


# An enclosure printed inside a despatch ("[Inclosure 3.—Translation.]") and its own dateline a few lines
# below ("Commune of Middelkerke, Police Station, Middelkerke, June 27, 1901."): "the 15th instant" there is
# the enclosure's month, not the covering despatch's.
# The marker is a heading of its own ("[Inclosure 1 in No. 938.]", "Enclosure 2"), not an item of a list of
# what is enclosed ("Inclosure 1. A contract entered into by the Venezuelan Government ..."); "lnclosure" is the
# OCR of the printed volume reading a capital I as l.
_ENCLOSURE_RX = re.compile(r"^(?:\[(?:Sub-?)?(?:In|ln|En)closure\b[^\n\]]{0,80}\]?|(?:Sub-?)?(?:In|ln|En)closure"
                           r"(?:\s[\w.,:;—-]+){0,5}?)$", re.M | re.I)
_DATELINE_END = re.compile(rf"(?:(?P<m>{_MON})\s(?P<d>{_DAY}),?\s(?P<y>{_YEAR})|(?P<d2>{_DAY})\s(?:day\sof\s|of\s)?"
                           rf"(?P<m2>{_MON}),?\s(?P<y2>{_YEAR}))\.?"
                           # a time after it ("—6 p.m.", ", noon"), and the editor's brackets ("[Santiago, August 10,
                           # 1934.]") around a dateline the edition supplied
                           r"(?:\s?[—–-]\s?|,\s)?(?:\d{1,2}(?:[:.]\d\d)?\s?[ap]\.\s?m\.|noon|midnight)?\]?\.?\s*$")


def _footnotes(doc: Document) -> list:
    """The editor's footnotes (note blocks after the body); not a labelled note in the body such as
    "[Inclosure 3.—Translation.]", which the TEI reader also keeps as a note."""
    return [s for s in doc.structure if s.type == "note" and s.label is None]


def segment_anchors(doc: Document, anchor: Anchor | None) -> list[tuple[int, Anchor | None]]:
    """(offset, anchor) from where each anchor holds: the document's date, then each dated enclosure's own
    dateline until the next enclosure or the editor's footnotes (which are the document's again)."""
    text = doc.text
    notes = min((s.start for s in _footnotes(doc)), default=len(text))
    out: list[tuple[int, Anchor | None]] = [(0, anchor)]
    for m in _ENCLOSURE_RX.finditer(text, 0, notes):
        own = anchor
        for line in text[m.end() + 1:m.end() + 600].split("\n")[:4]:
            d = _DATELINE_END.search(line) if len(line) <= 160 else None
            if d is None:
                continue
            mon = MONTHS[(d["m"] or d["m2"]).rstrip(".").lower()]
            try:
                day = date(int(d["y"] or d["y2"]), mon, _int(d["d"] or d["d2"]))
            except ValueError:
                break
            own = Anchor(day.year, mon, mon, day, f"{day.isoformat()} (the dateline of the enclosure it is in)")
            break
        out.append((m.start(), own))
    if notes < len(text) and len(out) > 1:
        out.append((notes, anchor))
    return out



def _month_first(doc: Document) -> bool:
    """Month-first if the document writes "July 31, 1953" more than "31 July 1953" (US usage)."""
    md = sum(1 for _ in MDY_RX.finditer(doc.text[:20000]))
    dm = len(DMY_RX.findall(doc.text[:20000]))
    if md != dm:
        return md > dm
    return (doc.language or "").lower() in ("en-us",)


def _day(y: int, m: int, d: int) -> dict | None:
    if not (1 <= m <= 12) or not (1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    return {"value": iso, "precision": "day", "start": iso, "end": iso}


def _month(y: int, m: int) -> dict:
    last = calendar.monthrange(y, m)[1]
    return {"value": f"{y:04d}-{m:02d}", "precision": "month", "start": f"{y:04d}-{m:02d}-01",
            "end": f"{y:04d}-{m:02d}-{last:02d}"}


def _months(y1: int, m1: int, y2: int, m2: int) -> dict:
    last = calendar.monthrange(y2, m2)[1]
    return {"value": f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", "precision": "month", "start": f"{y1:04d}-{m1:02d}-01",
            "end": f"{y2:04d}-{m2:02d}-{last:02d}"}


def _year(y: int) -> dict:
    return {"value": f"{y:04d}", "precision": "year", "start": f"{y:04d}-01-01", "end": f"{y:04d}-12-31"}


def _unresolved(precision: str, reason: str, **kw: object) -> dict:
    return {"value": None, "precision": precision, "start": None, "end": None, "unresolved": reason, **kw}


def _int(s: str) -> int:
    return int(re.match(r"\d+", s).group())


def _shift(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _tense(text: str, s: int, e: int) -> str | None:
    """'past' or 'future' from the words of the clause around a partial date; None if they don't say."""
    left = text[max(0, s - 90):s]
    cut = max(left.rfind(". "), left.rfind("; "), left.rfind("\n"))
    left = left[cut + 1:] if cut >= 0 else left
    right = text[e:e + 50]
    cut = min((i for i in (right.find(". "), right.find("; "), right.find("\n")) if i >= 0), default=len(right))
    window = _SEQUENCE.sub(" ", left + " " + right[:cut])
    past, future = len(_PAST.findall(window)), len(_FUTURE.findall(window))
    if past > future:
        return "past"
    if future > past:
        return "future"
    return None


# A bare year counts after a preposition or the like ("in 1953", "for 1952"), not as a number in a table.
YEAR_CONTEXT_RX = re.compile(
    r"(?:\b(?:in|of|for|since|until|till|by|from|during|before|"
    r"after|above|below|than|over|under|against|with|year|early|late|mid|the|and|to|between|around|about|circa|c\.)|[(–-])\s?$"
)


def _last_date(text: str) -> date | None:
    """The last full date ("February 6, 1882") in the text, if any."""
    last = max(((m.start(), m) for rx in (DMY_RX, MDY_RX) for m in rx.finditer(text) if m["y"]),
               default=None, key=lambda t: t[0])
    if last is None:
        return None
    m = last[1]
    try:
        return date(int(m["y"]), MONTHS[m["m"].rstrip(".").lower()], _int(m["d"]))
    except ValueError:
        return None


def _last_year(text: str) -> int | None:
    """The year of the last full date ("February 24, 1919", "24 February 1919") in the text, if any."""
    last = max(((m.start(), int(m["y"])) for rx in (DMY_RX, MDY_RX) for m in rx.finditer(text) if m["y"]),
               default=None)
    return last[1] if last else None


def is_amount(text: str, s: int, e: int) -> bool:
    """True when the number at text[s:e] is an amount or a count ("for 1620 francs", "$1950", "No. 1917")."""
    return bool(_UNIT_AFTER.match(text, e) or _AMOUNT_BEFORE.search(text[max(0, s - 16):s]))


class DateAnnotator:
    name = "dates"
    version = "7"

    def __call__(self, doc: Document) -> list[Annotation]:
        text = doc.text
        doc_anchor = anchor = anchor_of(doc)
        segments = segment_anchors(doc, doc_anchor)
        starts = [s for s, _ in segments]

        def anchor_at(pos: int) -> Anchor | None:
            return doc_anchor if len(segments) == 1 else segments[bisect_right(starts, pos) - 1][1]

        notes = [(s.start, s.end) for s in _footnotes(doc)]
        taken: list[tuple[int, int]] = []
        out: list[Annotation] = []

        def add(s: int, e: int, value: dict | None) -> None:
            # A date never spans two blocks ("24" ending one table row, "Sept." opening the next).
            if value is None or "\n" in text[s:e] or any(s < b and a < e for a, b in taken):
                return
            taken.append((s, e))
            out.append(Annotation("date", s, e, text[s:e], value))

        def resolved(v: dict | None, rule: str) -> dict | None:
            if v is not None and anchor is not None:
                v.update(resolved_from="document date", anchor=anchor.how, rule=rule)
            return v

        for m in ISO_RX.finditer(text):
            add(m.start(), m.end(), _day(int(m["y"]), int(m["m"]), int(m["d"])))
        for m in REL_DAY_RX.finditer(text):
            anchor = anchor_at(m.start())
            d = _int(m["d"])
            rel = (m["rel"] or "").lower()[:3] or {"las": "ult", "the": "ult" if "past" in m["which"] else "ins",
                                                   "nex": "pro"}.get(m["which"].lower()[:3], "ins")
            if m["which"] and m["which"].lower() in ("the present", "the current", "this"):
                rel = "ins"
            if anchor is None or anchor.month is None:
                why = "no document date" if anchor is None else "the document's month is not known"
                add(m.start(), m.end(), _unresolved("day", why, day=d))
                continue
            y, mo = anchor.year, anchor.month
            if rel == "ult":
                y, mo = _shift(y, mo, -1)
            elif rel == "pro":
                y, mo = _shift(y, mo, 1)
            add(m.start(), m.end(), resolved(_day(y, mo, d), {"ult": "ultimo: the month before the document's",
                                                             "pro": "proximo: the month after the document's"}
                                             .get(rel, "instant: the document's month")))
        for rx in (DMY_RX, MDY_RX):
            for m in rx.finditer(text):
                mon = MONTHS[m["m"].rstrip(".").lower()]
                d = _int(m["d"])
                anchor = anchor_at(m.start())
                if m["y"]:
                    add(m.start(), m.end(), _day(int(m["y"]), mon, d))
                    continue
                ly = _LIST_YEAR.match(text, m.end())
                if ly and "\n" not in ly.group(0) and not is_amount(text, ly.start("y"), ly.end("y")):
                    v = _day(int(ly["y"]), mon, d)
                    if v is not None:
                        v["rule"] = "the year printed after the list of days (or the dual date) it belongs to"
                    add(m.start(), m.end(), v)
                    continue
                if m.groupdict().get("yy"):  # "July 19, ’67": the latest such year up to the document's
                    base = anchor.year if anchor else None
                    if base is not None:
                        y = base // 100 * 100 + int(m["yy"])
                        add(m.start(), m.end(), resolved(_day(y - 100 if y > base else y, mon, d),
                                                         "two-digit year: the latest such year up to the document's"))
                    continue
                ln = _LAST_NEXT_AFTER.match(text[m.end():m.end() + 12])
                end = m.end() + ln.end() if ln else m.end()
                if ln and ln["w"].lower() in ("last", "next") and _LAST_YEAR_AFTER.match(text, end) and anchor:
                    dy = -1 if ln["w"].lower() == "last" else 1
                    add(m.start(), end + 5, resolved(_day(anchor.year + dy, mon, d),
                                                     f"'{ln['w'].lower()} year': the document's year{dy:+d}"))
                    continue
                if _THAT_YEAR.match(text, end):  # "1 September of that year": a year named before, not the document's
                    add(m.start(), end, _unresolved("day", "refers to a year named earlier in the text", month=mon,
                                                    day=d))
                    continue
                note = next(((a, b) for a, b in notes if a <= m.start() < b), None)
                if note is not None and ln is None and (ny := _last_year(text[note[0]:m.start()])) is not None:
                    v = _day(ny, mon, d)  # an editor's note: the year of the full date the editor wrote before
                    if v is not None:
                        v["rule"] = "an editor's note: the year of the full date written before it in the note"
                    add(m.start(), end, v)
                    continue
                # "(Received June 5.)" is on or after the document; "which was received on June 14 last" is not
                received = ln is None and bool(_RECEIVED_BEFORE.search(text, max(0, m.start() - 12), m.start()))
                if received and (written := _last_date(text[max(0, m.start() - 80):m.start()])) is not None:
                    # "February 6, 1882. (Received February 8.)": received after the date printed just before it,
                    # which may be a letter's printed inside the document rather than the document's own
                    y = written.year + (date(written.year, mon, d) < written if _day(written.year, mon, d) else 0)
                    v = _day(y, mon, d)
                    add(m.start(), end, resolved(v, "received: the first such day on or after the date printed "
                                                    "before it") if v else None)
                    continue
                add(m.start(), end, self._day_month(anchor, mon, d, ln["w"].lower() if ln else None,
                                                    _tense(text, m.start(), end), resolved, received))
        for m in MY_RX.finditer(text):
            add(m.start(), m.end(), _month(int(m["y"]), MONTHS[m["m"].rstrip(".").lower()]))
        month_first = None
        for m in NUM_RX.finditer(text):
            a, b, ys = int(m["a"]), int(m["b"]), m["y"]
            y = int(ys) if len(ys) == 4 else (1900 + int(ys) if not anchor or int(ys) + 1900 <= anchor.year + 1
                                               else 1800 + int(ys))
            if a > 12 and b <= 12:
                d, mo = a, b
            elif b > 12 and a <= 12:
                mo, d = a, b
            else:
                if month_first is None:
                    month_first = _month_first(doc)
                mo, d = (a, b) if month_first else (b, a)
            add(m.start(), m.end(), _day(y, mo, d))
        for m in SEASON_RX.finditer(text):
            anchor = anchor_at(m.start())
            season = m["s"].lower()
            after = _SEASON_AFTER.match(text, m.end())
            before = _SEASON_BEFORE.search(text, max(0, m.start() - 16), m.start())
            s0 = m.start() - 4 if text[max(0, m.start() - 4):m.start()].lower() == "the " else m.start()
            if after and after["y"]:
                add(s0, after.end(), {**self._season(int(after["y"]), season), "season": season})
            elif after:
                add(s0, after.end(), self._season_rel(anchor, season, after["yw"].lower(), True, resolved))
            elif before and (season != "fall" or before["w"].lower() != "the last"):
                add(before.start(), m.end(), self._season_rel(anchor, season, before["w"].lower(), False, resolved))
        for m in RANGE_RX.finditer(text):
            y1 = int(m["y1"])
            y2s = m["y2"]
            y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
            if y2 <= y1 or y2 - y1 > 200 or is_amount(text, m.start(), m.end()):
                continue
            add(m.start(), m.end(), {"value": f"{y1:04d}/{y2:04d}", "precision": "year",
                                     "start": f"{y1:04d}-01-01", "end": f"{y2:04d}-12-31"})
        for m in MONTH_ALONE_RX.finditer(text):
            anchor = anchor_at(m.start())
            p = _PREP_BEFORE.search(text, max(0, m.start() - 24), m.start())
            if p is None:
                continue
            prep = p["prep"].lower()
            if m["m"] == "May" and prep not in ("in", "since", "until", "during", "of", "last", "next", "early",
                                                "late", "in early", "in late", "in mid-", "since early", "this",
                                                "the month of", "the end of", "the beginning of", "the middle of",
                                                "the last", "the coming", "the past", "at the end of",
                                                "at the beginning of", "mid-") and not m["suffix"]:
                continue
            keep_prep = prep in ("last", "next", "this", "the last", "the coming", "the past", "early", "late",
                                 "mid-")
            s = p.start() if keep_prep else m.start()
            if not m["suffix"] and (ty := _THAT_YEAR.match(text, m.end())):  # "in November of that year"
                add(s, ty.end(), _unresolved("month", "refers to a year named earlier in the text",
                                             month=MONTHS[m["m"].lower()]))
                continue
            add(s, m.end(), self._month_alone(anchor, m, prep, _tense(text, s, m.end()), resolved))
        for m in DAY_REL_RX.finditer(text):
            anchor = anchor_at(m.start())
            w = m["w"].lower()
            if w in ("today", "to-day") and (anchor is None or anchor.day is None):
                continue  # in an undated or year-dated text "today" is the present day in general, not a date
            add(m.start(), m.end(), self._day_rel(anchor, w, resolved))
        for m in AGO_RX.finditer(text) if " ago" in text else ():
            anchor = anchor_at(m.start())
            n = _int(m["n"]) if m["n"].isdigit() else _words_n(m["n"])
            u = m["u"].lower().rstrip("s")
            q = _AGO_QUALIFIER.search(text, max(0, m.start() - 24), m.start())
            if q is not None and anchor is not None and q["q"].lower() in ("over", "more than", "upwards of"):
                # "over one hundred years ago" (of 1848, said in 1953) is 1853 or earlier, not 1853: no value, and
                # the latest year it can be
                y = anchor.year - n if u == "year" else None
                add(q.start(), m.end(), _unresolved(u, f"more than {n} {u}(s) before the document" +
                                                    (f": {y} or earlier" if y else ""),
                                                    **({"latest": f"{y:04d}"} if y else {})))
                continue
            if anchor is None:
                add(m.start(), m.end(), _unresolved(u, "no document date"))
            elif u == "year" and q is not None:  # "about thirty years ago", "nearly a century": circa
                add(q.start(), m.end(), resolved({**_year(anchor.year - n), "circa": True},
                                                 f"about {n} year(s) before the document's year"))
            elif u == "year":
                add(m.start(), m.end(), resolved(_year(anchor.year - n), f"{n} year(s) before the document's year"))
            elif anchor.month is not None:
                add(m.start(), m.end(), resolved(_month(*_shift(anchor.year, anchor.month, -n)),
                                                 f"{n} month(s) before the document's month"))
            else:
                add(m.start(), m.end(), _unresolved("month", "the document's month is not known"))
        for m in REL_UNIT_RX.finditer(text):
            anchor = anchor_at(m.start())
            w = _REL_BEFORE.search(text, max(0, m.start() - 16), m.start())
            if w is not None:
                add(w.start(), m.end(), self._relative(anchor, w["w"].lower(), m["u"].lower(), resolved))
        for m in YEAR_RX.finditer(text):
            pre = text[max(0, m.start() - 12):m.start()].lower()
            if not YEAR_CONTEXT_RX.search(pre) or is_amount(text, m.start(), m.end()):
                continue
            if _WEAK_BEFORE.search(pre) and _PLURAL_AFTER.match(text, m.end()):
                continue  # "demands 100 engines and 2000 cars"
            add(m.start(), m.end(), _year(int(m["y"])))
        out.sort(key=lambda a: a.start)
        return out

    # -- resolution of each kind of partial date ---------------------------------------------------------
    @staticmethod
    def _day_month(anchor: Anchor | None, mon: int, d: int, word: str | None, tense: str | None,
                   resolved, received: bool = False) -> dict | None:
        """'the 6th of November last' (the last 6 November before the document), 'November 6 next', 'May 23'."""
        if anchor is None:
            return _unresolved("day", "no year and no document date", month=mon, day=d)
        y = anchor.year
        back = word in ("last", "ultimo", "ult.")
        fwd = word in ("next", "proximo", "prox.")
        if anchor.day is not None:
            ref = ref_hi = anchor.day
        elif anchor.ref is not None:  # a month, or a General Debate's two: the days from its first to its last
            ref = date(y, anchor.lo, 1)
            ref_hi = date(y, anchor.hi, calendar.monthrange(y, anchor.hi)[1])
        else:  # a year-only document: only the year is known
            if back or fwd:
                return _unresolved("day", "'last'/'next' needs the document's month, which is not known",
                                   month=mon, day=d)
            v = _day(y, mon, d)
            return resolved(v, "the document's year") if v else None
        try:
            cand = date(y, mon, d)
        except ValueError:
            return None
        if received:  # "(Received June 5.)": the day the document arrived, on or after its date
            if cand < ref:
                y += 1
            v = _day(y, mon, d)
            return resolved(v, "received: the first such day on or after the document's date") if v else None
        if back or (not fwd and tense == "past"):
            if cand > ref_hi:
                y -= 1
            rule = "'last': the latest such day before the document" if back else "past tense: the latest such " \
                "day before the document"
        elif tense == "future" and not fwd and cand >= ref:
            rule = "future tense: the document's year"
        elif fwd or (tense == "future" and (ref - cand).days > 120):
            if cand < ref_hi:
                y += 1
            rule = "'next': the first such day after the document" if fwd else "future tense: the first such day " \
                "after the document"
        else:
            # No word and no tense: the nearest such day, in the past unless it is within ~2 months ahead.
            ahead = (cand - ref_hi).days
            if ahead > 62:
                y -= 1
                rule = "nearest: more than two months after the document, so the year before"
            elif (cand - ref).days < -300:
                y += 1
                rule = "nearest: the coming one"
            else:
                rule = "the document's year"
        v = _day(y, mon, d)
        return resolved(v, rule) if v else None

    @staticmethod
    def _month_alone(anchor: Anchor | None, m: re.Match, prep: str, tense: str | None, resolved) -> dict | None:
        mon = MONTHS[m["m"].lower()]
        if anchor is None:
            return _unresolved("month", "no document date to place the month in", month=mon)
        y = anchor.year
        yw = (m["yw"] or "").lower()
        ln = (m["ln"] or "").lower()
        if yw:
            if yw in ("last", "the last", "the previous", "the past"):
                return resolved(_month(y - 1, mon), f"'{m['m']} of last year'")
            if yw in ("next", "the coming", "the following"):
                return resolved(_month(y + 1, mon), f"'{m['m']} of next year'")
            return resolved(_month(y, mon), f"'{m['m']} of this year': the document's year")
        back = prep in ("last", "the last", "the past") or ln in ("last", "ultimo")
        fwd = prep in ("next", "the coming") or ln in ("next", "proximo")
        if prep == "this":
            return resolved(_month(y, mon), "'this': the document's year")
        ref = anchor.ref
        if back or fwd:
            if ref is None:
                return _unresolved("month", "'last'/'next' needs the document's month, which is not known",
                                   month=mon)
            if back:
                return resolved(_month(y if mon < ref else y - 1, mon), "'last': the latest such month before "
                                "the document's")
            return resolved(_month(y if mon > ref else y + 1, mon), "'next': the first such month after the "
                            "document's")
        if ref is not None and tense == "past" and mon > anchor.hi:
            return resolved(_month(y - 1, mon), "past tense, a month after the document's: the year before")
        if ref is not None and tense == "future" and mon < anchor.lo - 3 and prep not in ("since", "from"):
            return resolved(_month(y + 1, mon), "future tense, a month before the document's: the year after")
        if ref is not None and tense is None and mon > anchor.hi + 6 and prep not in ("by", "until", "till", "before",
                                                                                      "to", "through"):
            # With no word or tense pointing either way, the nearest such month: more than six months ahead, the
            # one of the year before is nearer ("in October" in a report of March 1884 is October 1883)
            return resolved(_month(y - 1, mon), "nearest: more than six months after the document's, so the year "
                            "before")
        return resolved(_month(y, mon), "the document's year")

    @staticmethod
    def _day_rel(anchor: Anchor | None, w: str, resolved) -> dict | None:
        if anchor is None or anchor.day is None:
            why = "no document date" if anchor is None else "the document is not dated to the day"
            return _unresolved("day", why)
        k = {"the day before yesterday": -2, "yesterday": -1, "last night": -1, "to-morrow": 1, "tomorrow": 1}.get(w, 0)
        d = anchor.day + timedelta(days=k)
        return resolved(_day(d.year, d.month, d.day), f"'{w}': {k:+d} day(s) from the document's date")

    @staticmethod
    def _season(y: int, s: str) -> dict:
        a, b = SEASONS[s]
        return _months(y, a, y + 1, b) if a > b else _months(y, a, y, b)

    def _season_rel(self, anchor: Anchor | None, s: str, w: str, of_year: bool, resolved) -> dict | None:
        """'next spring', 'last winter', 'the summer of last year'."""
        if anchor is None:
            return _unresolved("month", "no document date", season=s)
        a, b = SEASONS[s]
        y = anchor.year
        if of_year:
            dy = {"last": -1, "the past": -1, "the previous": -1, "next": 1, "the coming": 1}.get(w, 0)
            return resolved({**self._season(y + dy, s), "season": s}, f"the {s} of the document's year{dy:+d}")
        ref = anchor.ref
        if ref is None:
            return _unresolved("month", f"'{w} {s}' needs the document's month, which is not known", season=s)
        # The season's start year for the one the document is in or nearest after (winter spans the new year)
        cur = y - 1 if (a > b and ref <= b) else y
        inside = (a <= ref <= b) if a <= b else (ref >= a or ref <= b)
        if w in ("this", "the present"):
            sy = cur  # the season of the document's year (a winter: the one the document's month belongs to)
        elif w in ("last", "the past", "the last"):
            sy = cur - 1 if (inside or ref < a) else cur
        else:  # next, the coming, the following
            sy = cur + 1 if (inside or ref > (b if a <= b else 12)) else cur
        return resolved({**self._season(sy, s), "season": s}, f"'{w} {s}' from the document's month")

    @staticmethod
    def _relative(anchor: Anchor | None, w: str, u: str, resolved) -> dict | None:
        unit = u.rstrip("s")
        if anchor is None:
            return _unresolved(unit, "relative to a document date that is unknown")
        y, mo = anchor.year, anchor.month
        this = w in ("this", "the current", "the present")
        last = w in ("last", "the previous")
        nxt = w in ("next", "the coming")
        if u == "year" and (this or last or nxt):
            dy = -1 if last else 1 if nxt else 0
            return resolved(_year(y + dy), f"'{w} year': the document's year{dy:+d}" if dy else
                            f"'{w} year': the document's year")
        if u == "month" and (this or last or nxt):
            if mo is None:
                return _unresolved("month", "the document's month is not known")
            dm = -1 if last else 1 if nxt else 0
            return resolved(_month(*_shift(y, mo, dm)), f"'{w} month': the document's month{dm:+d}")
        if u == "week" and (this or last or nxt) and anchor.day is not None:
            monday = anchor.day - timedelta(days=anchor.day.weekday()) + timedelta(weeks=-1 if last else 1 if nxt
                                                                                    else 0)
            sunday = monday + timedelta(days=6)
            return resolved({"value": f"{monday.isoformat()}/{sunday.isoformat()}", "precision": "day",
                             "start": monday.isoformat(), "end": sunday.isoformat()}, f"'{w} week' of the document")
        return _unresolved(unit, "a vague period before or after the document date", relative_to=anchor.how)
