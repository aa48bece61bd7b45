"""Bytes → text for the text formats: BOMs, UTF-16 without BOM, UTF-8, then cp1252/latin-1.

Returns the encoding that was used, so a user can see how Despatch read a file.
"""

from __future__ import annotations

import codecs

from .errors import ReaderError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM: most ASCII text has a zero byte in every other position."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


_LATIN = {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_15", "iso8859_2", "iso8859_9", "mac_roman",
          "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_3", "iso8859_4", "cp850", "cp437", "ascii"}


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding). Raises ReaderError for bytes that are not text in any encoding we accept."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise ReaderError(f"undecodable {enc} text at byte {e.start}") from None
    enc16 = _utf16_guess(data)
    if enc16:
        try:
            return data.decode(enc16), enc16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    if b"\x00" in data[:8192]:
        raise ReaderError(f"undecodable text: not UTF-8 (byte {utf8_error.start}) and contains NUL bytes")
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    enc = best.encoding if best is not None else None
    # For Latin-script text the detectors guess between near-identical code pages on little evidence;
    # the archives' files are overwhelmingly Windows-1252, so prefer it whenever it decodes cleanly.
    candidates = ["cp1252", enc] if enc is None or enc in _LATIN else [enc, "cp1252"]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return data.decode(candidate), candidate
        except (UnicodeDecodeError, LookupError):
            continue
    # latin-1 decodes anything; accept it only when the bytes look like text in it.
    text = data.decode("latin-1")
    if sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f") > 0.01 * min(len(text), 8192):
        raise ReaderError(f"undecodable text: not UTF-8 (byte {utf8_error.start}) nor a single-byte encoding")
    return text, "latin-1"


def looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    if any(head.startswith(b) for b, _ in _BOMS) or _utf16_guess(head):
        return True
    if b"\x00" in head:
        return False
    return control_bytes(head) <= 0.01 * len(head)


_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def control_bytes(data: bytes) -> int:
    """How many bytes are C0 controls other than tab, newlines, form feed (counted in C, not Python)."""
    return len(data.translate(None, _NOT_CONTROL))
