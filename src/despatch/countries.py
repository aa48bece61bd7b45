"""Country codes → names, including states that no longer exist (the UN corpus has CSK, DDR, YMD, YUG)."""

from __future__ import annotations

from functools import lru_cache

HISTORIC = {
    "CSK": "Czechoslovakia",
    "DDR": "German Democratic Republic",
    "YMD": "Democratic Yemen",
    "YUG": "Yugoslavia",
    "SUN": "Union of Soviet Socialist Republics",
    "EU": "European Union",
}


@lru_cache(maxsize=1024)
def country_name(code: str) -> str | None:
    """A readable name for an ISO 3166-1 alpha-3 (or historic) code; None if unknown."""
    code = code.upper().strip("_")
    if code in HISTORIC:
        return HISTORIC[code]
    try:
        import pycountry
    except ModuleNotFoundError:
        return None
    c = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if c is None:
        h = pycountry.historic_countries.get(alpha_3=code) if len(code) == 3 else None
        return h.name if h else None
    return getattr(c, "common_name", None) or c.name
