"""How a document's id is formed, and when a file is "the same file" as the one that made a document.

A document's natural id is `collection/key`, the key coming from the file (its name without the extension
for a text, HTML or PDF file, the volume and document number for a FRUS volume). Two different files can
share a natural id: `a/note.txt`, `b/note.txt` and `a/note.html` all give `coll/note`. The first file to
claim an id keeps it; any other file gets `natural-id--<its path, slugged>` (`coll/note--b-note.txt`,
`coll/note--a-note.html`), so every distinct file (relative path and extension) has ids of its own, and a
new version of a document arises only when the same file changes.

"The same file" compares the path within what was ingested (`FileInfo.key`: `a/note.txt`,
`corpus.tar!TXT/x.txt`) with the path recorded when the document was stored: the same file if that path is
the key or ends with it at a path boundary. Archives made before this rule recorded only the path as given,
so a re-ingest of the same folder or tar from anywhere matches them and keeps every existing id: nothing
is renumbered, and a re-ingest stays idempotent.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def same_file(stored_path: str | None, key: str | None) -> bool:
    """Whether a document stored from `stored_path` came from the file at `key` (unknown: assume it did)."""
    if not stored_path or not key:
        return True
    if stored_path == key:
        return True
    if stored_path.endswith(key):
        return stored_path[-len(key) - 1] in "/\\!"
    return False


def id_for_another_file(natural_id: str, key: str, taken_by_another: bool = False) -> str:
    """The id of a document from the file at `key` whose natural id another file holds; with a short hash
    of the path too when even that is taken by another file (paths that slug alike: a/b.txt, a-b.txt)."""
    alt = f"{natural_id}--{_UNSAFE.sub('-', key).strip('-') or 'file'}"
    return alt + "-" + hashlib.sha256(key.encode()).hexdigest()[:8] if taken_by_another else alt
