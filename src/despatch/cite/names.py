"""Names as citations need them: personal names split into family and given, UN member states by era."""

from __future__ import annotations

import re
from dataclasses import dataclass


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
