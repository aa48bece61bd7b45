"""Stemmed search over fields that hold words as written.

The prose fields (title, heading, text) index each word once, as written: lower case, accents folded,
not stemmed. Indexing every text twice, once stemmed for `policy` and once as written for `=policies`
and `polic*`, cost 54 of the 90 CPU-seconds of indexing the UN corpus. Instead a query word is stemmed
and the stem looked up in the field's term dictionary: `policy` searches every indexed form whose stem
is `polici` (policy, policies), `=policies` that one form.

Which terms to look at: an English (Porter2) stem keeps all but at most the last letter of every word it
comes from, so the forms of a stem are among the terms that begin with the stem less its last letter.
Of the 66,765 distinct words of the UN General Debate corpus the only exceptions are -ying verbs
(dying → die), covered by a second prefix. Each candidate is stemmed to check it. A hyphenated compound
is indexed as its joined form plus a mark (compounds.py), so it is among the same candidates and its
stem is that of the joined word: `coexistence` finds `co-existence`.
"""

from __future__ import annotations

import math
from typing import Any

import tantivy

from .analyzers import ANALYZERS
from .compounds import unmarked

PROSE = ("title", "heading", "text")
# A document with several forms of a word (nation, nations, national) scores by its best form plus this
# share of the others: close to what one stemmed term would give, whose frequency saturates.
TIE_BREAKER = 0.3
CACHE_LIMIT = 50_000


def prefixes(stem: str) -> list[str]:
    """Term-dictionary prefixes that hold every form of `stem`."""
    if len(stem) <= 2:
        return [stem]
    out = [stem[:-1]]
    if stem.endswith("ie"):  # dying → die, lying → lie
        out.append(stem[:-2] + "y")
    return out


def stem(word: str) -> list[str]:
    return ANALYZERS["en"].analyze(word)


class Forms:
    """The forms of stems in one index (one level), read from its term dictionary.

    `cache` outlives the searcher while the index is unchanged: the caller drops it when the index
    moves on (index.py keys it by the watermark).
    """

    def __init__(self, searcher: tantivy.Searcher, schema: tantivy.Schema, cache: dict[Any, Any]) -> None:
        self.searcher, self.schema, self.cache = searcher, schema, cache
        self._n: int | None = None

    def of(self, field: str, stem_: str) -> list[tuple[str, int]]:
        """[(form, document frequency)] of every indexed form of `stem_` in `field`, most frequent first."""
        key = (field, stem_)
        hit = self.cache.get(key)
        if hit is None:
            found: dict[str, int] = {}
            en = ANALYZERS["en"]
            for p in prefixes(stem_):
                for term, df in self.searcher.terms_with_prefix(field, p):
                    if term not in found and en.analyze(unmarked(term)) == [stem_]:  # co-existence too
                        found[term] = df
            hit = sorted(found.items(), key=lambda x: (-x[1], x[0]))
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            self.cache[key] = hit
        return hit

    @property
    def num_docs(self) -> int:
        if self._n is None:
            self._n = max(1, int(self.searcher.num_docs))
        return self._n

    def idf(self, field: str, stem_: str) -> float:
        """The stem's rarity: from the number of entries holding any of its forms, as one stemmed term's."""
        key = (field, stem_, "df")
        df = self.cache.get(key)
        if df is None:
            forms = [f for f, _ in self.of(field, stem_)]
            any_form = tantivy.Query.term_set_query(self.schema, field, forms) if forms else None
            df = self.cache[key] = self.searcher.search(any_form, 1, count=True).count if any_form else 0
        return _idf(df, self.num_docs)

    def term(self, field: str, stem_: str) -> tantivy.Query:
        """Any form of the stem, each scored with the stem's rarity rather than its own."""
        forms = self.of(field, stem_)
        if not forms:
            return tantivy.Query.empty_query()
        if len(forms) == 1:
            return tantivy.Query.term_query(self.schema, field, forms[0][0])
        whole, n = self.idf(field, stem_), self.num_docs
        subs = [
            tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, field, f), whole / _idf(df, n))
            for f, df in forms
        ]
        return tantivy.Query.disjunction_max_query(subs, TIE_BREAKER)

    def phrase(self, field: str, stems: list[str], slop: int) -> tantivy.Query:
        """The words in order (within `slop`), each in any of its forms."""
        per_word = [self.of(field, s) for s in stems]
        if not all(per_word):
            return tantivy.Query.empty_query()
        if all(len(fs) == 1 for fs in per_word):
            return tantivy.Query.phrase_query(self.schema, field, [fs[0][0] for fs in per_word], slop)
        # Forms are letters and digits only (the tokenizer splits on everything else): nothing to escape.
        words = [fs[0][0] if len(fs) == 1 else "(" + "|".join(f for f, _ in fs) + ")" for fs in per_word]
        q = tantivy.Query.regex_phrase_query(self.schema, field, words, slop)
        # tantivy scores a regex phrase with each pattern's rarity taken as a literal term's (found in no
        # entry, so the highest there is): rescale to the rarity of the stems, as a stemmed phrase has.
        n = self.num_docs
        given = sum(_idf(fs[0][1] if len(fs) == 1 else 0, n) for fs in per_word)
        wanted = sum(self.idf(field, s) for s in stems)
        return tantivy.Query.boost_query(q, wanted / given)


def _idf(df: int, n: int) -> float:
    """BM25's inverse document frequency, as tantivy computes it."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))
