"""Document dates checked against what their collection can hold, flagged, and repaired where the source
itself says so.

An 1870 FRUS volume cannot hold a despatch of 0201 (a vendor's slip in `frus:doc-dateTime-min`) or of
1670 (a printer's slip for 1870), and a UN speech of session 8 was made in 1953. Such a date:

- is flagged ("impossible-year", "after-volume-published", "outlier-in-volume") in
  `metadata["date_flags"]` and `doc.date.flags`;
- is repaired from the dateline text when that text gives one date the volume can hold ("June 5–17, 1864",
  a Russian despatch dated in both calendars, is 17 June 1864 New Style; "July —, 1870" is July 1870), or,
  for a dateline without a year ("June 22—1 a. m."), from the year its neighbours in the volume agree on;
  the value the edition encoded stays in `metadata["date_as_encoded"]` and the printed words in `date.text`;
- otherwise is removed from `doc.date` (so it never sorts, counts or charts as a real date), with the
  printed words kept in `metadata["date_as_printed"]` and a one-digit correction the neighbours agree on,
  if any, offered in `metadata["date_suggested"]` — never applied.

A date well before the volume's own years that its neighbours share (a 1628 charter printed as evidence
in an 1872 volume) is real: it is kept, with the note "before-volume-years".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .dates import MONTHS, day_range
from .model import DocDate, Document

#: Years apart from both neighbouring documents (and the volume's year) beyond which a date is an outlier.
NEIGHBOUR_GAP = 50
#: A date this many years before the volume's own year is real but noted ("before-volume-years"): an 1872
#: volume prints a charter of 1628 as evidence. Such a date is kept, sorted and charted.
EARLIER_YEARS = 10
_MONTH = r"(?P<m>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_DUAL = re.compile(rf"{_MONTH}\s(?P<d1>\d{{1,2}})\s?[–—/-]\s?(?:(?P<m2>[A-Z][a-z]+\.?)\s)?(?P<d2>\d{{1,2}}),?\s"
                   r"(?P<y>1[5-9]\d\d)\b")
_MDY = re.compile(rf"{_MONTH}\s(?P<d>\d{{1,2}})(?:st|nd|rd|th|d)?,?\s(?P<y>1[0-9]\d\d)\b")
_DMY = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|d)?\s(?:of\s)?{_MONTH},?\s(?P<y>1[0-9]\d\d)\b")
_MY = re.compile(rf"{_MONTH}(?:\s?[—–-]+)?,?\s(?P<y>1[0-9]\d\d)\b")
_MD = re.compile(rf"{_MONTH},?\s(?P<d>\d{{1,2}})(?:st|nd|rd|th|d)?\b(?![.,]?\s\d{{4}})")
_RECEIVED = re.compile(r"[\[(]\s*Received\b.*$", re.I | re.S)


def _mon(s: str) -> int:
    return MONTHS[s.rstrip(".").lower()]


def _year(d: DocDate | None) -> int | None:
    return int(d.start[:4]) if d is not None and d.start[:4].isdigit() else None


def date_from_dateline(text: str, lo: int, hi: int, year_hint: int | None = None,
                       whole: bool = True) -> tuple[DocDate, str] | None:
    """The one date a dateline's words give, within lo..hi years, and how it was read; None if not one.

    The date's `text` is the dateline as printed (`whole`), or else just the words the date was read from."""
    t = _RECEIVED.sub("", text).strip()
    spans: list[str] = []
    m = _DUAL.search(t)
    if m:
        d1, d2, y = int(m["d1"]), int(m["d2"]), int(m["y"])
        m2 = _mon(m["m2"]) if m["m2"] and m["m2"].rstrip(".").lower() in MONTHS else None
        mo = _mon(m["m"])
        span = (d2 - d1) if m2 is None else (d2 + 31 - d1)
        if 10 <= span <= 13 and lo <= y <= hi:  # Julian–Gregorian: the second is New Style
            start, end, prec = day_range(y, m2 or mo, d2)
            return DocDate(start, end, prec, text if whole else m.group(0)), "dual-date: New Style (the second) used"
    found: list[tuple[int, int | None, int | None]] = []
    how = "dateline text"
    for rx in (_MDY, _DMY):
        for m in rx.finditer(t):
            found.append((int(m["y"]), _mon(m["m"]), int(m["d"])))
            spans.append(m.group(0))
    if not found:
        for m in _MY.finditer(t):
            found.append((int(m["y"]), _mon(m["m"]), None))
            spans.append(m.group(0))
    if not found and year_hint is not None:
        how = "dateline month and day, the year its neighbouring documents agree on"
        for m in _MD.finditer(t):
            found.append((year_hint, _mon(m["m"]), int(m["d"])))
            spans.append(m.group(0))
    found = list(dict.fromkeys(found))
    if len(found) != 1:
        return None
    y, mo, d = found[0]
    if not lo <= y <= hi:
        return None
    try:
        start, end, prec = day_range(y, mo, d)
    except ValueError:
        return None
    return DocDate(start, end, prec, text if whole else spans[0]), how


def _suggest(y: int, near: Sequence[int]) -> int | None:
    """A year one digit away from `y` that the neighbouring documents both have (1670 between two 1870s → 1870)."""
    s = f"{y:04d}"
    out = set()
    for i in range(4):
        for c in "0123456789":
            if c != s[i]:
                cand = int(s[:i] + c + s[i + 1:])
                if near and all(cand == n for n in near):
                    out.add(cand)
    return out.pop() if len(out) == 1 else None


def check_volume_dates(docs: list[Document], volume_year: int | None, published: int | None) -> None:
    """Flag and repair the dates of one volume's documents, in reading order (see the module's docstring)."""
    known = [x for x in (published, volume_year) if x is not None]
    hi = max(known) + 1 if known else 9999  # an excerpt with no header: no year to hold it to
    years = [_year(d.date) if d.metadata.get("date_source") != "covering-document" else None for d in docs]
    for i, doc in enumerate(docs):
        y = years[i]
        if y is None:
            continue
        prev = next((years[j] for j in range(i - 1, -1, -1) if years[j] is not None and years[j] >= 1000), None)
        nxt = next((years[j] for j in range(i + 1, len(docs)) if years[j] is not None and years[j] >= 1000), None)
        near = [n for n in (prev, nxt) if n is not None]
        flags: list[str] = []
        if y < 1000:
            flags.append("impossible-year")
        elif y > hi:
            flags.append("after-volume-published")
        elif near and all(abs(y - n) > NEIGHBOUR_GAP for n in near) and \
                (volume_year is None or abs(y - volume_year) > NEIGHBOUR_GAP):
            flags.append("outlier-in-volume")
        if not flags:
            if volume_year is not None and y < volume_year - EARLIER_YEARS:
                # a charter or treaty printed as evidence: a real date, said to be older than the volume's years
                doc.metadata["date_flags"] = doc.date.flags = ["before-volume-years"]
            continue
        lo = min([volume_year or hi] + near) - NEIGHBOUR_GAP
        hint = prev if prev is not None and prev == nxt else None
        original = doc.date
        assert original is not None
        doc.metadata["date_flags"] = flags
        doc.metadata["date_as_encoded"] = original.start if original.start == original.end else \
            f"{original.start}/{original.end}"
        written = original.text or doc.text[:300]  # no dated dateline: the opening lines, where one is printed
        fixed = date_from_dateline(written, lo, hi, hint, whole=original.text is not None)
        if fixed is not None and not _year(fixed[0]) == y:
            date, how = fixed
            date.flags = [*flags, "repaired"]
            doc.date = date
            doc.metadata["date_flags"] = date.flags
            doc.metadata["date_repaired_from"] = how
            years[i] = _year(date)
            continue
        doc.date = None
        years[i] = None
        if original.text:
            doc.metadata["date_as_printed"] = original.text
        doc.metadata["date_source"] = "withheld: " + str(doc.metadata.get("date_source") or "reader")
        sug = _suggest(y, near) if y >= 1000 else None
        if sug is not None and original.precision in ("day", "minute", "month"):
            doc.metadata["date_suggested"] = f"{sug:04d}{original.start[4:10]}"


def check_session_year(doc: Document) -> None:
    """A UN General Debate speech of session N was made in 1945 + N: a date saying otherwise is flagged."""
    md = doc.metadata
    s, y = md.get("session"), _year(doc.date)
    if isinstance(s, int) and y is not None and y != 1945 + s:
        md["date_flags"] = ["session-year-mismatch"]
        if doc.date is not None:
            doc.date.flags = list(md["date_flags"])

