"""Amounts of money and quantities, with a normalised number and a currency (ISO 4217) or unit.

"110 200 million roubles" is 110200000000 RUB (a space as thousands separator), "$2.5 billion" is
2500000000 USD, "500 locomotives" is 500 of the unit "locomotives", "10,000 twenty-ton cars" 10000 of
"twenty-ton cars", "6 per cent" 6 percent. Currencies with no ISO code (taels, Reichsmarks) keep their
name in `currency_name` and a null `currency`.
"""

from __future__ import annotations

import re

from ..model import Annotation, Document
from .scan import Scan

SCALES = {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9, "milliard": 1e9,
          "milliards": 1e9, "trillion": 1e12, "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3, "crore": 1e7, "lakh": 1e5,
          "lakhs": 1e5, "crores": 1e7}
SYMBOLS = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₽": "RUB", "Fr.": "FRF", "DM": "DEM",
           "Rs.": "INR", "Rs": "INR"}
# Currency words → ISO 4217 (historical codes where the currency is gone); None: no code, name kept.
CURRENCIES = {
    "dollar": "USD", "dollars": "USD", "U.S. dollars": "USD", "US dollars": "USD", "gold dollars": "USD",
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "pound sterling": "GBP", "pounds sterling": "GBP", "sterling": "GBP",
    "franc": "FRF", "francs": "FRF", "French francs": "FRF", "Belgian francs": "BEF", "Swiss francs": "CHF",
    "gold francs": None,
    "mark": "DEM", "marks": "DEM", "Deutsche Mark": "DEM", "Deutsche Marks": "DEM", "deutschmarks": "DEM",
    "Reichsmark": None, "Reichsmarks": None, "reichsmarks": None,
    "lira": "ITL", "lire": "ITL", "yen": "JPY", "peseta": "ESP", "pesetas": "ESP", "guilder": "NLG",
    "guilders": "NLG", "florins": "NLG", "kronor": "SEK", "kroner": "NOK", "krone": "DKK", "crowns": None,
    "rupee": "INR", "rupees": "INR", "yuan": "CNY", "euro": "EUR", "euros": "EUR", "drachma": "GRD",
    "drachmas": "GRD", "drachmae": "GRD", "escudo": "PTE", "escudos": "PTE", "zloty": "PLN", "zlotys": "PLN",
    "dinar": None, "dinars": None, "pesos": None, "peso": None, "taels": None, "tael": None,
    "piastres": None, "piasters": None, "shillings": None, "schillings": "ATS", "forints": "HUF", "lei": "ROL",
    "leva": "BGL", "koruna": "CSK", "korunas": "CSK", "bolivars": None, "sucres": "ECS", "soles": None,
    "cruzeiros": None, "milreis": None, "lempiras": "HNL", "cordobas": "NIO", "córdobas": "NIO", "quetzals": "GTQ",
    "colones": None, "balboas": "PAB", "gourdes": "HTG", "rials": None, "riyals": None, "dirhams": None,
}
_NUM = r"\d{1,3}(?:(?:[,\u00a0\u202f\u2009]| (?=\d{3}\b))\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"thousand|millions?|billions?|milliards?|trillion|bn|mn|crores?|lakhs?"
_CUR = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))
_SYM = r"US\$|\$|£|€|¥|₽|DM|Rs\.?"
WORD_NUMS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
             "hundred": 100, "a hundred": 100, "a thousand": 1000, "a million": 1e6, "a billion": 1e9}

SYM_RX = Scan(r"[\w$£€¥]", rf"(?P<sym>{_SYM})\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE})\b)?")
CUR_RX = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})(?:\s(?P<scale>{_SCALE}))?(?:\sof)?\s(?P<cur>{_CUR})(?!\w)")
PCT_RX = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s?(?:%|per\s?cent\b|percent\b)")
QTY_RX = re.compile(
    rf"(?<![\w.,/:$£€-])(?P<num>{_NUM})(?:\s(?P<scale>{_SCALE}))?\s(?P<unit>(?:[a-z]+-[a-z]+\s)?"
    r"(?:(?:metric|long|short|gross|net|square|cubic|nautical|armed|heavy|light|medium|new|old|modern|naval|"
    r"regular|additional|fighter|bomber|jet|atomic|first-line|front-line)\s)?[a-z]{3,}s)\b(?!\s(?:of\s)?(?:January|February|March|April|May|June|July|August|September|October|November|December))"
)
NOT_UNITS = {"years", "months", "days", "weeks", "hours", "minutes", "seconds", "times", "others", "was", "has",
             "its", "is", "as", "thus", "this", "pages", "paragraphs", "articles", "sections", "states", "members",
             "delegations", "votes", "ones", "yes", "chapters", "nos", "series", "decades", "centuries"}


def parse_number(s: str) -> float:
    """'110 200' → 110200, '10,000' → 10000, '2.5' → 2.5."""
    return float(re.sub(r"[,\s\u00a0\u202f\u2009]", "", s))


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 6)


class AmountAnnotator:
    name = "amounts"
    version = "1"

    def __call__(self, doc: Document) -> list[Annotation]:
        text = doc.text
        out: list[Annotation] = []
        taken: list[tuple[int, int]] = []

        def add(s: int, e: int, value: dict) -> None:
            if any(s < b and a < e for a, b in taken):
                return
            taken.append((s, e))
            out.append(Annotation("amount", s, e, text[s:e], value))

        for m in SYM_RX.finditer(text):
            v = parse_number(m["num"]) * SCALES.get((m["scale"] or "").lower(), 1)
            cur = SYMBOLS.get(m["sym"].rstrip("."), SYMBOLS.get(m["sym"]))
            add(m.start(), m.end(), {"value": _num(v), "currency": cur})
        for m in CUR_RX.finditer(text):
            v = parse_number(m["num"]) * SCALES.get((m["scale"] or "").lower(), 1)
            cur = m["cur"]
            code = CURRENCIES.get(cur, CURRENCIES.get(cur.lower()))
            val = {"value": _num(v), "currency": code}
            if code is None:
                val["currency_name"] = cur
            add(m.start(), m.end(), val)
        for m in PCT_RX.finditer(text):
            add(m.start(), m.end(), {"value": _num(parse_number(m["num"])), "unit": "percent"})
        for m in QTY_RX.finditer(text):
            unit = m["unit"]
            if unit.split()[-1] in NOT_UNITS:
                continue
            n = m["num"]
            if re.fullmatch(r"1[5-9]\d\d|20\d\d", n) and not m["scale"]:
                continue  # "in 1953 tons were..." is a year more often than a count
            v = parse_number(n) * SCALES.get((m["scale"] or "").lower(), 1)
            add(m.start(), m.end(), {"value": _num(v), "unit": unit})
        out.sort(key=lambda a: a.start)
        return out
