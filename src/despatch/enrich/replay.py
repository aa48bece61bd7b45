"""Replaying the curation layer (`apply`): each stored act, in order, on the entity mentions.

Apart from `curation` (which records, exports and imports the acts) so that `records.refresh_entities`,
which replays the layer after every enrichment, and `curation.import_layer`, which refreshes the records,
do not import each other.
"""

from __future__ import annotations

from ..errors import BadOption
from ..store import Archive
from ..store.base import CurationOp


class CurationError(BadOption):
    """A curation act that cannot be applied or read (unknown entity, malformed file)."""


def _mention(s: str) -> tuple[str, int, int]:
    doc, _, rest = s.rpartition(":")
    doc2, _, start = doc.rpartition(":")
    try:
        return doc2, int(start), int(rest)
    except ValueError:
        raise CurationError(f"a mention is DOC_ID:START:END, not {s!r}") from None


def _apply_one(archive: Archive, op: CurationOp) -> int:
    a = op.args
    if op.action == "merge":
        keep = archive.get_entity(a["keep"])
        label = keep.label if keep else None
        return archive.relink_entities({o: (a["keep"], label) for o in a["others"] if o != a["keep"]})
    if op.action == "split":
        n = 0
        for m in a["mentions"]:
            doc, start, end = _mention(m)
            n += archive.relink_mention(doc, start, end, a["to"], a.get("label"))
        return n
    if op.action == "rename":
        return archive.relink_entities({a["id"]: (a["id"], a["label"])})
    if op.action == "not-entity":
        return archive.delete_entity_mentions(a["surface"])
    raise CurationError(f"unknown curation action {op.action!r}")


def apply(archive: Archive) -> tuple[int, dict[str, str]]:
    """Apply the whole layer in order; returns (mentions changed, entity id → curated label)."""
    n = 0
    renames: dict[str, str] = {}
    for op in archive.curations():
        n += _apply_one(archive, op)
        if op.action == "rename":
            renames[op.args["id"]] = op.args["label"]
        elif op.action == "merge":
            for o in op.args["others"]:
                renames.pop(o, None)
        elif op.action == "split" and op.args.get("label"):
            renames[op.args["to"]] = op.args["label"]
    return n, renames
