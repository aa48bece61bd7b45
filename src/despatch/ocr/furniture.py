"""Release furniture: what a release stamps on every page, told apart from the record's own text.

NARA's JFK releases print a banner ("2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION
RECORDS ACT OF 1992") and the record number ("104-10003-10041") at the top of every page; CREST pages
carry "Approved For Release 2003/04/02 : CIA-RDP80-01601R000300350001-6". Such a line is release
metadata, not body text: it is kept in the text (the text is what was on the page) but as a `release`
span, which search and reading skip as body, and its values go to the document's metadata.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

JFK_BANNER = "RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992"
_LETTERS = re.compile(r"[^A-Z0-9]+")
_BANNER_KEY = _LETTERS.sub("", JFK_BANNER)
_RELEASE_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*RELEASE\b", re.I)
# NARA record numbers: agency-series-item, 3-5-5 digits (OCR may read a dash as a dot or a space).
RECORD_NUMBER = re.compile(r"(?<![\d-])(\d{3})\s?[-–.]\s?(\d{5})\s?[-–.]\s?(\d{5})(?![\d-])")
_CREST = re.compile(r"Approved\s+For\s+Release\s+(\d{4}/\d\d/\d\d)\s*:?\s*(CIA-RDP[\w-]+)", re.I)


def banner_score(line: str) -> float:
    """How much a line looks like the JFK release banner (0..1), robust to OCR errors in single letters."""
    key = _LETTERS.sub("", line.upper())
    if len(key) < 20:
        return 0.0
    m = SequenceMatcher(None, key, _BANNER_KEY, autojunk=False)
    matched = sum(b.size for b in m.get_matching_blocks())
    return matched / len(_BANNER_KEY)


def release_facts(line: str) -> dict[str, str] | None:
    """The release values a line carries, or None when it is not release furniture."""
    facts: dict[str, str] = {}
    if banner_score(line) >= 0.7:
        y = _RELEASE_YEAR.search(line)
        facts["release"] = (f"{y.group(1)} " if y else "") + JFK_BANNER
    crest = _CREST.search(line)
    if crest:
        facts["release"] = "Approved For Release " + crest.group(1)
        facts["crest_number"] = crest.group(2)
    if facts:
        rn = RECORD_NUMBER.search(line)
        if rn:
            facts["record_number"] = "-".join(rn.groups())
    return facts or None


def record_number_line(line: str) -> str | None:
    """A short line that carries a record number (the banner box's corner), e.g. '104-10014-10051' or,
    with the box's edges read as letters, '1 AAAAN (104-10057-10117],+'."""
    m = RECORD_NUMBER.search(line)
    if not m or len(line.split()) > 8:
        return None
    return "-".join(m.groups())
