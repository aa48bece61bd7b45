"""Estimative judgments and statements of uncertainty, banded on the Kent (1964), ICD 203 and PHIA scales.

A sentence with a likelihood cue ("probably", "it seems likely", "without doubt", "almost certainly
not", "there is reason to believe") becomes a `judgment` annotation over the sentence, with the cue,
its probability and its band on the three scales (see ../shared/reference/estimative-language.md).
A sentence that says the writer cannot tell ("it is impossible to say", "it remains to be seen")
becomes `uncertainty` instead: it states no probability. Negation is read: "there is no reason to
believe that X" is a judgment that X is unlikely (polarity negative), "not likely" is unlikely, "not
certain" is uncertainty. The proposition judged (the clause after "that", or the sentence) is the
judgment's scope.
"""

from __future__ import annotations

import re

import ahocorasick

from ..model import Annotation, Document

# (pattern, probability, hedged): first match at a position wins, so longer cues come first.
CUES: list[tuple[str, float, bool]] = [
    (r"there is (?:currently |at present |as yet |still )?no reason to "
     r"(?:believe|think|suppose|expect|assume|fear)", 0.3, False),
    (r"little reason to (?:believe|think|suppose|expect)", 0.3, False),
    (r"almost certainly not|virtually impossible|almost no chance|little or no chance|remote (?:chance|possibility)|"
     r"hardly conceivable|most improbable", 0.05, False),
    (r"(?:very|highly|most|extremely) (?:unlikely|improbable|doubtful)", 0.12, False),
    (r"probably not|unlikely|improbable|(?:it is|is|seems|remains) doubtful|"
     r"not (?:very )?(?:likely|probable)", 0.3, False),
    (r"one thing is certain|it is (?:quite |absolutely )?certain(?: that)?|is certain to|will certainly|"
     r"(?:it is )?inevitable|inevitably", 1.0, False),
    (r"almost certain(?:ly)?|virtually certain(?:ly)?|nearly certain(?:ly)?|without (?:a |any )?doubt|"
     r"there (?:is|can be) (?:no|little) doubt|no doubt|undoubtedly|doubtless|beyond (?:any |all )?doubt|"
     r"unquestionably|we are (?:convinced|confident)", 0.95, False),
    (r"(?:very|highly) (?:likely|probable|probably)|in all (?:probability|likelihood)|"
     r"there is every reason to (?:believe|think|expect|suppose)|we (?:firmly )?believe", 0.87, False),
    (r"(?:seems|appears|seem|appear) (?:very )?(?:likely|probable)|it would seem|it seems probable", 0.65, True),
    (r"there (?:is|are) (?:good |strong |some |every )?(?:reason|grounds) to (?:believe|think|suppose|expect|assume)|"
     r"probably|probable|likely|presumably|(?:it is|are|is) expected|we estimate|in all likelihood", 0.72, False),
    (r"(?:chances|odds) (?:are )?about even|even chance|fifty-fifty|as likely as not|toss-up", 0.5, False),
    (r"realistic possibility|cannot be (?:ruled out|excluded)|not impossible|may well|might well|"
     r"it is (?:quite )?possible|possibly|perhaps|conceivably", 0.42, True),
]
NEG_RX = re.compile(r"(?:\bnot|n't|\bnever|\bhardly|\bscarcely)\s+(?:\w+\s+){0,1}$", re.I)
UNCERTAIN_RX = re.compile(
    r"(?<!\w)(?:(?:impossible|difficult|hard|too (?:early|soon)|premature|not possible)\b[^.;:?!]{0,70}?\bto "
    r"(?:say|attribute|tell|know|predict|determine|foresee|assess|estimate|judge|state|forecast|ascertain|"
    r"establish|gauge|evaluate|decide|draw)"
    r"|it is (?:not (?:yet )?(?:clear|known|certain)|unclear|uncertain|unknown)"
    r"|(?:remains|remain) to be seen|(?:cannot|can not|can't) (?:yet )?(?:be )?(?:said|foreseen|predicted|known|"
    r"determined|say|tell|know|predict|foresee)|there is no way of (?:knowing|telling)|no one (?:can|could) "
    r"(?:say|tell|know|predict|foresee)|we do not know|(?:is|are) not sure|open question)",
    re.I,
)
# Words every cue or uncertainty pattern contains: lines without one are skipped unread. Found with one
# Aho–Corasick pass over the lower-cased text (a case-insensitive regex alternation is ten times slower).
KEYWORDS = ("probab", "likel", "certain", "doubt", "reason", "grounds", "expect", "estimate", "believe", "presumabl",
            "possib", "perhaps", "conceiv", "even", "fifty", "toss-up", "impossib", "inevitab", "convinced",
            "confident", "unclear", "not clear", "not known", "unknown", "to be seen", "cannot", "can not", "can't",
            "no way", "no one", "do not know", "not sure", "open question", "difficult", "hard", "too early",
            "too soon", "premature", "may well", "might well", "would seem", "ruled out", "excluded", "remote",
            "most improbable", "would seem")
_KEYS = ahocorasick.Automaton()
for _k in KEYWORDS:
    _KEYS.add_word(_k, len(_k))
_KEYS.make_automaton()
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|Gen|Col|Capt|Lt|Adm|Sen|Rep|Gov|Hon|Rev|Prof|M|MM|Mme|vs|cf|"
                     r"etc|viz|i\.e|e\.g|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|p|pp|Art|art)|\b[A-Z])\.$")


def bands(p: float) -> dict[str, str]:
    """A probability's band on each of the three published scales."""
    if p >= 0.995:
        kent = "certain"
    elif p >= 0.87:
        kent = "almost certain"
    elif p >= 0.63:
        kent = "probable"
    elif p >= 0.40:
        kent = "chances about even"
    elif p >= 0.13:
        kent = "probably not"
    elif p > 0.005:
        kent = "almost certainly not"
    else:
        kent = "impossible"
    icd = ("almost certain" if p >= 0.95 else "very likely" if p >= 0.80 else "likely" if p >= 0.55
           else "roughly even chance" if p >= 0.45 else "unlikely" if p >= 0.20 else "very unlikely" if p >= 0.05
           else "almost no chance")
    phia = ("almost certain" if p >= 0.95 else "highly likely" if p >= 0.80 else "likely" if p >= 0.55
            else "realistic possibility" if p >= 0.40 else "unlikely" if p >= 0.25 else "highly unlikely"
            if p >= 0.10 else "remote chance")
    return {"kent": kent, "icd203": icd, "phia": phia}


def sentences(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentence spans: ends at . ! ? before a capital or a line end, not after an abbreviation or initial."""
    out = []
    if paragraphs is None:
        paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for para in (_Para(text, a, b) for a, b in paragraphs):
        s = para.start()
        ptext = para.group()
        for m in re.finditer(r"[.!?][\"'’”)]*(?=\s+[\"'‘“(]?[A-Z0-9])", ptext):
            end = para.start() + m.end()
            if _ABBREV.search(ptext[max(0, m.start() - 6):m.start() + 1]):
                continue
            if text[s:end].strip():
                out.append((s, end))
            s = end
            while s < para.end() and text[s] == " ":
                s += 1
        if s < para.end():
            out.append((s, para.end()))
    return out


class _Para:
    __slots__ = ("_text", "_start", "_end")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text[self._start:self._end]


def _cue_paragraphs(text: str) -> list[tuple[int, int]]:
    """The lines that contain a cue word at all."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: offsets would drift
        low = "".join(c.lower()[0] if c.lower() else c for c in text)
    out: list[tuple[int, int]] = []
    for end, n in _KEYS.iter(low):
        start = end - n + 1
        if out and out[-1][0] <= start < out[-1][1]:
            continue
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", end)
        out.append((a, len(text) if b < 0 else b))
    return out


class JudgmentAnnotator:
    name = "judgments"
    version = "1"

    def __call__(self, doc: Document) -> list[Annotation]:
        text = doc.text
        out: list[Annotation] = []
        for pa, pb in _cue_paragraphs(text):
            para = text[pa:pb]
            cues = _cues(para)
            unc = [(m.start(), m.end()) for m in UNCERTAIN_RX.finditer(para)]
            if not cues and not unc:
                continue
            for s, e in sentences(text, [(pa, pb)]):
                rs, re_ = s - pa, e - pa
                sent = text[s:e]
                if len(sent) < 12:
                    continue
                sc = [c for c in cues if rs <= c[0] and c[1] <= re_]
                su = [u for u in unc if rs <= u[0] and u[1] <= re_]
                ann = self._judge(sent, s, e, [(a - rs, b - rs, *rest) for a, b, *rest in sc],
                                  [(a - rs, b - rs) for a, b in su])
                if ann:
                    out.append(ann)
        return out

    @staticmethod
    def _judge(sent: str, s: int, e: int, cues: list, unc: list) -> Annotation | None:
        if unc and (not cues or unc[0][0] <= cues[0][0]):
            us, ue = unc[0]
            return Annotation("uncertainty", s, e, sent, {"cue": sent[us:ue], "cue_start": s + us, "cue_end": s + ue})
        if not cues:
            return None
        cs, ce, prob, hedged, negated = cues[0]
        cue = sent[cs:ce]
        if negated and prob >= 0.95 and re.search(r"certain", cue, re.I):
            return Annotation("uncertainty", s, e, sent, {
                "cue": sent[max(0, cs - 4):ce].strip(), "cue_start": s + cs, "cue_end": s + ce})
        polarity = "negative" if negated or prob < 0.5 else "positive"
        p = prob if not negated or prob == 0.42 else round(1 - prob, 2)
        mt = re.match(r"[\s,]*that\b", sent[ce:])
        value = {"cue": cue, "cue_start": s + cs, "cue_end": s + ce, "probability": p, **bands(p),
                 "polarity": polarity, "hedged": hedged, "negated": negated,
                 "scope_start": s + ce + mt.end() if mt else s, "scope_end": e}
        if len(cues) > 1:
            value["other_cues"] = [sent[a:b] for a, b, *_ in cues[1:]]
        return Annotation("judgment", s, e, sent, value)


# One alternation of every cue, matched on the lower-cased paragraph (the patterns are lower case).
# The lookbehind stands once, before the alternation: once in each alternative, every character of the
# text paid for it once per cue pattern.
_ALL_RX = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<c{i}>(?:{p})(?![\\w-]))" for i, (p, _, _) in enumerate(CUES))
                     + ")")


def _cues(para: str) -> list[tuple[int, int, float, bool, bool]]:
    """Cue matches in a paragraph: (start, end, probability, hedged, negated), in text order."""
    found = []
    low = para.lower()
    if len(low) != len(para):
        low = "".join(c.lower()[0] if c.lower() else c for c in para)
    for m in _ALL_RX.finditer(low):
        i = int(m.lastgroup[1:])
        _, prob, hedged = CUES[i]
        g = m.group()
        if g in ("likely", "probable") and re.search(r"\b(?:un|im)$|\bmost\s$", para[:m.start()]):
            continue
        negated = prob >= 0.42 and not g.lower().startswith(("not ", "no ", "there")) and \
            bool(NEG_RX.search(para[max(0, m.start() - 20):m.start()]))
        found.append((m.start(), m.end(), prob, hedged, negated))
    return found
