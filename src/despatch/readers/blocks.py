"""Line-level helpers shared by the text-based readers: blank-line blocks, line joining, rejoining
paragraphs that an export broke in the middle of a sentence."""

from __future__ import annotations

import re

_TERMINAL = tuple(".!?:;\"'”’»)]…")
_NUMBERED_PARA = re.compile(r"^\s*(\d{1,4})\.(?:\t|\s{2,})\s*")
_BULLET_LINE = re.compile(r"^\s*[-–•*]\s+\S")
_OPENS_LOWER = re.compile(r"^[\s(\"'“‘]*[a-zà-ÿ]")


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def join_lines(lines: list[str]) -> str:
    """Join a block's wrapped lines; a line-end hyphen before a lower-case letter joins with no space."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out += line
        else:
            out += " " + line
    return out


def blocks(text: str, numbered_starts: bool = True, indent_starts: bool = True) -> list[str]:
    """Paragraph blocks: split at blank lines, at bullet lines ("- …"), at numbered-paragraph lines
    ("12.<tab>"), and at an indented line that follows a sentence end (how some exports mark a new
    paragraph)."""
    result: list[list[str]] = []
    cur: list[str] = []
    for line in split_lines(text):
        if not line.strip():
            if cur:
                result.append(cur)
                cur = []
            continue
        starts_new = False
        if cur:
            prev = cur[-1].rstrip()
            if numbered_starts and _NUMBERED_PARA.match(line):
                starts_new = True
            elif _BULLET_LINE.match(line):
                starts_new = True
            elif indent_starts and line[:1] in (" ", "\t") and prev.endswith(_TERMINAL):
                starts_new = True
        if starts_new:
            result.append(cur)
            cur = []
        cur.append(line)
    if cur:
        result.append(cur)
    return [join_lines(b) for b in result]


def ends_sentence(block: str) -> bool:
    return block.rstrip().endswith(_TERMINAL)


def rejoin_broken(parts: list[str]) -> list[str]:
    """Rejoin blocks an export split mid-sentence: no sentence end, and the next opens in lower case."""
    out: list[str] = []
    for b in parts:
        if out and not ends_sentence(out[-1]) and _OPENS_LOWER.match(b) and not b.lstrip().startswith("- "):
            out[-1] = out[-1].rstrip() + " " + b.lstrip()
        else:
            out.append(b)
    return out


def numbered_paragraph(block: str) -> tuple[str | None, str]:
    """("12", rest) for a numbered paragraph "12.<tab>rest", else (None, block)."""
    m = _NUMBERED_PARA.match(block)
    if m:
        return m.group(1), block[m.end() :]
    return None, block
