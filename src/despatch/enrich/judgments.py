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

from ..model import Annotation, Document

# (pattern, probability, hedged): first match at a position wins, so longer cues come first.
CUES: list[tuple[str, float, bool]] = [
    (r"there is (?:currently |at present |as yet |still )?no reason to (?:believe|think|suppose|expect|assume|fear)", 0.3, False),
    (r"little reason to (?:believe|think|suppose|expect)", 0.3, False),
    (r"almost certainly not|virtually impossible|almost no chance|little or no chance|remote (?:chance|possibility)|"
     r"hardly conceivable|most improbable", 0.05, False),
    (r"(?:very|highly|most|extremely) (?:unlikely|improbable|doubtful)", 0.12, False),
    (r"probably not|unlikely|improbable|(?:it is|is|seems|remains) doubtful|not (?:very )?(?:likely|probable)", 0.3, False),
    (r"one thing is certain|it is (?:quite |absolutely )?certain(?: that)?|is certain to|will certainly|(?:it is )?inevitable|inevitably", 1.0, False),
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
CUE_RX = [(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I), prob, hedged) for p, prob, hedged in CUES]
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


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: ends at . ! ? before a capital or a line end, not after an abbreviation or initial."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
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


class JudgmentAnnotator:
    name = "judgments"
    version = "1"

    def __call__(self, doc: Document) -> list[Annotation]:
        text = doc.text
        out: list[Annotation] = []
        for s, e in sentences(text):
            sent = text[s:e]
            if len(sent) < 12:
                continue
            u = UNCERTAIN_RX.search(sent)
            cues = self._cues(sent)
            if u and (not cues or u.start() <= cues[0][0]):
                out.append(Annotation("uncertainty", s, e, sent, {
                    "cue": u.group(), "cue_start": s + u.start(), "cue_end": s + u.end()}))
                continue
            if not cues:
                continue
            cs, ce, prob, hedged, negated = cues[0]
            cue = sent[cs:ce]
            if negated and prob >= 0.95 and re.search(r"certain", cue, re.I):
                out.append(Annotation("uncertainty", s, e, sent, {
                    "cue": sent[max(0, cs - 4):ce].strip(), "cue_start": s + cs, "cue_end": s + ce}))
                continue
            polarity = "negative" if negated or prob < 0.5 else "positive"
            p = round(1 - prob, 2) if negated else prob
            if negated and prob == 0.42:
                p = 0.42
            after = sent[ce:]
            mt = re.match(r"[\s,]*(?:that\b)?", after)
            scope_start = s + ce + (mt.end() if mt and "that" in mt.group() else 0)
            value = {"cue": cue,
                     "cue_start": s + cs, "cue_end": s + ce, "probability": p, **bands(p),
                     "polarity": polarity, "hedged": hedged, "negated": negated,
                     "scope_start": scope_start if scope_start > s + ce else s, "scope_end": e}
            if len(cues) > 1:
                value["other_cues"] = [sent[a:b] for a, b, *_ in cues[1:]]
            out.append(Annotation("judgment", s, e, sent, value))
        return out

    @staticmethod
    def _cues(sent: str) -> list[tuple[int, int, float, bool, bool]]:
        found: list[tuple[int, int, float, bool, bool]] = []
        for rx, prob, hedged in CUE_RX:
            for m in rx.finditer(sent):
                if any(m.start() < b and a < m.end() for a, b, *_ in found):
                    continue
                if m.group().lower() in ("likely", "probable") and re.search(r"\b(?:un|im)$|\bmost\s$", sent[:m.start()]):
                    continue
                negated = bool(NEG_RX.search(sent[max(0, m.start() - 20):m.start()])) and prob >= 0.42 and \
                    not m.group().lower().startswith(("not ", "no ", "there"))
                found.append((m.start(), m.end(), prob, hedged, negated))
        found.sort()
        return found
