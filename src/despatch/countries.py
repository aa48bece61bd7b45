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
# (code, last year the older name applies, older name): the corpus files the USSR under RUS, West
# Germany under DEU and North Yemen under YEM, and a citation must name the state that spoke.
_ERAS = (
    ("RUS", 1991, "Union of Soviet Socialist Republics"),
    ("DEU", 1989, "Federal Republic of Germany"),
    ("YEM", 1989, "Yemen Arab Republic"),
    ("MMR", 1988, "Burma"),
    ("LKA", 1971, "Ceylon"),
    ("BEN", 1975, "Dahomey"),
    ("BFA", 1983, "Upper Volta"),
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
    "CZE": "Czech Republic",
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
    """The state's name for a corpus code in a given year ('RUS', 1953 → 'Union of Soviet Socialist Republics')."""
    code = code.strip().upper()
    if year is not None:
        for c, last, name in _ERAS:
            if c == code and year <= last:
                return name
    return _country(code) or _country(code.rstrip("_")) or code
