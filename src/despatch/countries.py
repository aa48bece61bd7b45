"""Country codes → names as a citation or a title wants them, including states that no longer exist and
the names a state bore in a given year (the UN corpus files the USSR under RUS)."""

from __future__ import annotations

from functools import lru_cache

# Codes the UN General Debate Corpus uses for states that no longer exist, or under a later code.
_HISTORIC = {
    "CSK": "Czechoslovakia",
    "DDR": "German Democratic Republic",
    "YMD": "People's Democratic Republic of Yemen",
    "YUG": "Yugoslavia",
    "SUN": "Union of Soviet Socialist Republics",
    "EU": "European Union",
    "EU_": "European Union",
}
# (code, first year, last year, the state's name in those years): the name a speech, a title or a citation
# must give for that year. The UN corpus files the USSR under RUS, West Germany under DEU, North Yemen under
# YEM; a state renamed keeps its code. Years are General Debate sessions (September–December): a change made
# before the autumn counts from that year (Belarus, 19 September 1991: the 1991 debate says Belarus).
_ERAS = (
    ("RUS", 1946, 1991, "Union of Soviet Socialist Republics"),
    ("BLR", 1946, 1990, "Byelorussian Soviet Socialist Republic"),
    ("UKR", 1946, 1990, "Ukrainian Soviet Socialist Republic"),
    ("DEU", 1949, 1989, "Federal Republic of Germany"),
    ("YEM", 1962, 1989, "Yemen Arab Republic"),
    ("YEM", 1947, 1961, "Yemen"),
    ("YMD", 1967, 1969, "Southern Yemen"),
    ("YMD", 1970, 1989, "Democratic Yemen"),
    ("MYS", 1957, 1962, "Federation of Malaya"),
    ("TUR", 1923, 2021, "Turkey"),
    ("EGY", 1958, 1970, "United Arab Republic"),
    ("MMR", 1948, 1988, "Burma"),
    ("LKA", 1948, 1971, "Ceylon"),
    ("BEN", 1960, 1975, "Dahomey"),
    ("BFA", 1960, 1983, "Upper Volta"),
    ("THA", 1900, 1948, "Siam"),
    ("KHM", 1970, 1974, "Khmer Republic"),
    ("KHM", 1975, 1989, "Democratic Kampuchea"),
    ("COD", 1960, 1965, "Congo (Leopoldville)"),
    ("COD", 1971, 1996, "Zaire"),
    ("COG", 1960, 1970, "Congo (Brazzaville)"),
    ("ZAF", 1910, 1960, "Union of South Africa"),
    ("CIV", 1960, 1985, "Ivory Coast"),
    ("MDG", 1958, 1975, "Malagasy Republic"),
    ("CAF", 1976, 1979, "Central African Empire"),
    ("LBY", 1969, 1976, "Libyan Arab Republic"),
    ("LBY", 1977, 2010, "Libyan Arab Jamahiriya"),
    ("SWZ", 1968, 2017, "Swaziland"),
    ("MKD", 1993, 2018, "The former Yugoslav Republic of Macedonia"),
    ("CPV", 1975, 2012, "Cape Verde"),
    ("WSM", 1976, 1997, "Western Samoa"),
    ("TZA", 1961, 1963, "Tanganyika"),
    ("CZE", 1993, 2015, "Czech Republic"),
    ("YUG", 2003, 2005, "Serbia and Montenegro"),
)
# pycountry's names where a citation wants the name the UN uses.
_SHORT = {
    "USA": "United States of America",
    "GBR": "United Kingdom",
    "RUS": "Russian Federation",
    "KOR": "Republic of Korea",
    "PRK": "Democratic People's Republic of Korea",
    "IRN": "Iran",
    "SYR": "Syria",
    "VEN": "Venezuela",
    "BOL": "Bolivia",
    "TZA": "Tanzania",
    "LAO": "Laos",
    "MDA": "Moldova",
    "VNM": "Viet Nam",
    "PSE": "Palestine",
    "VAT": "Holy See",
    "FSM": "Micronesia",
    "CIV": "Côte d'Ivoire",
    "CZE": "Czechia",
    "TUR": "Türkiye",
    "NLD": "Netherlands",
    "MKD": "North Macedonia",
    "COD": "Democratic Republic of the Congo",
    "COG": "Congo",
}


@lru_cache(maxsize=1024)
def _country(code: str) -> str | None:
    if code in _HISTORIC:
        return _HISTORIC[code]
    if code in _SHORT:
        return _SHORT[code]
    try:
        import pycountry
    except ModuleNotFoundError:
        return None
    c = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if c is not None:
        return getattr(c, "common_name", None) or c.name
    h = pycountry.historic_countries.get(alpha_3=code) if len(code) == 3 else None
    return h.name.split(",")[0] if h else None


def country_name(code: str, year: int | None = None) -> str:
    """The state's name for a corpus code in a given year ('RUS', 1953 → 'Union of Soviet Socialist Republics');
    without a year, today's name (the value a facet groups a state's speeches under across renamings)."""
    code = code.strip().upper()
    if year is not None:
        for c, first, last, name in _ERAS:
            if c == code and first <= year <= last:
                return name
    return _country(code) or _country(code.rstrip("_")) or code
