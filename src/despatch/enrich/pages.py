"""An entity's page, as data: the record, mentions in context, documents over time, who and what it is
named with. The CLI (`despatch entities show`), the reading room and the JSON API render it."""

from __future__ import annotations

from typing import Any

from ..store import Archive


def entity_page(archive: Archive, entity_id: str, mentions: int = 40, cooccurring: int = 30) -> dict[str, Any] | None:
    """None when the archive has no record of `entity_id`."""
    rec = archive.get_entity(entity_id)
    if rec is None:
        return None
    rows = archive.entity_mentions(entity_id, limit=mentions)
    texts: dict[str, str] = {}
    out_mentions = []
    for m in rows:
        if m.doc_id not in texts:
            doc = archive.get(m.doc_id)
            texts[m.doc_id] = doc.text if doc else ""
        t = texts[m.doc_id]
        left = " ".join(t[max(0, m.start - 70):m.start].split())
        right = " ".join(t[m.end:m.end + 70].split())
        out_mentions.append({"doc_id": m.doc_id, "date": m.date, "start": m.start, "end": m.end, "text": m.text,
                             "left": left, "right": right, "context": f"{left} [{m.text}] {right}"})
    co = []
    for other, n in archive.entity_cooccurrence(entity_id, cooccurring):
        o = archive.get_entity(other)
        co.append({"id": other, "type": o.type if o else other.split(":", 1)[0],
                   "label": o.label if o else other, "documents": n})
    return {"entity": rec.to_dict(), "mentions": out_mentions, "cooccurring": co}
