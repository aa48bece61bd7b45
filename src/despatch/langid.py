"""A small stop-word language guess for the languages of the corpora (en, fr, es, de, ru, it, pt).

Good enough to fill `language` and the lang: facet for whole documents; it says None when unsure.
"""

from __future__ import annotations

import re
from collections import Counter

_STOP = {
    "en": "the of and to in that is for it with as be on this by are not have which we",
    "fr": "le la les de des et en que qui dans pour une est pas sur par au du ne nous",
    "es": "el la los las de que y en por con para una es del se no al lo como",
    "de": "der die das und in den von zu mit ist nicht auf dem des sich ein eine wir",
    "it": "il di che e la per un una non con del della sono le gli da al",
    "pt": "o a os as de que e do da em para um uma não com por no na",
}
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_STOPSETS = {lang: words.split() for lang, words in _STOP.items()}


def guess_language(text: str, sample: int = 3000) -> str | None:
    chunk = text[:sample]
    if not chunk.isascii() and len(_CYRILLIC.findall(chunk)) > 0.3 * max(1, len(chunk.strip())):
        return "ru"
    counts = Counter(_WORD.findall(chunk.lower()))
    total = sum(counts.values())
    if total < 5:
        return None
    scores = {lang: sum(counts[w] for w in words) for lang, words in _STOPSETS.items()}
    best = max(scores, key=lambda k: scores[k])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 0.15 * total or ranked[0] < 1.3 * ranked[1]:
        return None
    return best
