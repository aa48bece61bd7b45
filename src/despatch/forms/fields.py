"""The fields of the period's cable, dispatch and memorandum forms, read from a page's lines.

Written for the kind of document, not for particular files: CIA "CLASSIFIED MESSAGE" forms and later
teletype cables, dispatch forms, memoranda for the record, name-check and trace requests, with OCR's
usual damage (spaced letters "S E C R E T", a colon read as a full stop, a label split from its value by
the form's box). Every finding keeps the line it came from (page and offsets), so the reading room can
show where a value was read, and a value the page does not give stays absent rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import MONTHS, day_range

LEVELS = ("TOP SECRET", "SECRET", "CONFIDENTIAL", "RESTRICTED", "UNCLASSIFIED")
CAVEATS = ("RYBAT", "EYES ONLY", "NOFORN", "NO FOREIGN DISSEM", "LIMDIS", "EXDIS", "NODIS", "NIACT",
           "WNINTEL", "SENSITIVE", "KAPOK", "CONTROLLED DISSEM", "NO DISSEM", "PROPIN", "ORCON")
PRECEDENCES = ("FLASH", "OPERATIONAL IMMEDIATE", "NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE",
               "DEFERRED")


def _spaced(word: str) -> str:
    """A word as typed or OCR'd: 'SECRET', 'S E C R E T', 'S-E-C-R-E-T'."""
    return r"[\s\-.]?".join(re.escape(c) for c in word if c != " ").replace(r"\ ", r"\s*")


def _level_rx(level: str) -> str:
    if " " in level:
        a, b = level.split(" ")
        return rf"{_spaced(a)}\s+{_spaced(b)}"
    return _spaced(level)


_PREC = [(p, re.compile(r"(?<![A-Z])" + p.replace(" ", r"\s+") + r"(?![A-Z])")) for p in PRECEDENCES]
_LEVEL = re.compile(r"(?<![A-Za-z])(" + "|".join(_level_rx(x) for x in LEVELS) + r")(?![A-Za-z])")
_CAVEAT = re.compile(r"(?<![A-Z])(" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in CAVEATS) + r")(?![A-Z])")
_NOT_A_STAMP = re.compile(r"SECRET\s+(?:SERVICE|POLICE|AGENT|WEAPON|WRITING|INK|MEETING|CONTACT)S?\b")
_LABEL = r"(?:^|(?<=[\s\-–—'\"“”‘’|.,;(]))"
_PREC_LEAD = re.compile(r"(FLASH|OPERATIONAL IMMEDIATE|NIACT IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE|DEFERRED)\W+")
_FIELD = re.compile(
    _LABEL + r"(FROM|TO|INFO|ACTION|MEMORANDUM\s+FOR(?:\s+THE\s+RECORD)?|ATTENTION|ATTN|VIA|THRU|THROUGH)\s*[:.;]\s*"
)
_BARE_LABEL = re.compile(r"^\s*(FROM|TO|INFO)\s*[:.;]?\s*$", re.I)
_SUBJECT = re.compile(r"^\s*(?:SUBJECT|SUBJ|SUBJ\s?ECT|RE)\s*[:.;]\s*(.+)$", re.I)
_REF = re.compile(r"^\s*(?:REF|REFS|REFERENCE|REFERENCES)\s*[:.;]\s*(.+)$", re.I)
_CITE = re.compile(r"\bCITE\b\s*[:.]?\s*\(?([A-Z][A-Z/ ]{1,20}?)\)?\s*(\d{2,6})\b")
_MONTH3 = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
# The zone letter is often read as a 2 ("2014542 NOV 91"); six digits, Z or 2, a month and a year.
_DTG = re.compile(rf"\b([0-3]\d)([0-2]\d)([0-5]\d)\s?[Z2]\s*({_MONTH3})[A-Z]*\s*'?(\d{{2}}|19\d\d)\b", re.I)
_FILE_201 = re.compile(r"(?<![\d-])(201)\s?[-–—.]\s?(\d{5,7})(?!\d)")
_DISPATCH_NO = re.compile(r"\b([A-Z]{4})\s?[-–]\s?(\d{4,6})\b")
_JOB = re.compile(r"(?<![\dA-Z])(\d{2}[-\s]?[TR]\d{5}[A-Z])(?![\dA-Z])")
_MSG_NO = re.compile(r"\b(IN|OUT)\s+(\d{4,7})\b")
_ROUTING = re.compile(r"^\s*ROUTING\s*[:.;]?\s*(.*)$", re.I)
_MON_RX = "|".join(sorted((re.escape(m) for m in MONTHS if m.isascii()), key=len, reverse=True))
_WRITTEN_DMY = re.compile(rf"\b([0-3]?\d)\s+({_MON_RX})\.?,?\s+(19\d\d|20\d\d|\d\d)\b", re.I)
_WRITTEN_MDY = re.compile(rf"\b({_MON_RX})\.?\s+([0-3]?\d),?\s+(19\d\d|20\d\d)\b", re.I)
_NUMERIC = re.compile(r"(?<![\d/])([01]?\d)/([0-3]?\d)/(19\d\d|\d\d)(?![\d/])")
_DATE_LABEL = re.compile(r"\bDATE\b", re.I)


@dataclass
class Line:
    page: int
    start: int
    end: int
    text: str
    top_of_page: bool = False  # in the upper part of its page (headers, stamps)


@dataclass
class Finding:
    field: str
    value: object
    line: Line
    start: int  # offsets in the document text
    end: int


@dataclass
class Fields:
    findings: list[Finding] = field(default_factory=list)

    def add(self, name: str, value: object, line: Line, m: re.Match[str] | None = None, group: int = 0) -> None:
        s = line.start + (m.start(group) if m else 0)
        e = line.start + (m.end(group) if m else len(line.text))
        self.findings.append(Finding(name, value, line, s, e))

    def values(self, name: str) -> list[object]:
        return [f.value for f in self.findings if f.field == name]

    def first(self, name: str) -> object | None:
        v = self.values(name)
        return v[0] if v else None


def level_of(text: str) -> str | None:
    """The classification level a stamp line gives, or None (no level, or more than one: a checkbox row)."""
    if _NOT_A_STAMP.search(text.upper()):
        return None
    found = {re.sub(r"[\s\-.]", "", m.group(1)).replace("TOPSECRET", "TOP SECRET") for m in _LEVEL.finditer(text)}
    found = {"TOP SECRET" if f == "TOP SECRET" else f for f in found}
    return found.pop() if len(found) == 1 else None


def is_stamp_line(text: str) -> bool:
    """A line that is a classification marking: the level in capitals, and little else on the line
    (caveats, a date-time group, a copy number) — not a sentence that mentions secrets."""
    m = _LEVEL.search(text)
    if not m or level_of(text) is None:
        return False
    spaced = " " in m.group(1).replace("TOP SECRET", "TOPSECRET") or "-" in m.group(1)
    rest = (text[: m.start()] + " " + text[m.end():]).strip()
    words = [w for w in re.split(r"\s+", rest) if len(w) > 2 and w.isalpha()]
    lower = sum(1 for w in words if not w.isupper())
    return spaced or (lower == 0 and len(words) <= 6) or (lower <= 1 and len(words) <= 2)


_ANY_LEVEL = re.compile(r"(?<![A-Za-z])(TOP\s+SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|RESTRICTED)(?![A-Za-z])", re.I)
_CHECKED = re.compile(r"^[\[(|]?[A-Za-z0-9]?[xXd×%&✓✗][\])|]?$|^(?:M|W|V|ZF|EX)$")


def checked_level(text: str) -> str | None:
    """The level ticked in a form's checkbox row ('[] UNCLASSIFIED [] CONFIDENTIAL DX SECRET'), where
    exactly one box before a level reads as crossed (OCR gives 'DX', 'X', '[X]', 'Bd', '&'…)."""
    marks = list(_ANY_LEVEL.finditer(text))
    if len({" ".join(m.group(1).upper().split()) for m in marks}) < 2:
        return None
    ticked = set()
    for m in marks:
        before = text[: m.start()].split()
        if before and _CHECKED.match(before[-1].strip(".,:;_-=")):
            ticked.add(" ".join(m.group(1).upper().split()))
    return ticked.pop() if len(ticked) == 1 else None


def two_digit_year(y: str) -> int:
    n = int(y)
    if n >= 100:
        return n
    return 1900 + n if n >= 30 else 2000 + n


def dtg_date(m: re.Match[str]) -> str | None:
    day, mon, year = int(m.group(1)), MONTHS.get(m.group(4).lower()), two_digit_year(m.group(5))
    return _iso(year, mon, day)


def _iso(y: int, m: int | None, d: int | None) -> str | None:
    if not m or not d or not 1900 <= y <= 2035:
        return None
    try:
        start, _end, _p = day_range(y, m, d)
    except ValueError:
        return None
    return start


def written_dates(text: str) -> list[tuple[int, int, str]]:
    """Day-precise dates written out in a line ("19 March 1964", "March 19, 1964", "21 MAY 82", "6/1/64"),
    as (start, end, ISO date)."""
    out: list[tuple[int, int, str]] = []
    for m in _WRITTEN_DMY.finditer(text):
        iso = _iso(two_digit_year(m.group(3)), MONTHS.get(m.group(2).lower()), int(m.group(1)))
        if iso:
            out.append((m.start(), m.end(), iso))
    for m in _WRITTEN_MDY.finditer(text):
        iso = _iso(int(m.group(3)), MONTHS.get(m.group(1).lower()), int(m.group(2)))
        if iso:
            out.append((m.start(), m.end(), iso))
    for m in _NUMERIC.finditer(text):
        iso = _iso(two_digit_year(m.group(3)), int(m.group(1)), int(m.group(2)))
        if iso:
            out.append((m.start(), m.end(), iso))
    out.sort()
    return out


def _field_values(line: Line) -> list[tuple[str, int, int]]:
    """Label → value pairs on one line: 'TO: DIRECTOR INFO: MEXI' → [('TO', 'DIRECTOR'), ('INFO', 'MEXI')]."""
    marks = list(_FIELD.finditer(line.text))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(line.text)
        label = " ".join(m.group(1).split()).upper()
        out.append((label, m.end(), end))
    return out


def read_fields(lines: list[Line]) -> Fields:
    """Every form field on the lines of a document (all pages, in order)."""
    f = Fields()
    for i, line in enumerate(lines):
        t = line.text
        up = t.upper()
        if is_stamp_line(t):
            lvl = level_of(t)
            m = _LEVEL.search(t)
            f.add("classification", lvl, line, m, 1)
        else:
            lvl = checked_level(t)
            if lvl:
                m = next(x for x in _ANY_LEVEL.finditer(t) if " ".join(x.group(1).upper().split()) == lvl)
                f.add("classification", lvl, line, m, 1)
        for m in _CAVEAT.finditer(up):
            if is_stamp_line(t) or re.match(r"^\s*(SLUGS?|CAVEATS?)\b", up) or m.group(1) in ("RYBAT", "WNINTEL"):
                f.add("caveat", " ".join(m.group(1).split()), line, m, 1)
        for label, s, e in _field_values(line):
            value = t[s:e].strip(" ,;:-_|")
            if not value and i + 1 < len(lines):  # the form's label above its box
                nxt = lines[i + 1]
                if not _FIELD.search(nxt.text) and len(nxt.text) <= 80:
                    value, line_used, s, e = nxt.text.strip(), nxt, 0, len(nxt.text)
                    f.findings.append(Finding(_field_name(label), value, line_used, nxt.start, nxt.end))
                continue
            if value and len(value) <= 120:
                name = _field_name(label)
                if name == "to":
                    value = value.strip(" \"'“”‘’")
                    p = _PREC_LEAD.match(value)
                    if p:
                        at = t.find(p.group(1), s)
                        f.findings.append(Finding("precedence", p.group(1), line, line.start + at,
                                                  line.start + at + len(p.group(1))))
                f.findings.append(Finding(name, value, line, line.start + s, line.start + e))
        bare = _BARE_LABEL.match(t)
        if bare and i + 1 < len(lines):  # a form's printed label with its value typed in the box below
            nxt = lines[i + 1]
            if not _FIELD.search(nxt.text) and not _BARE_LABEL.match(nxt.text) and 2 < len(nxt.text.strip()) <= 80:
                f.findings.append(Finding(_field_name(bare.group(1).upper()), nxt.text.strip(), nxt,
                                          nxt.start, nxt.end))
        if "MEMORANDUM FOR THE RECORD" in up or "MEMO FOR THE RECORD" in up:
            f.add("memo_for_record", True, line)
        m = _SUBJECT.match(t)
        if m and len(m.group(1).strip()) > 2:
            f.add("subject", m.group(1).strip(), line, m, 1)
        elif re.match(r"^\s*SUBJECT\s*[:.;]?\s*$", up) and i + 1 < len(lines):
            nxt = lines[i + 1]
            f.findings.append(Finding("subject", nxt.text.strip(), nxt, nxt.start, nxt.end))
        m = _REF.match(t)
        if m:
            f.add("ref", m.group(1).strip(), line, m, 1)
        for m in _CITE.finditer(up):
            f.add("cite", f"{' '.join(m.group(1).split())} {m.group(2)}", line, m, 0)
        for m in _DTG.finditer(t):
            iso = dtg_date(m)
            if iso:
                f.add("dtg", {"text": m.group(0), "date": iso, "time": f"{m.group(2)}{m.group(3)}Z"}, line, m, 0)
        if line.top_of_page and len(t) < 100:
            for p, rx in _PREC:
                for m in rx.finditer(t):
                    f.add("precedence", p, line, m, 0)
        for m in _FILE_201.finditer(t):
            f.add("file_number", f"201-{m.group(2)}", line, m, 0)
        for m in _JOB.finditer(t):
            f.add("file_number", m.group(1).replace(" ", "").replace("-", ""), line, m, 1)
        for m in _DISPATCH_NO.finditer(t):
            if m.group(1) not in ("CITE", "PAGE", "FROM", "INFO", "DATE", "FILE", "SLUG"):
                f.add("dispatch_number", f"{m.group(1)}-{m.group(2)}", line, m, 0)
        for m in _MSG_NO.finditer(t):
            f.add("message_number", f"{m.group(1)} {m.group(2)}", line, m, 0)
        m = _ROUTING.match(t)
        if m and m.group(1).strip():
            f.add("routing", m.group(1).strip(), line, m, 1)
        for s, e, iso in written_dates(t):
            labelled = bool(_DATE_LABEL.search(t[:s]))
            f.findings.append(Finding("date_labelled" if labelled else "date_written", iso, line,
                                      line.start + s, line.start + e))
    return f


def _field_name(label: str) -> str:
    if label.startswith("MEMORANDUM FOR THE RECORD"):
        return "memo_for_record"
    if label.startswith("MEMORANDUM FOR") or label in ("ATTENTION", "ATTN"):
        return "to"
    return {"FROM": "from", "TO": "to", "INFO": "info", "ACTION": "action", "VIA": "via", "THRU": "via",
            "THROUGH": "via"}[label]
