"""Dates as documents write them, turned into ISO ranges with their precision.

`parse_written_date("3 September 1953")` → DocDate 1953-09-03..1953-09-03, precision day. Readers use it
for datelines and header fields; a date the parser cannot place returns None rather than a guess.
"""

from __future__ import annotations

import calendar
import re

from .model import DocDate

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan", "janvier", "janv"),
        ("february", "feb", "febr", "février", "fevrier", "févr"),
        ("march", "mar", "mars"),
        ("april", "apr", "avril", "avr"),
        ("may", "mai"),
        ("june", "jun", "juin"),
        ("july", "jul", "juillet", "juil"),
        ("august", "aug", "août", "aout"),
        ("september", "sep", "sept", "septembre"),
        ("october", "oct", "octobre"),
        ("november", "nov", "novembre"),
        ("december", "dec", "décembre", "decembre", "déc"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

_MONTH_RX = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<y>1[5-9]\d\d|20\d\d)"
_MON = rf"(?P<m>{_MONTH_RX})\.?"
_PATTERNS = [
    re.compile(rf"^{_DAY}\s+{_MON},?\s+{_YEAR}$", re.I),
    re.compile(rf"^{_MON}\s+{_DAY},?\s+{_YEAR}$", re.I),
    re.compile(rf"^{_MON},?\s+{_YEAR}$", re.I),
    re.compile(rf"^{_YEAR}$"),
]
_ISO = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d\d)(?:-(?P<d>\d\d)"
    r"(?:T(?P<H>\d\d):(?P<M>\d\d)(?::\d\d(?:\.\d+)?)?(?P<tz>Z|[+-]\d\d:?\d\d)?)?)?)?$"
)
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<y>\d{2}|\d{4})$")


def day_range(y: int, m: int | None = None, d: int | None = None) -> tuple[str, str, str]:
    """(start, end, precision) for a year, a month or a day; raises ValueError on an impossible date."""
    if m is None:
        return f"{y:04d}-01-01", f"{y:04d}-12-31", "year"
    if not 1 <= m <= 12:
        raise ValueError("month out of range")
    last = calendar.monthrange(y, m)[1]
    if d is None:
        return f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{last:02d}", "month"
    if not 1 <= d <= last:
        raise ValueError("day out of range")
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    return iso, iso, "day"


def parse_iso(s: str, text: str | None = None) -> DocDate | None:
    """An ISO 8601 date or date-time of any precision (1953, 1953-09, 1953-09-03, 1917-04-18T11:00:00)."""
    m = _ISO.match(s.strip())
    if not m:
        return None
    try:
        y = int(m["y"])
        if m["H"] is not None:
            start, _, _ = day_range(y, int(m["m"]), int(m["d"]))
            stamp = f"{start}T{m['H']}:{m['M']}"
            return DocDate(stamp, stamp, "minute", text if text is not None else s)
        start, end, prec = day_range(y, int(m["m"]) if m["m"] else None, int(m["d"]) if m["d"] else None)
    except ValueError:
        return None
    return DocDate(start, end, prec, text if text is not None else s)


def parse_written_date(text: str, dayfirst: bool = True) -> DocDate | None:
    """A date as written in a dateline or header; None if it isn't one we can place exactly."""
    s = " ".join(text.strip().strip("()[].,;").split())
    if not s:
        return None
    iso = parse_iso(s, text.strip())
    if iso:
        return iso
    for rx in _PATTERNS:
        m = rx.match(s)
        if m:
            gd = m.groupdict()
            try:
                y = int(gd["y"])
                mon = MONTHS[gd["m"].lower()] if gd.get("m") else None
                day = int(gd["d"]) if gd.get("d") else None
                start, end, prec = day_range(y, mon, day)
            except (ValueError, KeyError):
                return None
            return DocDate(start, end, prec, text.strip())
    m = _NUMERIC.match(s)
    if m:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if y < 100:
            y += 1900
        d, mon = (a, b) if dayfirst else (b, a)
        try:
            start, end, prec = day_range(y, mon, d)
        except ValueError:
            return None
        return DocDate(start, end, prec, text.strip())
    return None


def year_date(year: int) -> DocDate:
    start, end, prec = day_range(year)
    return DocDate(start, end, prec, str(year))
