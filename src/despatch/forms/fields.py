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


# What OCR makes of the spaces, hyphens or dots between typed capitals: 'S-E=C~R-E-T', 'S E.C R E T'.
_GAP = r"[\s\-.=~_:·•*]"


def _spaced(word: str) -> str:
    """A word as typed or OCR'd: 'SECRET', 'S E C R E T', 'S-E-C-R-E-T', 'S-E=C~R-E-T'."""
    return (_GAP + "?").join(re.escape(c) for c in word if c != " ").replace(r"\ ", r"\s*")


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
# Its digits as OCR may give them (O for 0, l or I for 1: 'O81247Z') and the month too ('N0V', 'FE8'),
# checked by `dtg_date`.
_DTG = re.compile(rf"\b([0-3OlI][\dOlI])([0-2OlI][\dOlI])([0-5OlI][\dOlI])\s?[Z2]\s*({_MONTH3}|[A-Z0-9]{{3}}(?=[\s']))"
                  rf"[A-Z]*\s*'?(\d{{2}}|19\d\d)\b", re.I)
# A 201 (personality) file number, with the letters OCR puts for digits ('2O1-289248', '201-28924l').
_FILE_201 = re.compile(r"(?<![\dA-Za-z-])(2[0O][1lI])\s?[-–—.]\s?([\dOlI]{5,7})(?![\dA-Za-z])")
_OCR_DIGITS = str.maketrans("OlI", "011")
# Other file numbers as a FILE box or line gives them: '100-300-12', '074-005-011', '021-120-004/1'.
_FILE_LABEL = re.compile(r"\bFILE\s*(?:NO\b\.?|NUMBER|NR\b\.?|#)?\s*[:.;,]?", re.I)
_FILE_SHAPE = re.compile(r"(?<![\w/.-])(\d{2,3}(?:-\d{1,7}){1,3}(?:/\d{1,3})?)(?![\w-])")
_DISPATCH_NO = re.compile(r"\b([A-Z]{4})\s?[-–]\s?(\d{4,6})\b")
# A CIA job (accession) number, '80T01357A', also as OCR gives it ('8OT0l357A', '80-T01357 A').
_JOB = re.compile(r"(?<![\dA-Za-z])([\dOlI]{2})[-\s]?([TR])([\dOlI]{5})\s?([A-Z])(?![\dA-Za-z])")
_MSG_NO = re.compile(r"\b(IN|OUT)\s+(\d{4,7})\b")
_ROUTING = re.compile(r"^\s*ROUTING\s*[:.;]?\s*(.*)$", re.I)
_MON_RX = "|".join(sorted((re.escape(m) for m in MONTHS if m.isascii()), key=len, reverse=True))
# A year as typed and as OCR misreads it: a 1 read as l, I or |, a 0 read as O ('l964', '19O4').
_YEAR4 = r"(?:19|[lI|]9)[\dOo]\d|20\d\d|19\d[Oo]"
# The month as a word of 3-9 letters, checked by `month_number` (which forgives one letter in a long name).
# A two-digit year with a 9 read as Q or a 1 read as I or l ('20 NOV QI'), after a capitalised month.
_YEAR2 = r"\d\d|[\dQ][\dIl]"
# A month's letters may be digits OCR put for them ('N0V', '5EPT', 'FE8'), checked by `month_number`.
_MONTH_WORD = r"[A-Za-z0568][A-Za-z0-9]{2,8}"
_WRITTEN_DMY = re.compile(rf"\b([0-3]?\d)\s*({_MONTH_WORD})\.?,?\s+({_YEAR4}|{_YEAR2})\b")
_WRITTEN_MDY = re.compile(rf"\b({_MONTH_WORD})\.?\s+([0-3]?\d),?\s+({_YEAR4})\b")
_NUMERIC = re.compile(r"(?<![\d/])([01]?\d)/([0-3]?\d)/(19\d\d|\d\d)(?![\d/])")
# A label that dates the record (DATE, DATE TYPED, DATE DISPATCHED…), not what it reports (DATE OF INFO,
# DATE ACQUIRED, DATE OF BIRTH).
_DATE_LABEL = re.compile(r"\b[DO0]ATE\b(?!\s*(?:OF\s+(?:INFO|BIRTH)|ACQ))", re.I)
_OTHER_DATE_LABEL = re.compile(r"\bDATE\s*(?:OF\s+(?:INFO|INFORMATION|BIRTH)|ACQ)|\bD\.?O\.?B\b|\bDOI\b", re.I)
_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december")
_DAY_MONTH = re.compile(r"^\W*([0-3]?\d)\s*([A-Za-z]{3,9})\.?\W*$")
_YEAR_ONLY = re.compile(rf"^\W*({_YEAR4})\W*$")


@dataclass
class Line:
    page: int
    start: int
    end: int
    text: str
    top_of_page: bool = False  # in the upper part of its page (headers, stamps)
    position: float | None = None  # the line's top as a share of the page's height (OCR lines only)

    @property
    def in_stamp_band(self) -> bool:
        """In the top quarter or the bottom fifth of its page, where classification stamps are put."""
        return self.position is not None and (self.position < 0.25 or self.position >= 0.8)


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
    found = {re.sub(_GAP, "", m.group(1)).replace("TOPSECRET", "TOP SECRET") for m in _LEVEL.finditer(text)}
    found = {"TOP SECRET" if f == "TOP SECRET" else f for f in found}
    return found.pop() if len(found) == 1 else None


# The level as a word of a sentence ("IS CLASSIFIED TOP SECRET", "MARKED SECRET"), not a marking.
_IN_A_SENTENCE = re.compile(r"\b(?:IS|ARE|WAS|WERE|BE|BEEN|AS|CLASSIFIED|MARKED|REMAINS?|THE|A|AN|NOT)\W*$", re.I)


def is_stamp_line(text: str) -> bool:
    """A line that is a classification marking: the level in capitals, and little else on the line
    (caveats, a date-time group, a copy number) — not a sentence that mentions secrets."""
    m = _LEVEL.search(text)
    if not m or level_of(text) is None:
        return False
    spaced = bool(re.search(_GAP, m.group(1).replace("TOP SECRET", "TOPSECRET")))
    if _IN_A_SENTENCE.search(text[: m.start()]):
        return False
    rest = (text[: m.start()] + " " + text[m.end():]).strip()
    words = [w.strip(".,;:!?()\"'") for w in re.split(r"\s+", rest)]
    words = [w for w in words if len(w) > 2 and w.isalpha()]
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


# Stamps read through OCR damage: the level words compared by edit distance, after the digits OCR puts for
# letters are read back as letters ('5ECRET', 'SECRE7'). One edit for SECRET, two for the long words.
_STAMP_VOCAB = {"SECRET": 1, "CONFIDENTIAL": 2, "UNCLASSIFIED": 2}
_DIGIT_AS_LETTER = str.maketrans("0157386", "OISTEBG")
_NOT_DAMAGE = {"SECRETS", "SECRETE", "SECRETED", "SECRETES", "SECRETLY", "SECRETA", "SECTOR", "SECRECY",
               "CLASSIFIED", "DECLASSIFIED", "RECLASSIFIED", "CONFIDENTIALLY", "CONFIDENTIALS",
               "DECRET", "DECRETS", "DECRETO"}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two strings, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def fuzzy_level(token: str) -> str | None:
    """The classification level a damaged stamp word stands for ('SECRFT', 'S-E=C~R-E-T', '5ECRET',
    'CONFIDENTLAL'), or None. Words of the language that merely look like one ('SECRETS', 'SECTOR') are
    not levels."""
    core = token.strip("\"'“”‘’.,;:!?()[]{}<>|/\\_-—–*")
    letters = re.sub(r"[^A-Za-z0-9]", "", core).upper()
    if len(letters) < 5 or sum(c.isalpha() for c in letters) < 0.7 * len(letters):
        return None
    if len(core) > 2 * len(letters):  # more separators than letters: not a word
        return None
    word = letters.translate(_DIGIT_AS_LETTER)
    if word in _NOT_DAMAGE:
        return None
    for level, limit in _STAMP_VOCAB.items():
        if edit_distance(word, level, limit) <= limit:
            return level
    return None


def damaged_stamp_level(line: Line) -> str | None:
    """The level of a stamp line that OCR damaged past the exact patterns: a short line in the band of the
    page where stamps sit (top quarter, bottom fifth) with one word within the edit distance of a level
    and written mostly in capitals. A line naming two levels is a checkbox row (see `checked_level`),
    not a stamp; a line of running text is not a stamp."""
    if not line.in_stamp_band:
        return None
    tokens = line.text.split()
    spaced = spaced_level(tokens)
    if spaced:
        return spaced
    if not tokens or len(tokens) > 6:
        return None
    found = set()
    for tok in tokens:
        lvl = fuzzy_level(tok)
        if lvl is None:
            continue
        letters = [c for c in tok if c.isalpha()]
        if sum(c.isupper() for c in letters) < 0.6 * len(letters):
            continue
        found.add(lvl)
    return found.pop() if len(found) == 1 else None


def spaced_level(tokens: list[str]) -> str | None:
    """The level a stamp typed in spaced capitals gives when OCR also damaged a letter ('S E C R E 7',
    'C O N F I D E N T l A L', 'S E C R F T'): a run of four or more one- or two-character tokens, joined,
    within the edit distance of a level. Only the one level a line gives counts."""
    found: set[str] = set()
    run: list[str] = []
    for tok in [*tokens, "<end>"]:
        core = tok.strip("\"'“”‘’.,;:|_-")
        if 1 <= len(core) <= 2 and tok != "<end>":
            run.append(core)
            continue
        if len(run) >= 4:
            joined = "".join(run)
            lvl = fuzzy_level(joined)
            letters = [c for c in joined if c.isalpha()]
            if lvl and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
                found.add(lvl)
        run = []
    return found.pop() if len(found) == 1 else None


def two_digit_year(y: str) -> int:
    n = int(y)
    if n >= 100:
        return n
    return 1900 + n if n >= 30 else 2000 + n


def dtg_date(m: re.Match[str]) -> str | None:
    digits = "".join(m.group(i) for i in (1, 2, 3))
    if sum(c.isdigit() for c in digits) < 4:  # mostly letters: a word, not a date-time group
        return None
    day = int(digits[:2].translate(_OCR_DIGITS))
    month = m.group(4)
    if not month.isalpha():
        month = month.upper().translate(_DIGIT_AS_LETTER)
    mon = MONTHS.get(month.lower()) if month.isalpha() and month.isascii() else None
    return _iso(two_digit_year(m.group(5)), mon, day)


def _iso(y: int, m: int | None, d: int | None) -> str | None:
    if not m or not d or not 1900 <= y <= 2035:
        return None
    try:
        start, _end, _p = day_range(y, m, d)
    except ValueError:
        return None
    return start


def month_number(word: str) -> int | None:
    """The month a word names: a name or abbreviation the date parser knows ('Sept', 'NOV', 'mars'), or a
    long English month name with one letter misread ('Mareh', 'Merch', 'Septenber'); else None."""
    w = word.lower()
    if any(c.isdigit() for c in w):  # 'N0V', '5EPT', 'FE8': the digits OCR put for letters
        if sum(c.isalpha() for c in w) < 2:
            return None
        w = w.upper().translate(_DIGIT_AS_LETTER).lower()
    if w in MONTHS and w.isascii():
        return MONTHS[w]
    if len(w) >= 5:
        for i, name in enumerate(_ENGLISH_MONTHS, 1):
            if len(name) >= 5 and edit_distance(w, name, 1) <= 1:
                return i
    if len(w) == 4 and w not in _NOT_JUNE_JULY:  # 'Tuly', 'Juiy', 'Jnne': one letter misread
        for name, i in (("june", 6), ("july", 7)):
            if sum(a != b for a, b in zip(w, name, strict=True)) == 1:
                return i
    return None


# Words one letter away from June or July that are words, not a misread month.
_NOT_JUNE_JULY = {"jury", "duly", "judy", "jane", "dune", "juno", "lune", "rune", "tune", "jute", "jule", "junk"}


def read_year(y: str) -> int:
    """A year as written or misread ('1964', 'l964', '19O4', '64')."""
    y = y.translate(str.maketrans("lI|OoQ", "111009"))
    return two_digit_year(y)


def written_dates(text: str) -> list[tuple[int, int, str]]:
    """Day-precise dates written out in a line ("19 March 1964", "March 19, 1964", "21 MAY 82", "6/1/64",
    and OCR's "26 Mareh l964"), as (start, end, ISO date)."""
    out: list[tuple[int, int, str]] = []
    for m in _WRITTEN_DMY.finditer(text):
        iso = _iso(read_year(m.group(3)), month_number(m.group(2)), int(m.group(1)))
        if iso:
            out.append((m.start(), m.end(), iso))
    for m in _WRITTEN_MDY.finditer(text):
        iso = _iso(read_year(m.group(3)), month_number(m.group(1)), int(m.group(2)))
        if iso:
            out.append((m.start(), m.end(), iso))
    for m in _NUMERIC.finditer(text):
        iso = _iso(two_digit_year(m.group(3)), int(m.group(1)), int(m.group(2)))
        if iso:
            out.append((m.start(), m.end(), iso))
    out.sort()
    return out


def is_dateline(text: str, spans: list[tuple[int, int, str]]) -> bool:
    """A line that is a date and little else: a letter's or memorandum's dateline, a form box's value, a
    date stamp — not a date mentioned in a sentence."""
    rest = text
    for s, e, _ in sorted(spans, reverse=True):
        rest = rest[:s] + rest[e:]
    return len(re.sub(r"[\W_]", "", rest)) <= 3


def in_running_prose(text: str, start: int, end: int) -> bool:
    """Whether the date at text[start:end] stands in a sentence (five or more words of three letters or
    more beside it on its line) rather than in a header, a signature block or a form's box."""
    rest = text[:start] + " " + text[end:]
    return len(re.findall(r"[A-Za-z]{3,}", rest)) >= 5


def yearless_dateline(lines: list[Line], i: int) -> str | None:
    """A dateline with the day and month only ('21 MAY'), its year stamped on the line below ('1982') or,
    failing that, the one year that dates of the same month written on the same page give; else None."""
    m = _DAY_MONTH.match(lines[i].text)
    if not m:
        return None
    month, day = month_number(m.group(2)), int(m.group(1))
    if not month:
        return None
    line = lines[i]
    if i + 1 < len(lines) and lines[i + 1].page == line.page:
        y = _YEAR_ONLY.match(lines[i + 1].text)
        if y:
            return _iso(read_year(y.group(1)), month, day)
    years = {iso[:4] for ln in lines if ln.page == line.page for _s, _e, iso in written_dates(ln.text)
             if int(iso[5:7]) == month}
    if len(years) == 1:
        return _iso(int(years.pop()), month, day)
    return None


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
            else:
                lvl = damaged_stamp_level(line)
                if lvl:
                    f.add("classification", lvl, line)
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
                time = f"{m.group(2)}{m.group(3)}".translate(_OCR_DIGITS)
                f.add("dtg", {"text": m.group(0), "date": iso, "time": f"{time}Z"}, line, m, 0)
        if line.top_of_page and len(t) < 100:
            for p, rx in _PREC:
                for m in rx.finditer(t):
                    f.add("precedence", p, line, m, 0)
        for m in _FILE_201.finditer(t):
            number = m.group(2).translate(_OCR_DIGITS)
            if sum(c.isdigit() for c in m.group(2)) >= 5:
                f.add("file_number", f"201-{number}", line, m, 0)
        for where, m in labelled_file_numbers(lines, i):
            f.add("file_number", m.group(1), where, m, 1)
        for m in _JOB.finditer(t):
            digits = m.group(1) + m.group(3)
            if sum(c.isdigit() for c in digits) >= 5:
                job = f"{m.group(1).translate(_OCR_DIGITS)}{m.group(2)}{m.group(3).translate(_OCR_DIGITS)}{m.group(4)}"
                f.add("file_number", job, line, m, 0)
        for m in _DISPATCH_NO.finditer(t):
            if m.group(1) not in ("CITE", "PAGE", "FROM", "INFO", "DATE", "FILE", "SLUG"):
                f.add("dispatch_number", f"{m.group(1)}-{m.group(2)}", line, m, 0)
        for m in _MSG_NO.finditer(t):
            f.add("message_number", f"{m.group(1)} {m.group(2)}", line, m, 0)
        m = _ROUTING.match(t)
        if m and m.group(1).strip():
            f.add("routing", m.group(1).strip(), line, m, 1)
        spans = written_dates(t)
        # a form's DATE label with its value in the box below (within two lines, same page)
        label_above = any(_DATE_LABEL.search(ln.text) and not written_dates(ln.text)
                          and not _OTHER_DATE_LABEL.search(ln.text)
                          for ln in lines[max(0, i - 2):i] if ln.page == line.page)
        dateline = bool(spans) and is_dateline(t, spans)
        for s, e, iso in spans:
            before = t[:s]
            if _OTHER_DATE_LABEL.search(before):
                continue
            labelled = bool(_DATE_LABEL.search(before)) or (label_above and dateline)
            name = "date_labelled" if labelled else "date_line" if dateline else "date_written"
            f.findings.append(Finding(name, iso, line, line.start + s, line.start + e))
        if not spans:
            iso = yearless_dateline(lines, i)
            if iso:
                f.findings.append(Finding("date_line", iso, line, line.start, line.start))
    return f


def _file_shapes(text: str, start: int = 0) -> list[re.Match[str]]:
    """Hyphenated file numbers in text[start:] ('100-300-12'), not 201 numbers (read on their own) and
    not dates written with hyphens ('12-28-96')."""
    out = []
    for m in _FILE_SHAPE.finditer(text, start):
        parts = m.group(1).split("/")[0].split("-")
        digits = sum(len(p) for p in parts)
        if parts[0] == "201" or digits < 6:
            continue
        if len(parts) == 3 and len(parts[2]) == 2 and 1 <= int(parts[0]) <= 12 and 1 <= int(parts[1]) <= 31:
            continue  # a date: month-day-year
        out.append(m)
    return out


def labelled_file_numbers(lines: list[Line], i: int) -> list[tuple[Line, re.Match[str]]]:
    """File numbers a FILE label gives ('FILE: 074-005-011', 'CS FILE NO. 100-300-12'), on the label's
    line or, where the label's box is empty there, in the box below (the next two lines of the page)."""
    line = lines[i]
    label = _FILE_LABEL.search(line.text)
    if not label:
        return []
    found = _file_shapes(line.text, label.end())
    if found:
        return [(line, m) for m in found]
    if line.text[label.end():].strip(" .,:;|_-"):
        return []  # the label's own line has a value, and it is not a file number
    for nxt in lines[i + 1: i + 3]:
        if nxt.page != line.page:
            break
        below = _file_shapes(nxt.text)
        if below and len(nxt.text.strip()) <= 40:
            return [(nxt, m) for m in below]
    return []


def _field_name(label: str) -> str:
    if label.startswith("MEMORANDUM FOR THE RECORD"):
        return "memo_for_record"
    if label.startswith("MEMORANDUM FOR") or label in ("ATTENTION", "ATTN"):
        return "to"
    return {"FROM": "from", "TO": "to", "INFO": "info", "ACTION": "action", "VIA": "via", "THRU": "via",
            "THROUGH": "via"}[label]
