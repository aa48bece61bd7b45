"""The curation layer: a user's corrections to the entities, kept apart from what enrichment derives.

Each act is stored with who made it and when (`Archive.add_curation`) and applied, in order, after
every enrichment (`records.refresh_entities`), so re-running `despatch enrich` never undoes it:

- `merge KEEP OTHER...`: every mention of OTHER points at KEEP;
- `split ID --mention DOC:START:END [--to NEW_ID] [--label L]`: one mention leaves ID for another entity;
- `rename ID LABEL`: the preferred label;
- `not-entity SURFACE`: a word taken for a name ("Ambassador") is no entity anywhere.

The layer is exported and imported as JSON or CSV (`export_layer`, `import_layer`).
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
from datetime import UTC, datetime
from typing import Any

from ..store import Archive
from ..store.base import AuditEntry, CurationOp
from .replay import CurationError, _apply_one, _mention, apply  # noqa: F401 - apply re-exported: the replay

ACTIONS = ("merge", "split", "rename", "not-entity")
CSV_FIELDS = ("seq", "action", "args", "who", "at")


def who() -> str:
    return os.environ.get("DESPATCH_USER") or getpass.getuser()


def record(archive: Archive, action: str, args: dict[str, Any], user: str | None = None) -> CurationOp:
    """Store one act and apply it at once (the next enrichment applies it again)."""
    if action not in ACTIONS:
        raise CurationError(f"unknown curation action {action!r} (one of {', '.join(ACTIONS)})")
    op = CurationOp(action, args, user or who(), datetime.now(UTC).isoformat(timespec="seconds"))
    _apply_one(archive, op)
    op.seq = archive.add_curation(op)
    archive.add_audit(AuditEntry("curation", op.who, op.at, action, dict(args)))  # who curated what, and when
    return op


def merge(archive: Archive, keep: str, others: list[str], user: str | None = None) -> CurationOp:
    for eid in [keep, *others]:
        if archive.get_entity(eid) is None:
            raise CurationError(f"no entity {eid!r} (see `despatch entities`)")
    return record(archive, "merge", {"keep": keep, "others": others}, user)


def split(archive: Archive, entity_id: str, mentions: list[str], to: str | None = None, label: str | None = None,
          user: str | None = None) -> CurationOp:
    if archive.get_entity(entity_id) is None:
        raise CurationError(f"no entity {entity_id!r}")
    parsed = [_mention(m) for m in mentions]
    mine = {(m.doc_id, m.start, m.end) for m in archive.entity_mentions(entity_id)}
    for p in parsed:
        if p not in mine:
            raise CurationError(f"{entity_id} has no mention {p[0]}:{p[1]}:{p[2]}")
    new = to or f"{entity_id}~{len([o for o in archive.curations() if o.action == 'split']) + 1}"
    return record(archive, "split", {"id": entity_id, "mentions": mentions, "to": new, "label": label}, user)


def rename(archive: Archive, entity_id: str, label: str, user: str | None = None) -> CurationOp:
    if archive.get_entity(entity_id) is None:
        raise CurationError(f"no entity {entity_id!r}")
    return record(archive, "rename", {"id": entity_id, "label": label}, user)


def not_entity(archive: Archive, surface: str, user: str | None = None) -> CurationOp:
    return record(archive, "not-entity", {"surface": surface}, user)


def export_layer(archive: Archive, fmt: str = "json") -> str:
    ops = archive.curations()
    if fmt == "json":
        return json.dumps([{"seq": o.seq, "action": o.action, "args": o.args, "who": o.who, "at": o.at} for o in ops],
                          ensure_ascii=False, indent=2)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for o in ops:
        w.writerow([o.seq, o.action, json.dumps(o.args, ensure_ascii=False), o.who, o.at])
    return buf.getvalue()


def import_layer(archive: Archive, text: str, fmt: str = "json") -> int:
    """Replace the layer with an exported one and apply it; a malformed file changes nothing."""
    ops: list[CurationOp] = []
    try:
        if fmt == "json":
            rows = json.loads(text)
            if not isinstance(rows, list):
                raise CurationError("a curation file is a JSON list of acts")
            for r in rows:
                ops.append(CurationOp(r["action"], dict(r["args"]), str(r["who"]), str(r["at"])))
        else:
            for r in csv.DictReader(io.StringIO(text)):
                ops.append(CurationOp(r["action"], json.loads(r["args"]), r["who"], r["at"]))
    except (KeyError, TypeError, ValueError) as e:
        raise CurationError(f"not a curation export: {e}") from None
    for o in ops:
        if o.action not in ACTIONS:
            raise CurationError(f"unknown curation action {o.action!r}")
    n = archive.replace_curations(ops)
    from .records import refresh_entities

    refresh_entities(archive)
    return n
