"""Hyphenated and closed compounds as one word: `co-existence` = `coexistence`, `Viet-Nam` = `Vietnam`.

The documents of the period spell many compounds both ways (the UN speeches of 1953 have `coexistence`
14 times and `co-existence` once); a count that misses one spelling is wrong. So a hyphen between two
letters joins: the index holds `co-existence` as the one word `coexistence` followed by MARK, a letter no
text uses, so that

* `coexistence` and `co-existence` (stemmed) find every form beginning with the stem: both spellings;
* `=coexistence` finds the closed spelling only (the term without MARK), `=co-existence` the hyphenated
  one (the term with MARK);
* phrases run over the joined word: `"peaceful coexistence"` finds `peaceful co-existence`.

The parts of a hyphenated compound are indexed too (as separate values, away from the running text), so
`Soviet` still finds `Sino-Soviet` and `determination` `self-determination`, as before. Digits do not join
(`1953-54`, `B-52` stay two words). The query side (engine.py) and the marks (snippets.py) use the same
functions, so what is counted is what is marked.
"""

from __future__ import annotations

import re

MARK = "ǂ"  # U+01C2: a letter (the tokenizer keeps it, case folding and ASCII folding leave it alone)
HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen (not dashes: 1953–54 is a range)
_JOIN = re.compile(rf"(?<=[^\W\d_])[{HYPHENS}](?=[^\W\d_])")


def is_joining(text: str, i: int) -> bool:
    """Whether text[i] is a hyphen between two letters (one that joins a compound)."""
    return (
        0 < i < len(text) - 1
        and text[i] in HYPHENS
        and text[i - 1].isalpha()
        and text[i + 1].isalpha()
    )


def joining_hyphens(text: str) -> list[int]:
    """Offsets of the hyphens that join a compound, in order.

    Found with str.find (C speed) and checked one by one: a regular expression with a look-behind tries
    every character and took 100 times longer on a speech, at index time and for every hit's snippets.
    """
    out: list[int] = []
    for h in HYPHENS:
        i = text.find(h)
        while i >= 0:
            if is_joining(text, i):
                out.append(i)
            i = text.find(h, i + 1)
    if len(HYPHENS) > 1:
        out.sort()
    return out


def runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every hyphenated compound: letters and digits around joining hyphens."""
    out: list[tuple[int, int]] = []
    n, last = len(text), -1
    for h in joining_hyphens(text):
        if h < last:
            continue
        a = h
        while a > 0 and (text[a - 1].isalnum() or is_joining(text, a - 1)):
            a -= 1
        b = h + 1
        while b < n and (text[b].isalnum() or is_joining(text, b)):
            b += 1
        out.append((a, b))
        last = b
    return out


def joined(text: str) -> tuple[str, list[str]]:
    """`text` with each hyphenated compound written as one marked word, and the compounds' parts.

    "peaceful co-existence, Sino-Soviet" → ("peaceful coexistenceǂ, SinoSovietǂ", ["co existence",
    "Sino Soviet"]). Offsets are not kept: this is what the index tokenizes, never what is shown.
    """
    spans = runs(text)
    if not spans:
        return text, []
    out: list[str] = []
    parts: list[str] = []
    pos = 0
    for a, b in spans:
        pieces = _JOIN.split(text[a:b])
        out.append(text[pos:a])
        out.append("".join(pieces) + MARK)
        parts.append(" ".join(pieces))
        pos = b
    out.append(text[pos:])
    return "".join(out), parts


def query_form(word: str) -> str:
    """A query word as the index holds it: `co-existence` → `coexistenceǂ`, other words unchanged."""
    return joined(word)[0]


def unmarked(term: str) -> str:
    """An indexed term without the compound mark (for stemming it)."""
    return term[:-1] if term.endswith(MARK) else term
