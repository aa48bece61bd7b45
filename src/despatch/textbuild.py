"""Build a document's text and its structure spans in one pass.

Readers append blocks (paragraphs, headings, list items, notes…) and inline pieces; the builder keeps
the offsets right so that every span and every edition annotation points at exactly its text. The text
is normalised here, once: Unicode NFC, whitespace runs inside a block collapsed to one space, and one
`\\n` between blocks.
"""

from __future__ import annotations

import unicodedata

from .model import Annotation, Span


def normalise_inline(s: str) -> str:
    """NFC and whitespace collapsed to single spaces (no leading/trailing trim)."""
    if not s.isascii():
        s = unicodedata.normalize("NFC", s)
    core = " ".join(s.split())
    if not core:
        return " " if s else ""
    return (" " if s[0].isspace() else "") + core + (" " if s[-1].isspace() else "")


def normalise_block(s: str) -> str:
    return normalise_inline(s).strip()


class TextBuilder:
    """Accumulates the normalised text of a document with its spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self.structure: list[Span] = []
        self.annotations: list[Annotation] = []
        self._block_start: int | None = None
        self._pending_space = False

    # -- low level -------------------------------------------------------------------------------
    @property
    def pos(self) -> int:
        """Offset at which the next character will land (a pending space counts if text follows)."""
        return self._len

    def _append(self, s: str) -> None:
        self._parts.append(s)
        self._len += len(s)

    def begin_block(self) -> int:
        """Start a block: separated from the previous one by exactly one newline."""
        if self._block_start is not None:
            self.end_block()
        if self._len:
            self._append("\n")
        self._block_start = self._len
        self._pending_space = False
        return self._len

    def inline(self, s: str) -> tuple[int, int]:
        """Append inline text to the open block; returns the offsets of its non-space part."""
        if self._block_start is None:
            self.begin_block()
        s = normalise_inline(s)
        if not s:
            return (self._len, self._len)
        lead = s[0] == " "
        trail = s[-1] == " "
        core = s.strip(" ")
        if not core:
            if self._len > self._block_start:
                self._pending_space = True
            return (self._len, self._len)
        if (lead or self._pending_space) and self._len > self._block_start:
            self._append(" ")
        self._pending_space = trail
        start = self._len
        self._append(core)
        return (start, self._len)

    def space(self) -> None:
        if self._block_start is not None and self._len > self._block_start:
            self._pending_space = True

    def end_block(self) -> tuple[int, int] | None:
        """Close the open block; an empty block leaves no trace (and its newline is withdrawn)."""
        if self._block_start is None:
            return None
        start, end = self._block_start, self._len
        self._block_start = None
        self._pending_space = False
        if start == end and start > 0 and self._parts and self._parts[-1].endswith("\n"):
            # text() may have joined the parts, so the newline can be the end of a longer part.
            self._parts[-1] = self._parts[-1][:-1]
            self._len -= 1
            return None
        return (start, end) if end > start else None

    # -- high level ------------------------------------------------------------------------------
    def block(self, kind: str, text: str, **attrs: object) -> Span | None:
        """Append a whole block of text and record its structure span."""
        self.begin_block()
        self.inline(text)
        rng = self.end_block()
        if rng is None:
            return None
        span = Span(kind, rng[0], rng[1], **attrs)  # type: ignore[arg-type]
        self.structure.append(span)
        return span

    def mark(self, kind: str, start: int, end: int, **attrs: object) -> Span:
        span = Span(kind, start, end, **attrs)  # type: ignore[arg-type]
        self.structure.append(span)
        return span

    def annotate(self, kind: str, start: int, end: int, value: object, producer: str) -> Annotation | None:
        if end <= start:
            return None
        ann = Annotation(kind, start, end, self.text()[start:end], value, producer)
        self.annotations.append(ann)
        return ann

    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def finish(self) -> str:
        """Close any open block and return the text; spans are sorted by position."""
        self.end_block()
        text = self.text()
        # A trailing space can't survive: inline() only writes spaces before text.
        self.structure.sort(key=lambda s: (s.start, -s.end))
        self.annotations.sort(key=lambda a: (a.start, -a.end))
        for a in self.annotations:
            a.text = text[a.start : a.end]
        return text
