"""The ingest pipeline: files → readers → annotators → archive, one transaction per file.

Every file either lands whole (its original bytes, its documents with spans, annotations and search
entries) or not at all, with a one-line reason naming it. Folders are walked recursively; tar and zip
archives are read member by member, each member ingested as a file of its own.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, plugins
from .decode import control_bytes
from .enrich import annotator_names, enrich, pipeline
from .enrich.redactions import summarise
from .errors import BadOption, ConnectionLost
from .gather import Limits, Member, Skipped, TooLarge, human, iter_members, read_regular
from .labels import clean_document
from .model import Document
from .readers import ReadContext, ReaderError, detect, reader_names
from .readers.base import AuthorityEntry
from .store import Archive, StoredFile
from .timelimit import TimeLimitExceeded, time_limit
from .workers import WORKER_KILLED, run_in_pool

#: Readers whose memory grows with the text (refused over Limits.max_text_bytes); the PDF reader is not one.
TEXT_READERS = frozenset({"text", "html", "tei", "archive-record"})


def default_workers() -> int:
    """The command line's default: a reader per core this process may use, at most 4 (each reader holds
    its own copy of the gazetteers when enriching)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


@dataclass
class IngestOptions:
    """How files are read, enriched and stored: the whole pipeline as configuration.

    Readers and annotators are named (as registered: `despatch plugins`) and their settings are plain
    values, so the options travel to worker processes as they are and a worker started with fork or
    spawn reads and enriches exactly as this process would.
    """

    collection: str | None = None
    name_pattern: str | None = None
    enrich: bool = True
    format: str | None = None  # force a reader by name
    workers: int = 1
    ocr_lang: str = "eng"  # Tesseract language(s) for scans, e.g. "eng+fra"
    page_timeout: float = 180.0  # seconds one scanned page may take to render and recognise
    catalog: str | None = None  # a catalogue CSV joined to the files (despatch.catalog)
    catalog_key: str = "Record Num"
    catalog_map: str | None = None  # "title=Title,date=Doc Date" for a catalogue's own column names
    #: The annotators to run, in order (None: `despatch.enrich.DEFAULT_ANNOTATORS`); ignored without `enrich`.
    annotators: tuple[str, ...] | None = None
    #: Reader name → its settings, e.g. {"tei": {"infer_enclosure_dates": False}}.
    reader_settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Annotator name → its settings.
    annotator_settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: How worker processes start ("fork", "spawn", "forkserver"; None: the platform's default).
    start_method: str | None = None
    follow_symlinks: bool = False  # read files that links lead to outside the given folders (never special files)
    limits: Limits = field(default_factory=Limits)

    def key(self) -> str:
        """What, besides the bytes, decides what a file yields: same key + same bytes = nothing to do."""
        base = f"{__version__}|{self.name_pattern or ''}|{self.format or ''}|{int(self.enrich)}|{self.ocr_lang}"
        if self.catalog:
            from .catalog import load_catalog

            cat = load_catalog(self.catalog, self.catalog_key, self.catalog_map)
            base += f"|catalog:{cat.sha256[:16]}:{self.catalog_key}:{self.catalog_map or ''}"
        extra = {k: v for k, v in (("annotators", list(self.annotators) if self.annotators is not None else None),
                                   ("readers", self.reader_settings), ("annotator_settings", self.annotator_settings))
                 if v}
        return base + ("|" + json.dumps(extra, sort_keys=True, default=str) if extra else "")

    def validate(self) -> None:
        """Every named reader and annotator is registered and takes the settings given (a BadOption naming
        the first that is not), checked before any file is read rather than in each worker."""
        if self.start_method is not None and self.start_method not in multiprocessing.get_all_start_methods():
            raise BadOption(f"start method {self.start_method!r} is not one of this platform's: "
                            f"{', '.join(multiprocessing.get_all_start_methods())}")
        if self.format is not None and self.format not in reader_names():
            raise BadOption(f"no reader named {self.format!r}; the readers are {', '.join(reader_names())}")
        for name in self.annotators or ():
            if name not in annotator_names():
                raise BadOption(f"no annotator named {name!r}; the annotators are {', '.join(annotator_names())}")
        for kind, known, table in (("readers", reader_names(), self.reader_settings),
                                   ("annotators", annotator_names(), self.annotator_settings)):
            for name, settings in table.items():
                if name not in known:
                    raise BadOption(f"settings for {name!r}, which is not one of the {kind}: {', '.join(known)}")
                try:
                    inspect.signature(plugins.factory(kind, name)).bind(**settings)
                except TypeError as e:
                    raise BadOption(f"{name}: {e} (settings given: {', '.join(settings)})") from None


def apply_setting(options: IngestOptions, text: str) -> None:
    """Apply `NAME.KEY=VALUE` (a reader's or an annotator's setting) to `options`; VALUE is read as JSON
    when it parses (`false`, `3`, `["a"]`), else kept as text."""
    name, dot, rest = text.partition(".")
    key, eq, raw = rest.partition("=")
    if not (dot and eq and name and key):
        raise BadOption(f"a setting is NAME.KEY=VALUE (e.g. tei.infer_enclosure_dates=false), not {text!r}")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    is_reader, is_annotator = name in reader_names(), name in annotator_names()
    if is_reader and is_annotator:
        raise BadOption(f"{name!r} is both a reader and an annotator; set it in IngestOptions directly")
    if not (is_reader or is_annotator):
        raise BadOption(f"no reader or annotator named {name!r} (see `despatch plugins`)")
    target = options.reader_settings if is_reader else options.annotator_settings
    target.setdefault(name, {})[key] = value


@dataclass
class FileReport:
    path: str
    status: str  # added | updated | unchanged | failed | skipped (a link or special file, not read)
    reason: str | None = None
    documents: int = 0
    bytes: int = 0
    added: int = 0
    versioned: int = 0
    unchanged_docs: int = 0
    pages: int = 0  # scanned pages recognised by OCR


@dataclass
class IngestSummary:
    files: int = 0
    failed: int = 0
    skipped: int = 0
    unchanged_files: int = 0
    documents_added: int = 0
    documents_versioned: int = 0
    documents_unchanged: int = 0
    bytes: int = 0
    pages: int = 0  # scanned pages recognised by OCR
    embedded: int = 0  # paragraphs given vectors (archives that search by meaning)
    failures: list[FileReport] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        d = dict(self.__dict__)
        d["failures"] = [f.__dict__ for f in self.failures]
        return d


@dataclass
class _Item:
    """One file to ingest: where it is shown as coming from, and its bytes (or how to get them)."""

    display: str
    collection: str
    path: Path | None = None
    data: bytes | None = None
    sha256: str | None = None
    key: str | None = None


def iter_items(paths: list[str | os.PathLike[str]], collection: str | None, limits: Limits | None = None,
               follow_symlinks: bool = False) -> Iterator[_Item | FileReport]:
    """Every regular file under the given paths, sorted; what is passed over yields a report saying why."""
    for m in iter_members(paths, collection, limits, follow_symlinks):
        if isinstance(m, Skipped):
            yield FileReport(m.display, "failed" if m.failed else "skipped", m.reason)
        else:
            assert isinstance(m, Member)
            yield _Item(m.display, m.collection, path=m.path, data=m.data, key=m.key)


def read_file(
    display: str, data: bytes, collection: str, options: IngestOptions, sha256: str | None = None,
    key: str | None = None,
) -> tuple[str, list[Document], list[AuthorityEntry]]:
    """Bytes → (format, documents, authority entries); raises ReaderError with the reason."""
    if not data:
        raise ReaderError("empty file")
    path = Path(display.split("!")[-1])
    reader = detect(data[:65536], path, options.format, options.reader_settings)
    if reader is None:
        if _looks_binary(data[:8192]):
            raise ReaderError("binary data in no format Despatch reads")
        raise ReaderError("unrecognised format")
    limit = options.limits.max_text_bytes
    if reader.name in TEXT_READERS and len(data) > limit:
        raise ReaderError(f"text too large to read: {human(len(data))} of {reader.name}, over the {human(limit)} "
                          f"limit for text (--max-text-size to raise it)")
    ctx = ReadContext(
        path=Path(display),
        collection=collection,
        sha256=sha256 or hashlib.sha256(data).hexdigest(),
        size=len(data),
        name_pattern=options.name_pattern,
        settings={"ocr_lang": options.ocr_lang, "page_timeout": options.page_timeout},
    )
    try:
        docs = list(reader.read(data, ctx))
    except (ReaderError, TimeLimitExceeded):  # the time limit is reported by the caller, with its option
        raise
    except RecursionError:
        raise ReaderError(f"{reader.name} reader: nesting too deep") from None
    except Exception as e:  # a reader bug must not stop the batch: report it against the file
        raise ReaderError(f"{reader.name} reader failed: {type(e).__name__}: {e}") from e
    if not docs:
        raise ReaderError(f"{reader.name} reader found no document in the file")
    if options.catalog:
        from .catalog import apply_catalog, load_catalog

        cat = load_catalog(options.catalog, options.catalog_key, options.catalog_map)
        for doc in docs:
            apply_catalog(doc, cat)
    for doc in docs:
        clean_document(doc)  # titles and metadata without control or bidi-override characters
        if doc.file is not None:
            doc.file.key = key or path.name  # which file it came from (see docs/operating.md, "Document ids")
    if options.enrich:
        # a volume's own list of persons links its mentions
        annotators = pipeline(options.annotators, options.annotator_settings, ctx.authorities)
        for doc in docs:
            enrich(doc, annotators)
    for doc in docs:
        summarise(doc)  # "has redactions" and the exemptions, as metadata search filters on
    return reader.name, docs, ctx.authorities


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00"):
        return True
    return bool(head) and control_bytes(head) / len(head) > 0.1


def _work(display: str, path: Path | None, data: bytes | None, collection: str, options: IngestOptions,
          sha256: str | None = None, key: str | None = None):
    """Runs in a worker: read and enrich one file. Returns a tuple the parent stores, or a failure."""
    try:
        if data is None:
            assert path is not None
            data = read_regular(path, options.limits)
        if sha256 is None:  # files on disk are hashed here, from the bytes actually read and stored
            sha256 = hashlib.sha256(data).hexdigest()
        seconds = options.limits.time_limit
        with time_limit(seconds):
            fmt, docs, auth = read_file(display, data, collection, options, sha256, key)
        return ("ok", display, data, sha256, fmt, docs, auth)
    except TimeLimitExceeded:
        return ("failed", display, f"took longer than {seconds:g} s, the time limit for one file "
                                   f"(--time-limit to raise it)", len(data or b""))
    except (ReaderError, TooLarge) as e:
        return ("failed", display, str(e), len(data or b""))
    except MemoryError:
        return ("failed", display, "out of memory while reading this file", len(data or b""))
    except OSError as e:
        return ("failed", display, f"cannot read: {e.strerror or e}", 0)


ProgressFn = Callable[[FileReport, IngestSummary], None]


def ingest(
    archive: Archive,
    paths: list[str | os.PathLike[str]],
    options: IngestOptions | None = None,
    progress: ProgressFn | None = None,
) -> IngestSummary:
    """Ingest files and folders into the archive; failures are reported, never fatal to the batch."""
    options = options or IngestOptions()
    options.validate()
    summary = IngestSummary()
    okey = options.key()

    sidecar = Path(options.catalog).resolve() if options.catalog else None

    def todo() -> Iterator[_Item | FileReport]:
        # A file another process is storing right now is passed over, then waited for at the end: if that
        # process dies before committing it (its claim goes with its connection), this one stores it.
        busy: list[tuple[_Item, str, int]] = []
        for item in iter_items(paths, options.collection, options.limits, options.follow_symlinks):
            if sidecar and isinstance(item, _Item) and item.path is not None and item.path.resolve() == sidecar:
                continue  # the catalogue describes the records; it is not one of them
            if not isinstance(item, _Item):
                yield item
                continue
            if item.data is not None:
                sha, size = hashlib.sha256(item.data).hexdigest(), len(item.data)
                item.sha256 = sha
            else:
                assert item.path is not None
                try:
                    sha, size = _sha256_file(item.path)
                except OSError as e:
                    yield FileReport(item.display, "failed", f"cannot read: {e.strerror or e}")
                    continue
            state = archive.claim_new_file(sha, item.collection, okey)
            if state == "stored":
                yield FileReport(item.display, "unchanged", bytes=size)
            elif state == "claimed":
                yield item
            else:
                busy.append((item, sha, size))
        for item, sha, size in busy:
            archive.claim_file(sha, item.collection, okey, wait=True)
            if archive.file_seen(sha, item.collection, okey):
                archive.release_file(sha, item.collection, okey)
                yield FileReport(item.display, "unchanged", bytes=size)
            else:
                yield item

    def results() -> Iterator[tuple | FileReport]:
        if options.workers <= 1:
            for item in todo():
                if isinstance(item, FileReport):
                    yield item
                else:
                    yield (_work(item.display, item.path, item.data, item.collection, options, item.sha256,
                                 item.key), item.collection)
            return
        def args(item: _Item | FileReport) -> tuple | None:
            if isinstance(item, FileReport):
                return None
            return (item.display, item.path, item.data, item.collection, options, item.sha256, item.key)

        def killed(item: _Item) -> tuple:
            return ("failed", item.display, WORKER_KILLED, len(item.data or b""))

        for item, out in run_in_pool(todo(), args, _work, options.workers, killed, start_method=options.start_method):
            yield item if isinstance(item, FileReport) else (out, item.collection)

    from .ocr.slots import group as ocr_slots

    with ocr_slots(options.workers), archive.background_indexing() if options.workers > 1 else nullcontext():
        try:
            _consume(archive, results(), okey, summary, progress)
        finally:
            archive.release_files()
    if options.enrich and (summary.documents_added or summary.documents_versioned):
        from .enrich.records import refresh_entities

        refresh_entities(archive)  # entity records, the collection's surname links, the curation layer
    if summary.documents_added + summary.documents_versioned and archive.semantic_ready():
        # The archive searches by meaning: new documents get their paragraph vectors now, not at the next
        # `despatch embed`. (Imported here: the model is the optional `semantic` extra.)
        from .semantic.embed import embed_archive
        from .semantic.model import Embedder

        summary.embedded = embed_archive(archive, Embedder()).paragraphs
    return summary


def _consume(archive: Archive, results: Iterator, okey: str, summary: IngestSummary,
             progress: ProgressFn | None) -> None:
    for res in results:
        report = res if isinstance(res, FileReport) else _store(archive, res, okey)
        summary.files += 1
        summary.bytes += report.bytes
        if report.status == "failed":
            summary.failed += 1
            summary.failures.append(report)
        elif report.status == "skipped":
            summary.skipped += 1
        elif report.status == "unchanged":
            summary.unchanged_files += 1
        summary.documents_added += report.added
        summary.documents_versioned += report.versioned
        summary.documents_unchanged += report.unchanged_docs
        summary.pages += report.pages
        if progress:
            progress(report, summary)


def _store(archive: Archive, res: tuple, okey: str) -> FileReport:
    out, collection = res
    if out[0] == "failed":
        _, display, reason, size = out
        return FileReport(display, "failed", reason, bytes=size)
    _, display, data, sha, fmt, docs, auth = out
    stored = StoredFile(display, sha, len(data), fmt, data, okey)
    try:
        put = archive.put(stored, collection, docs, auth)
    except ConnectionLost:
        raise  # the archive's server is gone: every later file would fail the same way; stop with one line
    except Exception as e:  # e.g. a constraint the reader broke; the transaction was rolled back
        return FileReport(display, "failed", f"could not store: {type(e).__name__}: {e}", bytes=len(data))
    finally:
        archive.release_file(sha, collection, okey)
    status = "added" if put.added else ("updated" if put.versioned else "unchanged")
    pages = sum(int(d.metadata.get("pages") or 0) for d in docs if d.metadata.get("ocr"))
    return FileReport(display, status, documents=len(docs), bytes=len(data), added=put.added,
                      versioned=put.versioned, unchanged_docs=put.unchanged, pages=pages)


def _sha256_file(p: Path) -> tuple[str, int]:
    """The SHA-256 and size of a regular file (anything else — a pipe swapped in since the walk — is refused)."""
    from .gather import open_regular

    h = hashlib.sha256()
    size = 0
    with os.fdopen(open_regular(p), "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def read_path(path: str | os.PathLike[str], options: IngestOptions | None = None) -> list[Document]:
    """Read one file into documents without storing it (for tests, previews and `despatch read`)."""
    options = options or IngestOptions()
    p = Path(path)
    _, docs, _ = read_file(str(p), read_regular(p, options.limits), options.collection or p.resolve().parent.name,
                           options)
    return docs


__all__ = ["FileReport", "IngestOptions", "IngestSummary", "apply_setting", "ingest", "read_path"]
