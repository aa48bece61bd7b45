"""Dates written in the text: absolute, partial (resolved against the document date), relative, ranges.

Values are ISO 8601 with a precision (year, month, day) and the range they stand for ("April" in a
September 1953 note is 1953-04, 1953-04-01..1953-04-30). A date that cannot be resolved — "in April"
in an undated document, "recent months" — keeps value None and says why. Numeric dates (31.7.53,
7/31/1953) are read day-first unless the document writes its dates month-first ("July 31, 1953") or
the numbers allow only one reading. FRUS's "the 22d instant", "the 31st ultimo" are resolved too.
"""

from __future__ import annotations

import calendar
import re

from ..model import Annotation, Document
from .scan import Scan

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|d)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_DASH = r"\s?[-–—]\s?|\s(?:to|and|until)\s"

RANGE_RX = Scan(r"[\w/.,-]", rf"(?P<y1>{_YEAR})(?:{_DASH})(?P<y2>{_YEAR}|\d\d)"
                r"(?![\w/-]|[.,]\d|\s(?:million|billion|thousand))")
DMY_RX = re.compile(rf"(?<![\w])(?P<d>{_DAY})\s(?:of\s)?(?P<m>{_MON})(?:,?\s(?P<y>{_YEAR}))?(?!\w)")
MDY_RX = Scan(r"\w", rf"(?P<m>{_MON})\s(?P<d>{_DAY})(?:,?\s(?P<y>{_YEAR}))?(?![\w:])")
MY_RX = Scan(r"\w", rf"(?P<m>{_MON})(?:,?\s(?:of\s)?(?P<y>{_YEAR}))(?!\w)")
NUM_RX = Scan(r"[\w./-]", r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
              r"(?![\w/-]|[.,]\d)")
ISO_RX = Scan(r"[\w./-]", r"(?P<y>1[5-9]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w-])")
REL_DAY_RX = Scan(r"\w", rf"the\s(?P<d>{_DAY})\s(?P<rel>instant|ultimo|ult\.|inst\.|proximo|prox\.)", re.I)
MONTH_ALONE_RX = re.compile(
    r"(?<!\w)(?P<prep>in|since|until|till|by|during|from|of|last|next|early|late|mid-)\s"
    rf"(?P<m>January|February|March|April|June|July|August|September|October|November|December|May)"
    rf"(?![\w])(?!\s{_DAY}\b|,?\s{_YEAR})"
)
YEAR_RX = Scan(r"[\w/.,$£€-]", rf"(?P<y>{_YEAR})"
               r"(?![\w/-]|,\d|\.\d|\s(?:million|billion|thousand|tons|men|dollars|pounds))")
REL_RX = re.compile(r"(?<!\w)(?P<w>this|last|next|the current|the previous|the past|the coming|recent|"
                    r"the last few|the next few|past|coming)\s"
                    r"(?P<u>year|month|week|months|years|weeks)(?!\w)", re.I)
SEASON_RX = re.compile(rf"(?<!\w)(?:the\s)?(?P<s>spring|summer|autumn|fall|winter)\sof\s(?P<y>{_YEAR})(?!\w)", re.I)


def _month_first(doc: Document) -> bool:
    """Month-first if the document writes "July 31, 1953" more than "31 July 1953" (US usage)."""
    md = sum(1 for _ in MDY_RX.finditer(doc.text[:20000]))
    dm = len(DMY_RX.findall(doc.text[:20000]))
    if md != dm:
        return md > dm
    return (doc.language or "").lower() in ("en-us",)


def _doc_ymd(doc: Document) -> tuple[int, int, int] | None:
    if not doc.date or not doc.date.start:
        return None
    m = re.match(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", doc.date.start)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)


def _day(y: int, m: int, d: int) -> dict | None:
    if not (1 <= m <= 12) or not (1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    return {"value": iso, "precision": "day", "start": iso, "end": iso}


def _month(y: int, m: int) -> dict:
    last = calendar.monthrange(y, m)[1]
    return {"value": f"{y:04d}-{m:02d}", "precision": "month", "start": f"{y:04d}-{m:02d}-01",
            "end": f"{y:04d}-{m:02d}-{last:02d}"}


def _year(y: int) -> dict:
    return {"value": f"{y:04d}", "precision": "year", "start": f"{y:04d}-01-01", "end": f"{y:04d}-12-31"}


def _unresolved(precision: str, reason: str, **kw: object) -> dict:
    return {"value": None, "precision": precision, "start": None, "end": None, "unresolved": reason, **kw}


def _int(s: str) -> int:
    return int(re.match(r"\d+", s).group())


# A bare year counts after a preposition or the like ("in 1953", "for 1952"), not as a number in a table.
YEAR_CONTEXT_RX = re.compile(
    r"(?:\b(?:in|of|for|since|until|till|by|from|during|before|"
    r"after|above|below|than|over|under|against|with|year|early|late|mid|the|and|to|between|around|about|circa|c\.)|[(–-])\s?$"
)


class DateAnnotator:
    name = "dates"
    version = "1"

    def __call__(self, doc: Document) -> list[Annotation]:
        text = doc.text
        anchor = _doc_ymd(doc)
        taken: list[tuple[int, int]] = []
        out: list[Annotation] = []

        def add(s: int, e: int, value: dict | None) -> None:
            if value is None or any(s < b and a < e for a, b in taken):
                return
            taken.append((s, e))
            out.append(Annotation("date", s, e, text[s:e], value))

        for m in ISO_RX.finditer(text):
            add(m.start(), m.end(), _day(int(m["y"]), int(m["m"]), int(m["d"])))
        for rx, in ((DMY_RX,), (MDY_RX,)):
            for m in rx.finditer(text):
                mon = MONTHS[m["m"].rstrip(".").lower()]
                d = _int(m["d"])
                if m["y"]:
                    add(m.start(), m.end(), _day(int(m["y"]), mon, d))
                elif anchor:
                    v = _day(anchor[0], mon, d)
                    if v:
                        v["inferred_year"] = True
                    add(m.start(), m.end(), v)
                else:
                    add(m.start(), m.end(), _unresolved("day", "no year and no document date", month=mon, day=d))
        for m in REL_DAY_RX.finditer(text):
            d = _int(m["d"])
            rel = m["rel"].lower()[:3]
            if not anchor or not anchor[1]:
                add(m.start(), m.end(), _unresolved("day", "relative to a document date that is unknown", day=d))
                continue
            y, mo = anchor[0], anchor[1]
            if rel == "ult":
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            elif rel == "pro":
                y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
            add(m.start(), m.end(), _day(y, mo, d))
        for m in MY_RX.finditer(text):
            add(m.start(), m.end(), _month(int(m["y"]), MONTHS[m["m"].rstrip(".").lower()]))
        month_first = None
        for m in NUM_RX.finditer(text):
            a, b, ys = int(m["a"]), int(m["b"]), m["y"]
            y = int(ys) if len(ys) == 4 else (1900 + int(ys) if not anchor or int(ys) + 1900 <= anchor[0] + 1
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
            add(m.start(), m.end(), {**_year(int(m["y"])), "season": m["s"].lower()})
        for m in RANGE_RX.finditer(text):
            y1 = int(m["y1"])
            y2s = m["y2"]
            y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
            if y2 <= y1 or y2 - y1 > 200:
                continue
            add(m.start(), m.end(), {"value": f"{y1:04d}/{y2:04d}", "precision": "year",
                                     "start": f"{y1:04d}-01-01", "end": f"{y2:04d}-12-31"})
        for m in MONTH_ALONE_RX.finditer(text):
            s = m.start("m") if m["prep"] not in ("last", "next", "early", "late", "mid-") else m.start()
            mon = MONTHS[m["m"].lower()]
            if m["m"] == "May" and m["prep"] not in ("in", "since", "until", "during", "of", "last", "next", "early",
                                                     "late"):
                continue
            if not anchor:
                add(s, m.end(), _unresolved("month", "no document date to place the month in", month=mon))
                continue
            y = anchor[0]
            before_doc = m["prep"] not in ("next", "until", "till", "by") and anchor[1] and mon > anchor[1]
            if m["prep"] == "last" or before_doc:
                y -= 1  # "in April" written in September means the April before
            elif m["prep"] == "next" and anchor[1] and mon <= anchor[1]:
                y += 1
            add(s, m.end(), {**_month(y, mon), "resolved_from": "document date"})
        for m in REL_RX.finditer(text):
            w = m["w"].lower()
            u = m["u"].lower()
            if not anchor:
                add(m.start(), m.end(), _unresolved(u.rstrip("s"), "relative to a document date that is unknown"))
                continue
            y, mo = anchor[0], anchor[1]
            if u in ("year",) and w in ("this", "the current"):
                add(m.start(), m.end(), {**_year(y), "resolved_from": "document date"})
            elif u == "year" and w in ("last", "the previous", "the past"):
                add(m.start(), m.end(), {**_year(y - 1), "resolved_from": "document date"})
            elif u == "year" and w in ("next", "the coming"):
                add(m.start(), m.end(), {**_year(y + 1), "resolved_from": "document date"})
            elif u == "month" and mo and w in ("this", "the current"):
                add(m.start(), m.end(), {**_month(y, mo), "resolved_from": "document date"})
            elif u == "month" and mo and w in ("last", "the previous", "the past"):
                py, pm = (y - 1, 12) if mo == 1 else (y, mo - 1)
                add(m.start(), m.end(), {**_month(py, pm), "resolved_from": "document date"})
            elif u == "month" and mo and w in ("next", "the coming"):
                ny, nm = (y + 1, 1) if mo == 12 else (y, mo + 1)
                add(m.start(), m.end(), {**_month(ny, nm), "resolved_from": "document date"})
            else:
                add(m.start(), m.end(), _unresolved(u.rstrip("s"), "a vague period before or after the document date",
                                                    relative_to=doc.date.start if doc.date else None))
        for m in YEAR_RX.finditer(text):
            pre = text[max(0, m.start() - 12):m.start()].lower()
            if not YEAR_CONTEXT_RX.search(pre):
                continue
            add(m.start(), m.end(), _year(int(m["y"])))
        out.sort(key=lambda a: a.start)
        return out
