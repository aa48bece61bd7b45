"""The UN General Debate Corpus's table of speakers (`Speakers_by_session.xlsx`): who spoke for which state
in which session, and in what post.

One reader of that table serves both the plain-text reader (speaker and post of each speech, joined by
session and country code) and the entity layer (the table as an authority for people). The table as
distributed has two empty extra sheets, names sometimes in capitals ("Mr. GROMYKO "), the same speaker
twice for one session, and codes (YDYE, CZK) where the speech files say YMD, CSK: rows are cleaned here, once.

    table = SpeakerTable.load(path)            # or load_speaker_table(path), cached
    table.speakers("RUS", session=8)           # [Speaker(year=1953, session=8, code='RUS', name='Mr. Vyshinsky', ...)]
    find_speaker_table(Path("…/ungdc/sessions/1953/RUS_08_1953.txt"))   # the table beside the corpus, if any
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import ReaderError

TABLE_NAME = "Speakers_by_session.xlsx"
#: The table's codes where the speech files use another one.
CODE_ALIASES = {"YDYE": "YMD", "CZK": "CSK"}
_HEADERS = {
    "year": "year",
    "session": "session",
    "iso code": "code",
    "country": "country",
    "name of person speaking": "name",
    "post": "post",
}


class SpeakerTableError(ReaderError, ValueError):
    """The file is not a speakers table we can read (missing columns, not an xlsx)."""


@dataclass(frozen=True)
class Speaker:
    """One row: `country` is the state's name as the table prints it (its own spelling, typos included)."""

    year: int
    session: int
    code: str
    country: str | None
    name: str
    post: str | None

    @property
    def surname(self) -> str:
        """The last word of the name without its honorific, for matching ("Mr. Vyshinsky" → "vyshinsky")."""
        words = [w for w in self.name.replace(".", ". ").split() if not w.endswith(".")]
        return (words[-1] if words else self.name).lower()

    @property
    def key(self) -> str:
        """A stable id for the authority: `ungdc-speaker:RUS:8:vyshinsky`."""
        return f"ungdc-speaker:{self.code}:{self.session}:{self.surname}"


def _clean(v: object) -> str | None:
    if v is None:
        return None
    s = " ".join(str(v).split())
    return s or None


def _display_name(name: str) -> str:
    """'Mr. GROMYKO' → 'Mr. Gromyko' (a name in capitals only; 'U Thant' and 'McNeil' are kept)."""
    words = name.split()
    if any(len(w) > 2 and w.isupper() for w in words):
        return " ".join(w.capitalize() if len(w) > 2 and w.isupper() else w for w in words)
    return name


def _int(v: object) -> int | None:
    try:
        return int(float(str(v).strip()))
    except (TypeError, ValueError):
        return None


class SpeakerTable:
    """Rows by (code, session); duplicates of the same person in one session are kept once."""

    def __init__(self, rows: Iterable[Speaker], path: Path | None = None) -> None:
        self.path = path
        self._rows: list[Speaker] = []
        self._by: dict[tuple[str, int], list[Speaker]] = {}
        for r in rows:
            same = self._by.setdefault((r.code, r.session), [])
            if any(s.surname == r.surname for s in same):
                continue
            same.append(r)
            self._rows.append(r)

    @classmethod
    def load(cls, path: str | Path) -> SpeakerTable:
        """Read the first sheet whose header names Year, Session, ISO Code and Name of Person Speaking."""
        path = Path(path)
        try:
            import openpyxl
        except ModuleNotFoundError as e:  # a core dependency; only a broken install gets here
            raise SpeakerTableError(f"{path.name}: openpyxl is needed to read the speakers table") from e
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises zipfile, KeyError and its own errors for non-xlsx input
            raise SpeakerTableError(f"{path.name}: not an xlsx workbook ({e.__class__.__name__})") from e
        try:
            for ws in wb.worksheets:
                rows = ws.iter_rows(values_only=True)
                header = next(rows, None)
                if not header:
                    continue
                cols = {_HEADERS[h]: i for i, h in enumerate(_clean(c).lower() if _clean(c) else "" for c in header)
                        if h in _HEADERS}
                if not {"year", "session", "code", "name"} <= cols.keys():
                    continue
                return cls(_rows(rows, cols), path)
        finally:
            wb.close()
        raise SpeakerTableError(f"{path.name}: no sheet with Year, Session, ISO Code and Name of Person Speaking")

    def __iter__(self) -> Iterator[Speaker]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def speakers(self, code: str, session: int | None = None, year: int | None = None) -> list[Speaker]:
        """Who spoke for `code` in a session (or in a year's session); several where the table names several."""
        code = CODE_ALIASES.get(code.upper(), code.upper())
        if session is not None:
            return list(self._by.get((code, int(session)), []))
        return [r for r in self._rows if r.code == code and (year is None or r.year == year)]

    def speaker_for(self, code: str, session: int | None, year: int | None = None,
                    said: str | None = None) -> tuple[Speaker | None, list[Speaker]]:
        """(the speaker, all candidates): one candidate is the speaker; among several, the one whose surname
        the speech's own opening line gives (`said`); otherwise none, and the candidates stay apart."""
        cands = self.speakers(code, session, year)
        if len(cands) == 1:
            return cands[0], cands
        if said:
            low = said.lower()
            hit = [c for c in cands if c.surname and c.surname in low]
            if len(hit) == 1:
                return hit[0], cands
        return None, cands


def _rows(rows: Iterable[tuple], cols: dict[str, int]) -> Iterator[Speaker]:
    def get(row: tuple, k: str) -> object:
        i = cols.get(k)
        return row[i] if i is not None and i < len(row) else None

    for row in rows:
        year, session, code, name = _int(get(row, "year")), _int(get(row, "session")), _clean(get(row, "code")), \
            _clean(get(row, "name"))
        if year is None or session is None or not code or not name:
            continue
        code = code.upper()
        yield Speaker(year, session, CODE_ALIASES.get(code, code), _clean(get(row, "country")),
                      _display_name(name), _clean(get(row, "post")))


@lru_cache(maxsize=4)
def load_speaker_table(path: str) -> SpeakerTable:
    """`SpeakerTable.load`, once per process and path (every speech of an ingest asks for it)."""
    return SpeakerTable.load(path)


def find_speaker_table(path: str | Path, levels: int = 4) -> Path | None:
    """The speakers table shipped beside the corpus: in the file's folder or up to `levels` folders above.

    A member of an archive (`…/ungdc-1946-2024.tar.xz!TXT/Session 08 - 1953/RUS_08_1953.txt`) looks beside
    the archive file.
    """
    p = Path(str(path).split("!", 1)[0])
    d = p if p.is_dir() else p.parent
    for _ in range(levels + 1):
        cand = d / TABLE_NAME
        if cand.is_file():
            return cand
        if d.parent == d:
            break
        d = d.parent
    return None
