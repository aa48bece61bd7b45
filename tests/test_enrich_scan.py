"""enrich/scan.py: a pattern scanned without its leading lookbehind finds exactly what the pattern with
it finds, for every pattern the annotators scan that way."""

from __future__ import annotations

import random
import re

import pytest

from despatch.enrich import amounts, dates
from despatch.enrich.scan import Scan

SCANS = {f"{mod.__name__.rsplit('.', 1)[-1]}.{name}": obj for mod in (dates, amounts)
         for name, obj in vars(mod).items() if isinstance(obj, Scan)}
PIECES = ["1953", "12000", "31", "7/31/1953", "31.7.53", "1953-09-03", "1946-1960", "1950s", "$5 million",
          "£3", "September", "Sept.", "3 September 1953", "July 31, 1953", "the 22d instant", "in", "of",
          "a", "x", "-", "/", ".", ",", " ", " ", "\n", "€", "$", "per cent", "tons", "(", ")", "é"]


def _texts() -> list[str]:
    rnd = random.Random(1953)
    fixed = ["1953", "a1953", "x-1953 and 1953", "12000 in 1953-1954", "£1953", "$5 million and US$5",
             "On 3 September 1953, in September 1953 (9/3/1953): 31.7.53", "the 22d instant, The 3d ultimo"]
    return fixed + ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 40))) for _ in range(3000)]


def test_the_annotators_scan_some_patterns():
    assert {"dates.YEAR_RX", "dates.MY_RX", "amounts.SYM_RX"} <= SCANS.keys()


@pytest.mark.parametrize("name", sorted(SCANS))
def test_same_matches_as_the_lookbehind(name):
    scan = SCANS[name]
    plain = re.compile(scan.pattern, scan.rx.flags)
    for text in _texts():
        assert [m.span() for m in scan.finditer(text)] == [m.span() for m in plain.finditer(text)], text
