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
_HAS_HYPHEN = re.compile(rf"[{HYPHENS}]")


def is_joining(text: str, i: int) -> bool:
    """Whether text[i] is a hyphen between two letters (one that joins a compound)."""
    return (
        0 < i < len(text) - 1
        and text[i] in HYPHENS
        and text[i - 1].isalpha()
        and text[i + 1].isalpha()
    )


def joined(text: str) -> tuple[str, list[str]]:
    """`text` with each hyphenated compound written as one marked word, and the compounds' parts.

    "peaceful co-existence, Sino-Soviet" → ("peaceful coexistenceǂ, SinoSovietǂ", ["co existence",
    "Sino Soviet"]). Offsets are not kept: this is what the index tokenizes, never what is shown.
    """
    if not _HAS_HYPHEN.search(text):
        return text, []
    out: list[str] = []
    parts: list[str] = []
    pos = 0
    n = len(text)
    for m in _JOIN.finditer(text):
        h = m.start()
        if h < pos:  # inside a compound already written out
            continue
        # the whole run: letters/digits and joining hyphens around this one
        a = h
        while a > 0 and (text[a - 1].isalnum() or is_joining(text, a - 1)):
            a -= 1
        b = h + 1
        while b < n and (text[b].isalnum() or is_joining(text, b)):
            b += 1
        run = text[a:b]
        pieces = _JOIN.split(run)
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
