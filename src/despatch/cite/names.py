"""Names as citations need them: personal names split into family and given, UN member states by era."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Name:
    """A person ("De Vos", "Luc") or an organisation (`literal`), as CSL-JSON models creators."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None

    @classmethod
    def parse(cls, s: str) -> Name:
        """'Last, First' is a person; anything without a comma is taken whole (an organisation)."""
        s = " ".join(s.split())
        if "," in s:
            family, given = (p.strip() for p in s.split(",", 1))
            if family and given:
                return cls(family=family, given=given)
        return cls(literal=s)

    def natural(self) -> str:
        """'Luc De Vos' (notes, 'edited by')."""
        if self.literal:
            return self.literal
        return f"{self.given} {self.family}"

    def inverted(self) -> str:
        """'De Vos, Luc' (first name in a bibliography entry, BibTeX, RIS)."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}"

    def csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        return {"family": self.family or "", "given": self.given or ""}


def join_names(names: list[str], conj: str = "and") -> str:
    """'A', 'A and B', 'A, B, and C' (Chicago uses the serial comma)."""
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]} {conj} {names[1]}"
    return ", ".join(names[:-1]) + f", {conj} {names[-1]}"


_HONORIFIC = re.compile(r"^(?P<title>(?:[A-Z][a-z]{0,3}\.?\s+)*)(?P<rest>.*)$")


def speaker_name(recorded: str) -> str:
    """'Mr. DULLES' → 'Mr. Dulles': the record's capitals are typography, not spelling.

    Only all-capital words change; 'McNAUGHTON', 'de GAULLE' and titles are left as written.
    """

    def fix(word: str) -> str:
        letters = [c for c in word if c.isalpha()]
        if len(letters) < 2 or not all(c.isupper() for c in letters):
            return word
        return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0] + m.group(0)[1:].lower(), word)

    return " ".join(fix(w) for w in recorded.split())


# Codes the UN General Debate Corpus uses for states that no longer exist, or under a later code.
_HISTORIC = {
    "CSK": "Czechoslovakia",
    "DDR": "German Democratic Republic",
    "YMD": "People's Democratic Republic of Yemen",
    "YUG": "Yugoslavia",
    "SUN": "Union of Soviet Socialist Republics",
    "EU": "European Union",
    "EU_": "European Union",
}
# (code, last year the older name applies, older name): the corpus files the USSR under RUS, West
# Germany under DEU and North Yemen under YEM, and a citation must name the state that spoke.
_ERAS = (
    ("RUS", 1991, "Union of Soviet Socialist Republics"),
    ("DEU", 1989, "Federal Republic of Germany"),
    ("YEM", 1989, "Yemen Arab Republic"),
    ("MMR", 1988, "Burma"),
    ("LKA", 1971, "Ceylon"),
    ("BEN", 1975, "Dahomey"),
    ("BFA", 1983, "Upper Volta"),
)
# pycountry's names where a citation wants the name the UN uses.
_SHORT = {
    "USA": "United States of America",
    "GBR": "United Kingdom",
    "RUS": "Russian Federation",
    "KOR": "Republic of Korea",
    "PRK": "Democratic People's Republic of Korea",
    "IRN": "Iran",
    "SYR": "Syria",
    "VEN": "Venezuela",
    "BOL": "Bolivia",
    "TZA": "Tanzania",
    "LAO": "Laos",
    "MDA": "Moldova",
    "VNM": "Viet Nam",
    "PSE": "Palestine",
    "VAT": "Holy See",
    "FSM": "Micronesia",
    "CIV": "Côte d'Ivoire",
    "CZE": "Czech Republic",
    "MKD": "North Macedonia",
    "COD": "Democratic Republic of the Congo",
    "COG": "Congo",
}


@lru_cache(maxsize=1024)
def _country(code: str) -> str | None:
    if code in _HISTORIC:
        return _HISTORIC[code]
    if code in _SHORT:
        return _SHORT[code]
    try:
        import pycountry
    except ModuleNotFoundError:
        return None
    c = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if c is not None:
        return getattr(c, "common_name", None) or c.name
    h = pycountry.historic_countries.get(alpha_3=code) if len(code) == 3 else None
    return h.name.split(",")[0] if h else None


def country_name(code: str, year: int | None = None) -> str:
    """The state's name for a corpus code in a given year ('RUS', 1953 → 'Union of Soviet Socialist Republics')."""
    code = code.strip().upper()
    if year is not None:
        for c, last, name in _ERAS:
            if c == code and year <= last:
                return name
    return _country(code) or _country(code.rstrip("_")) or code
