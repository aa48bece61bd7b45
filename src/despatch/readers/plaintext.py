"""Plain text: any encoding we can identify, numbered paragraphs as structure, fields from file names.

The UN General Debate files (`USA_08_1953.txt`) are the model: `--name-pattern "{country}_{session}_{year}"`
turns the name into metadata, `year` into a year-precise date, and an opening "Mr. DULLES (United States
of America):" into the speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..countries import country_name
from ..dates import parse_written_date, year_date
from ..decode import decode_text, looks_like_text
from ..langid import guess_language
from ..model import Document
from ..plausibility import check_session_year
from ..textbuild import TextBuilder
from ..un_speakers import TABLE_NAME, SpeakerTableError, find_speaker_table, load_speaker_table
from .base import ReadContext, ReaderError
from .blocks import blocks, ends_sentence, numbered_paragraph

_SPEAKER = re.compile(
    r"^(?P<speaker>(?:(?:Mr|Mrs|Ms|Miss|Mme|Mlle|Dr|Sir|Lady|Prince|Princess|King|Queen|Sheikh|Shaikh|Emir|General|"
    r"President|Marshal|Field Marshal|Baron|Count|Dame|Lord|Archbishop|Monsignor|U)\.?\s+)+"
    r"[A-Z][A-Za-zÀ-ÿ'’.\- ]{1,80}?)\s*\((?P<country>[^()]{2,80})\)\s*(?:\([^()]{1,80}\)\s*)?:\s*"
)
_HEADING_MAX = 100


class PlainTextReader:
    name = "text"

    def sniff(self, head: bytes, path: Path) -> float:
        if not looks_like_text(head):
            return 0.0
        return 0.3 if path.suffix.lower() in (".txt", ".text", "") else 0.2

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Document]:
        text, encoding = decode_text(data)
        if not text.strip():
            raise ReaderError("no text in the file (only whitespace)")
        fields = ctx.name_fields()
        if ctx.name_pattern and not fields:
            raise ReaderError(f"file name {ctx.path.name!r} does not match --name-pattern {ctx.name_pattern!r}")
        parts = blocks(text)
        tb = TextBuilder()
        metadata: dict[str, object] = {"encoding": encoding, **fields}
        for i, part in enumerate(parts):
            number, body = numbered_paragraph(part)
            if i == 0 or (number == "1" and "speaker" not in metadata):
                m = _SPEAKER.match(body)
                if m:
                    metadata["speaker"] = " ".join(m["speaker"].split())
                    metadata["speaker_country"] = m["country"].strip()
            is_heading = (
                number is None
                and len(part) <= _HEADING_MAX
                and i + 1 < len(parts)
                and not ends_sentence(part)
                and part[:1].isupper()
                and "\t" not in part
            )
            if is_heading:
                tb.block("heading", body, level=1)
            else:
                tb.block("paragraph", body, number=number)
        doc_text = tb.finish()
        if "country" in fields and isinstance(fields["country"], str):
            year = fields.get("year") if isinstance(fields.get("year"), int) else None
            name = country_name(fields["country"], year)  # the state's name that year (RUS 1953: USSR)
            if name != fields["country"]:
                metadata["country_name"] = name
            modern = country_name(fields["country"])  # today's name: one facet value across renamings
            if modern != fields["country"]:
                metadata["country_modern"] = modern
            _join_speakers(ctx, fields, metadata)
        date = None
        if isinstance(fields.get("year"), int):
            date = year_date(fields["year"])  # type: ignore[arg-type]
        elif isinstance(fields.get("date"), str):
            date = parse_written_date(fields["date"])  # type: ignore[arg-type]
        doc = Document(
            id=ctx.doc_id(ctx.path.stem),
            collection=ctx.collection,
            text=doc_text,
            title=_title(fields, metadata, ctx.path, tb),
            doc_type=str(fields["type"]) if "type" in fields else ("speech" if "speaker" in metadata else None),
            language=guess_language(doc_text),
            date=date,
            file=ctx.file_info(self.name),
            structure=tb.structure,
            metadata=metadata,
        )
        check_session_year(doc)
        yield doc


def _join_speakers(ctx: ReadContext, fields: dict, metadata: dict) -> None:
    """Speaker and post from the corpus's `Speakers_by_session.xlsx` (found beside the files), joined by
    session and country code. The table wins over the opening "Mr. X (Country):" line, which it is checked
    against when it names several speakers; a table that cannot be read leaves the speech as it was."""
    session = fields.get("session") if isinstance(fields.get("session"), int) else None
    year = fields.get("year") if isinstance(fields.get("year"), int) else None
    if session is None and year is None:
        return
    where = find_speaker_table(ctx.path)
    if where is None:
        return
    try:
        table = load_speaker_table(str(where))
    except SpeakerTableError:
        return
    said = metadata.get("speaker") if isinstance(metadata.get("speaker"), str) else None
    speaker, cands = table.speaker_for(fields["country"], session, year, said)
    if speaker is None:
        if len(cands) > 1:
            metadata["speaker_candidates"] = [c.name for c in cands]
        return
    if said:
        metadata["speaker_as_printed"] = said
    metadata["speaker"] = speaker.name
    if speaker.post:
        metadata["speaker_post"] = speaker.post
    metadata["speaker_source"] = TABLE_NAME


def _title(fields: dict, metadata: dict, path: Path, tb: TextBuilder) -> str:
    if "title" in fields:
        return str(fields["title"])
    if "country" in fields:
        who = metadata.get("country_name") or fields["country"]
        bits = [str(who)]
        if "session" in fields:
            bits.append(f"session {fields['session']}")
        title = ", ".join(bits)
        if "year" in fields:
            title += f" ({fields['year']})"
        return title
    first = tb.structure[0] if tb.structure else None
    if first is not None and first.type == "heading":
        return tb.text()[first.start : first.end]
    return path.stem


