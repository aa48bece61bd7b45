"""What an ingest reads: the regular files under the paths it was given and the members of tar/zip
archives among them — nothing else, and never more than the limits allow.

A folder handed to Despatch may come from anyone. A symbolic link in it may point at /etc/passwd, a hard
link may be a second name for a file outside it, a named pipe blocks whoever opens it, a device never ends,
and a 1 MB zip may expand to a gigabyte. So the walk never follows a link out of the given folders (unless
`follow_symlinks` asks for it, and even then reads only regular files), never opens anything that is not a
regular file (checked again on the open descriptor, so a file swapped for a pipe after the walk is still
refused), and reads archive members against three limits: one member's size, the archive's total expanded
size and its compression ratio. Everything passed over is reported, one line each, with the reason and,
where a limit decided, the option that raises it.
"""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import BadOption, ReaderError

CONTAINER_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".txz", ".zip")

MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Limits:
    """Resource limits for one ingest; every one can be raised from the command line (the option is named
    in the reason whenever a limit refuses a file). They bound what one reader holds in memory."""

    max_file_bytes: int = 256 * MiB  # a file on disk or one archive member (PDFs and other binaries)
    max_text_bytes: int = 16 * MiB  # a file read as text (plain text, HTML, XML): 20-40x its size in memory
    max_expanded_bytes: int = 8 * GiB  # all members of one tar/zip together
    max_ratio: float = 200.0  # expanded / compressed size, for a zip member or a whole compressed tar
    time_limit: float = 600.0  # seconds to read and enrich one file


def human(n: float) -> str:
    """A byte count as people write it (1.5 GiB, 32 MiB, 900 bytes)."""
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if n >= size:
            v = n / size
            return f"{v:.0f} {unit}" if v == int(v) or v >= 100 else f"{v:.1f} {unit}"
    return f"{int(n)} bytes"


def parse_size(text: str) -> int:
    """'256M', '2G', '1.5GiB', '4096' → bytes (binary units)."""
    s = text.strip().lower().removesuffix("b").removesuffix("i")
    mult = {"k": 1024, "m": MiB, "g": GiB, "t": 1 << 40}.get(s[-1:], 1)
    if mult != 1:
        s = s[:-1]
    try:
        value = float(s)
    except ValueError:
        raise BadOption(f"not a size: {text!r} (write e.g. 512M or 2G)") from None
    if value < 0:
        raise BadOption(f"not a size: {text!r}")
    return int(value * mult)


@dataclass
class Member:
    """A file to read: a path on disk (read later, by a worker) or the bytes of an archive member."""

    display: str
    collection: str
    path: Path | None = None
    data: bytes | None = None
    key: str | None = None  # the path within what was given: a/note.txt, x.tar!TXT/note.txt


@dataclass
class Skipped:
    """Something under the given paths that is not read, and why (one line, shown to the user)."""

    display: str
    reason: str
    failed: bool = False  # a limit or an unreadable archive (a failure) rather than a link or special file


class TooLarge(ReaderError):
    """A read refused by a limit; the message names the size, the limit and the option that raises it."""


def is_container(p: Path) -> bool:
    return p.name.lower().endswith(CONTAINER_SUFFIXES)


def iter_members(
    paths: list[str | os.PathLike[str]],
    collection: str | None,
    limits: Limits | None = None,
    follow_symlinks: bool = False,
) -> Iterator[Member | Skipped]:
    """Every regular file under the given paths (sorted), archive members expanded; everything else skipped."""
    limits = limits or Limits()
    for raw in paths:
        p = Path(raw)
        try:
            st = p.stat()  # a path given by name is followed: the user chose it
        except OSError as e:
            yield Skipped(str(p), "no such file or directory" if isinstance(e, FileNotFoundError)
                          else f"cannot read: {e.strerror or e}", failed=True)
            continue
        if stat.S_ISDIR(st.st_mode):
            coll = collection or p.resolve().name
            yield from _walk(p, coll, limits, follow_symlinks)
        elif stat.S_ISREG(st.st_mode):
            yield from _file_members(p, collection or p.resolve().parent.name, limits, p.name)
        else:
            yield Skipped(str(p), f"not a regular file ({_kind(st.st_mode)}): not read")


def _walk(top: Path, collection: str, limits: Limits, follow: bool) -> Iterator[Member | Skipped]:
    root = top.resolve()
    seen_dirs: set[tuple[int, int]] = set()
    # Hard-linked files wait until the folder is walked: read only when every name of the file is inside it.
    linked: dict[tuple[int, int], list[Path]] = {}
    nlinks: dict[tuple[int, int], int] = {}
    for dirpath, dirs, files in os.walk(top, followlinks=follow):
        d = Path(dirpath)
        try:
            dst = d.stat()
        except OSError:
            continue
        if (dst.st_dev, dst.st_ino) in seen_dirs:  # a link loop (only when following links)
            dirs[:] = []
            continue
        seen_dirs.add((dst.st_dev, dst.st_ino))
        keep = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            sub = d / name
            if sub.is_symlink() and not follow:
                yield Skipped(str(sub), "symbolic link to a folder: not followed (--follow-symlinks to follow it)")
                continue
            keep.append(name)
        dirs[:] = keep
        for name in sorted(files):
            if name.startswith("."):
                continue
            fp = d / name
            try:
                lst = fp.lstat()
            except OSError as e:
                yield Skipped(str(fp), f"cannot read: {e.strerror or e}", failed=True)
                continue
            if stat.S_ISLNK(lst.st_mode):
                try:
                    st = fp.stat()
                    target = fp.resolve()
                except (OSError, RuntimeError):
                    yield Skipped(str(fp), "broken symbolic link: not read")
                    continue
                if not stat.S_ISREG(st.st_mode):
                    yield Skipped(str(fp), f"symbolic link to a {_kind(st.st_mode)}: not read")
                    continue
                if not follow and not target.is_relative_to(root):
                    yield Skipped(str(fp), "symbolic link to a file outside the given folders: not read "
                                           "(--follow-symlinks to read it)")
                    continue
            elif not stat.S_ISREG(lst.st_mode):
                yield Skipped(str(fp), f"not a regular file ({_kind(lst.st_mode)}): not read")
                continue
            elif lst.st_nlink > 1 and not follow:
                key = (lst.st_dev, lst.st_ino)
                linked.setdefault(key, []).append(fp)
                nlinks[key] = lst.st_nlink
                continue
            yield from _file_members(fp, collection, limits, fp.relative_to(top).as_posix())
    for key, names in linked.items():
        if len(names) >= nlinks[key]:
            for fp in names:
                yield from _file_members(fp, collection, limits, fp.relative_to(top).as_posix())
        else:
            for fp in names:
                yield Skipped(str(fp), "hard link to a file that also has names outside the given folders: "
                                       "not read (--follow-symlinks to read it)")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "folder"), (stat.S_ISLNK, "symbolic link")):
        if test(mode):
            return name
    return "special file"


def _file_members(p: Path, collection: str, limits: Limits, key: str) -> Iterator[Member | Skipped]:
    if is_container(p):
        coll = collection if collection != p.resolve().parent.name else container_stem(p)
        yield from _container_members(p, coll, limits, key)
    else:
        yield Member(str(p), collection, path=p, key=key)


def container_stem(p: Path) -> str:
    name = p.name
    for suf in sorted(CONTAINER_SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suf):
            return name[: -len(suf)]
    return p.stem


def _unsafe_member(name: str) -> str | None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if ".." in parts:
        return "path with '..'"
    return None


def _hidden(member: str) -> bool:
    return any((part.startswith(".") and part != "..") or part == "__MACOSX" for part in member.split("/"))


def _member_too_large(size: int, limits: Limits) -> str:
    return (f"{human(size)} expanded, over the {human(limits.max_file_bytes)} limit for one file "
            f"(--max-file-size to raise it)")


def _container_members(p: Path, collection: str, limits: Limits, key: str) -> Iterator[Member | Skipped]:
    try:
        fd = open_regular(p, follow=True)
        packed = os.fstat(fd).st_size
        fh = os.fdopen(fd, "rb")
    except (OSError, TooLarge) as e:
        yield Skipped(str(p), f"cannot read: {e}", failed=True)
        return
    total = 0
    with fh:
        try:
            if p.name.lower().endswith(".zip"):
                with zipfile.ZipFile(fh) as zf:
                    for info in sorted(zf.infolist(), key=lambda i: i.filename):
                        shown = f"{p}!{info.filename}"
                        if info.is_dir() or _hidden(info.filename):
                            continue
                        bad = _unsafe_member(info.filename)
                        if bad:
                            yield Skipped(shown, f"archive member with an {bad}: not read")
                            continue
                        mode = (info.external_attr >> 16) & 0xFFFF
                        if mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
                            yield Skipped(shown, f"archive member that is a {_kind(mode)}: not read")
                            continue
                        if info.file_size > limits.max_file_bytes:
                            yield Skipped(shown, _member_too_large(info.file_size, limits), failed=True)
                            continue
                        ratio = info.file_size / max(info.compress_size, 1)
                        if info.file_size > MiB and ratio > limits.max_ratio:
                            yield Skipped(shown, f"compressed {ratio:.0f}:1 ({human(info.compress_size)} → "
                                                 f"{human(info.file_size)}), over the {limits.max_ratio:.0f}:1 "
                                                 f"limit (--max-ratio to raise it)", failed=True)
                            continue
                        if total + info.file_size > limits.max_expanded_bytes:
                            yield Skipped(shown, _total_reason(total + info.file_size, limits), failed=True)
                            return
                        with zf.open(info) as f:
                            data = f.read(limits.max_file_bytes + 1)
                        total += len(data)
                        yield Member(shown, collection, data=data, key=f"{key}!{info.filename}")
            else:
                # Stream order: a compressed tar can't seek back, so sorting members would re-read it each time.
                with tarfile.open(fileobj=fh, mode="r|*") as tf:
                    for m in tf:
                        shown = f"{p}!{m.name}"
                        if m.isdir() or _hidden(m.name):
                            continue
                        bad = _unsafe_member(m.name)
                        if bad:
                            yield Skipped(shown, f"archive member with an {bad}: not read")
                            continue
                        if not m.isfile():
                            what = ("symbolic link" if m.issym() else "hard link" if m.islnk() else
                                    "device" if (m.ischr() or m.isblk()) else "named pipe" if m.isfifo()
                                    else "special entry")
                            yield Skipped(shown, f"archive member that is a {what}: not read")
                            continue
                        if m.size > limits.max_file_bytes:
                            yield Skipped(shown, _member_too_large(m.size, limits), failed=True)
                            continue
                        if total + m.size > limits.max_expanded_bytes:
                            yield Skipped(shown, _total_reason(total + m.size, limits), failed=True)
                            return
                        total += m.size
                        if total > 16 * MiB and total / max(packed, 1) > limits.max_ratio:
                            yield Skipped(shown, f"archive expands {total / max(packed, 1):.0f}:1 so far "
                                                 f"({human(packed)} → {human(total)}), over the "
                                                 f"{limits.max_ratio:.0f}:1 limit (--max-ratio to raise it); "
                                                 f"the rest of {p.name} is not read", failed=True)
                            return
                        f = tf.extractfile(m)
                        if f is None:
                            continue
                        yield Member(shown, collection, data=f.read(m.size), key=f"{key}!{m.name}")
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError) as e:
            yield Skipped(str(p), f"unreadable archive: {e}", failed=True)


def _total_reason(total: int, limits: Limits) -> str:
    return (f"the archive expands to more than {human(limits.max_expanded_bytes)} (at least {human(total)}), "
            f"the limit for one archive (--max-expanded-size to raise it); the rest of it is not read")


def open_regular(p: Path, follow: bool = True) -> int:
    """Open a file for reading only if it is a regular file (checked on the descriptor, so nothing swapped in
    after the walk — a pipe, a device — is ever read); O_NONBLOCK so opening a pipe cannot block."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(p, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"not a regular file ({_kind(st.st_mode)})")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(p: Path, limits: Limits) -> bytes:
    """A regular file's bytes, refusing one over the file-size limit (its size and the option named)."""
    fd = open_regular(p)
    with os.fdopen(fd, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > limits.max_file_bytes:
            raise TooLarge(f"file too large: {human(size)}, over the {human(limits.max_file_bytes)} limit "
                           f"(--max-file-size to raise it)")
        data = f.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:  # grew while being read
        raise TooLarge(f"file too large: over the {human(limits.max_file_bytes)} limit (--max-file-size to raise it)")
    return data
