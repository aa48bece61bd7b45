"""Security markings as a document prints them: classification, precedence and handling.

A post-1945 FRUS telegram carries them twice: in its opener, as the cable was printed
(`<seg><hi rend="smallcaps">secret</hi> <hi rend="smallcaps">niact</hi></seg>`), and in the editors'
source note, as a clause list after the file citation ("…, 661.00/3–2453. Secret; Niact; Eyes Only.
Drafted by …"). `read_markings(text)` reads one such run; a run counts only when every part of it is a
marking, so "priority was given to …" or "the Secretary" never reads as one.

- classification: the existing levels (`despatch.model.CLASSIFICATION_LEVELS`) and the U.S. ones of
  the period ("Limited Official Use", "Official Use Only", "Unclassified");
- precedence, normalised: Flash, Niact (also "Niact Immediate", "Night Action"), Immediate (also
  "Operational Immediate"), Priority, Routine;
- handling, normalised: Eyes Only ("Eyes Only for the Secretary"), Exdis ("Exclusive Distribution"),
  Nodis ("No Distribution"), Limdis ("Limit(ed) Distribution"), Noforn ("No Foreign Dissem").

Each marking keeps the words as printed (`Marking.text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLASSIFICATION_WORDS = (
    r"top\s+secret|most\s+secret|strictly\s+confidential|(?:personal|private)\s+and\s+(?:strictly\s+)?confidential|"
    r"personal\s+and\s+secret|secret\s+and\s+confidential|limited\s+official\s+use|official\s+use\s+only|"
    r"unclassified|confidential|restricted|secret"
)
#: (kind, normalised value, pattern) — the longest alternatives first.
_PATTERNS: list[tuple[str, str | None, str]] = [
    ("classification", None, CLASSIFICATION_WORDS),
    ("precedence", "Niact", r"niact(?:\s+immediate)?|night\s+action"),
    ("precedence", "Immediate", r"operational\s+immediate|immediate"),
    ("precedence", "Flash", r"flash"),
    ("precedence", "Priority", r"priority"),
    ("precedence", "Routine", r"routine"),
    ("handling", "Eyes Only", r"(?:literally\s+)?eyes\s+only(?:\s+for\s+[^;,.—–]{1,60})?"),
    ("handling", "Exdis", r"exdis|exclusive\s+distribution"),
    ("handling", "Nodis", r"nodis|no\s+distribution(?:\s+outside\s+[^;,.—–]{1,40})?"),
    ("handling", "Limdis", r"limdis|limit(?:ed)?\s+distribution"),
    ("handling", "Noforn", r"noforn|no\s+foreign\s+dissem(?:ination)?|not\s+releasable\s+to\s+foreign\s+nationals"),
]
_ONE = re.compile("|".join(f"(?P<m{i}>{p})" for i, (_k, _v, p) in enumerate(_PATTERNS)), re.I)
_SEP = re.compile(r"[\s;,.:/—–\-\[\]()]*")
#: What may close an opener's marking line: a telegram number ("1234."), nothing else.
_TAIL = re.compile(r"^\s*(?:No\.\s*)?\d+[a-z]?\.?\s*$", re.I)


@dataclass(frozen=True)
class Marking:
    kind: str  # classification | precedence | handling
    value: str  # normalised: "SECRET"-style level text for a classification, "Niact", "Eyes Only", ...
    text: str  # as printed


def _value(kind: str, norm: str | None, text: str) -> str:
    if kind == "classification":
        return " ".join(text.split()).title()
    return norm or text


def read_markings(text: str, allow_tail: bool = False) -> list[Marking]:
    """The markings of a run made only of markings ("Secret; Niact; Eyes Only", "SECRET NIACT"); [] for any
    run holding anything else. `allow_tail`: a trailing telegram number is allowed (an opener's line)."""
    s = text.strip()
    if not s:
        return []
    out: list[Marking] = []
    pos = _SEP.match(s).end()
    while pos < len(s):
        m = _ONE.match(s, pos)
        if not m or (m.end() < len(s) and s[m.end()].isalnum()):
            if out and allow_tail and _TAIL.match(s[pos:]):
                break
            return []
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        kind, norm, _ = _PATTERNS[i]
        out.append(Marking(kind, _value(kind, norm, m.group(0)), " ".join(m.group(0).split())))
        pos = _SEP.match(s, m.end()).end()
    return out


def note_markings(note: str) -> list[Marking]:
    """The markings an editors' source note states: every sentence made only of markings ("Secret; Niact.",
    "Top Secret; Routine.") — the first such sentence and any that follow it directly."""
    s = re.sub(r"^\s*Source:\s*", "", note)
    out: list[Marking] = []
    for sent in re.split(r"(?<=\.)\s+", s):
        clauses = [c for c in re.split(r";\s*", sent.strip().rstrip(".")) if c.strip()]
        found = []
        for c in clauses:
            mk = read_markings(c)
            if mk:
                found += mk
            elif found and re.match(r"^(?:Sent|Received|Repeated|Also sent|Drafted|Approved|Verbatim Text|"
                                    r"Sensitive|Personal|Cherokee|Roger Channel)\b", c.strip(), re.I):
                continue  # "Secret; Niact Immediate; Sent …; Received …": transmission data after the markings
            else:
                found = []
                break
        if found:
            out += found
        elif out:
            break
    return out


_EYES_ONLY_LINE = re.compile(
    r"^(?:No\.\s*)?\d+[a-z]?\.\s+((?:literally\s+)?eyes\s+only(?:\s+for\s+[^.;:]{1,60})?)[.:]", re.I)


def first_line_markings(text: str) -> list[Marking]:
    """A telegram's first paragraph that opens with its number and a handling line: "1234. Eyes only for the
    Secretary. …" → Eyes Only."""
    m = _EYES_ONLY_LINE.match(text.strip())
    return [Marking("handling", "Eyes Only", " ".join(m.group(1).split()))] if m else []


def archival_location(note: str) -> str | None:
    """The file citation of a source note, without its markings and what follows them:
    "Source: Department of State, Central Files, 661.00/3–2453. Secret; Priority. Drafted by …" →
    "Department of State, Central Files, 661.00/3–2453". None when the note states no markings."""
    s = re.sub(r"^\s*Source:\s*", "", note).strip()
    parts = re.split(r"(?<=\.)\s+", s)
    for i, sent in enumerate(parts):
        first = re.split(r";\s*", sent.strip().rstrip("."))[0]
        if i and read_markings(first):
            loc = " ".join(parts[:i]).strip().rstrip(".").strip()
            return loc or None
    return None


def summarise(marks: list[Marking]) -> tuple[str | None, str | None, list[str]]:
    """(classification as printed, precedence, handling) from a list of markings, first of each kind kept."""
    # An opener's small capitals are encoded in lower case ("secret") and printed as capitals.
    cls = next((m.text.upper() if m.text.islower() else m.text for m in marks if m.kind == "classification"), None)
    prec = next((m.value for m in marks if m.kind == "precedence"), None)
    handling: list[str] = []
    for m in marks:
        if m.kind == "handling" and m.value not in handling:
            handling.append(m.value)
    return cls, prec, handling
