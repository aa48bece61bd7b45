"""Core commands: ingest, list, show, source, stats."""

from __future__ import annotations

import json
import sys
import time

import click

from ..annotation_types import ENTITY_TYPES
from ..enrich import annotator_names
from ..errors import NotFound
from ..gather import Limits, parse_size
from ..ingest import FileReport, IngestOptions, IngestSummary, apply_setting, default_workers, ingest
from ..labels import clean_label
from ..model import Document
from ..readers import reader_names
from .app import err, main, opened


class _Progress:
    """One status line on a terminal (counts and rate), redrawn at most a few times a second."""

    def __init__(self, enabled: bool, paths: list[str] | None = None) -> None:
        self.enabled = enabled
        self.t0 = time.monotonic()
        self.last = 0.0
        self.total_pages: int | None = None
        if enabled and paths:  # count the scans' pages alongside, for the time left
            import threading

            def count() -> None:
                from ..ocr.pages import count_pages

                self.total_pages = count_pages(paths)

            threading.Thread(target=count, daemon=True).start()

    def __call__(self, report: FileReport, summary: IngestSummary) -> None:
        if report.status == "failed":
            self.clear()
            err(f"FAILED {report.path}: {report.reason}")
        elif report.status == "skipped":
            self.clear()
            err(f"SKIPPED {report.path}: {report.reason}")
        now = time.monotonic()
        if self.enabled and now - self.last > 0.2:
            self.last = now
            dt = max(now - self.t0, 1e-9)
            docs = summary.documents_added + summary.documents_versioned + summary.documents_unchanged
            scans = ""
            if summary.pages:
                rate = summary.pages / dt
                scans = f", {summary.pages} pages, {rate:.2f} pages/s"
                if self.total_pages and self.total_pages > summary.pages:
                    left = (self.total_pages - summary.pages) / max(rate, 1e-9)
                    scans += f", ~{int(left // 60)}:{int(left % 60):02d} left"
            sys.stderr.write(
                f"\r{summary.files} files, {docs} documents, {summary.bytes / 1e6:.1f} MB, "
                f"{summary.files / dt:.0f} files/s{scans}, {summary.failed} failed\x1b[K"
            )
            sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")


def _size(ctx: click.Context, param: click.Parameter, value: str | int) -> int:
    try:
        return value if isinstance(value, int) else parse_size(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


def _human(n: int) -> str:
    for unit, size in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n % size == 0:
            return f"{n // size}{unit}"
    return str(n)


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--collection", "-c", help="Collection name (default: the folder's name).")
@click.option("--name-pattern", help='Fields from file names, e.g. "{country}_{session}_{year}".')
@click.option("--format", "fmt", type=click.Choice(reader_names()), help="Force a reader instead of detecting it.")
@click.option("--enrich/--no-enrich", default=True, show_default=True, help="Run the annotators at ingest.")
@click.option("--annotator", "annotators", multiple=True, type=click.Choice(annotator_names()), metavar="NAME",
              help="Run this annotator (repeatable, in order) instead of the default ones.")
@click.option("--infer-enclosure-dates/--no-infer-enclosure-dates", default=True, show_default=True,
              help="TEI: date an undated enclosure by the document it follows.")
@click.option("--setting", "settings", multiple=True, metavar="NAME.KEY=VALUE",
              help="A reader's or annotator's setting (repeatable), e.g. tei.infer_enclosure_dates=false.")
@click.option("--workers", "-j", type=int, default=default_workers, show_default="the cores, at most 4",
              help="Reader/annotator processes (1: read, enrich and index in this process).")
@click.option("--follow-symlinks", is_flag=True,
              help="Read files that links lead to outside the given folders (never pipes or devices).")
@click.option("--max-file-size", callback=_size, default=_human(Limits.max_file_bytes), show_default=True,
              help="Largest file or archive member read.")
@click.option("--max-text-size", callback=_size, default=_human(Limits.max_text_bytes), show_default=True,
              help="Largest file read as text (plain text, HTML, XML).")
@click.option("--max-expanded-size", callback=_size, default=_human(Limits.max_expanded_bytes), show_default=True,
              help="Most bytes read out of one tar or zip archive.")
@click.option("--max-ratio", type=click.FloatRange(min=1), default=Limits.max_ratio, show_default=True,
              help="Highest compression ratio accepted in a tar or zip archive.")
@click.option("--time-limit", type=click.FloatRange(min=0), default=Limits.time_limit, show_default=True,
              help="Seconds to read and enrich one file (0: no limit).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--catalog", type=click.Path(exists=True, dir_okay=False),
              help="A catalogue CSV whose rows describe the files (title, date, from, to, file number, type).")
@click.option("--catalog-key", default="Record Num", show_default=True,
              help="The catalogue column that names each file (its name without extension).")
@click.option("--catalog-map", help='Catalogue column names, e.g. "title=Title,date=Date,from=Author,to=Recipient".')
@click.option("--ocr-lang", default="eng", show_default=True, help="Tesseract language(s) for scans, e.g. eng+fra.")
@click.option("--page-timeout", type=float, default=180.0, show_default=True,
              help="CPU seconds one scanned page may take to recognise (ten times that in wall-clock time at most).")
@click.pass_context
def ingest_cmd(ctx, paths, collection, name_pattern, fmt, enrich, annotators, infer_enclosure_dates, settings, workers,
               follow_symlinks, max_file_size, max_text_size, max_expanded_size, max_ratio, time_limit,
               quiet, as_json, catalog, catalog_key, catalog_map, ocr_lang, page_timeout) -> None:
    """Ingest files, folders (recursively) and tar/zip archives into the archive.

    Each file is stored whole or not at all; a file that fails is reported on one line and the rest go on.
    Links out of the given folders, pipes, devices and sockets are skipped, one line each.
    Exit status is 1 when any file failed.
    """
    limits = Limits(max_file_bytes=max_file_size, max_text_bytes=max_text_size,
                    max_expanded_bytes=max_expanded_size, max_ratio=max_ratio, time_limit=time_limit)
    opts = IngestOptions(collection=collection, name_pattern=name_pattern, enrich=enrich, format=fmt,
                         workers=max(1, workers), follow_symlinks=follow_symlinks, limits=limits,
                         ocr_lang=ocr_lang, page_timeout=page_timeout,
                         catalog=catalog, catalog_key=catalog_key, catalog_map=catalog_map,
                         annotators=tuple(annotators) or None)
    if not infer_enclosure_dates:
        opts.reader_settings.setdefault("tei", {})["infer_enclosure_dates"] = False
    for s in settings:
        apply_setting(opts, s)
    if catalog:
        from ..catalog import CatalogError, load_catalog

        try:
            load_catalog(catalog, catalog_key, catalog_map)
        except CatalogError as e:
            raise click.ClickException(str(e)) from None
    progress = _Progress(enabled=not quiet and sys.stderr.isatty(), paths=list(paths))
    t0 = time.monotonic()
    with opened(ctx) as arch:
        summary = ingest(arch, list(paths), opts, progress)
    progress.clear()
    dt = time.monotonic() - t0
    if as_json:
        click.echo(json.dumps({**summary.to_dict(), "seconds": round(dt, 3)}, indent=2))
    else:
        click.echo(
            f"{summary.files} files ({summary.bytes / 1e6:.1f} MB) in {dt:.1f}s: "
            f"{summary.documents_added} documents added, {summary.documents_versioned} new versions, "
            f"{summary.documents_unchanged} unchanged documents, "
            f"{summary.unchanged_files} unchanged files skipped, {summary.failed} failed"
            + (f"; {summary.pages} scanned pages read by OCR ({summary.pages / max(dt, 1e-9):.2f} pages/s)"
               if summary.pages else "")
            + (f", {summary.skipped} links or special files not read" if summary.skipped else "")
        )
    if summary.failed:
        sys.exit(1)


@main.command("list")
@click.option("--collection", "-c")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def list_cmd(ctx, collection, limit, offset, fmt) -> None:
    """List documents (current versions)."""
    with opened(ctx, readonly=True) as arch:
        rows = arch.list(collection, limit=limit, offset=offset)
    if fmt == "json":
        click.echo(json.dumps([r.__dict__ for r in rows], indent=2, ensure_ascii=False))
        return
    for r in rows:
        click.echo(f"{r.id}\t{r.date or '':10}\t{clean_label(r.title or '')[:80]}")  # older archives too


@main.command("show")
@click.argument("doc_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--version", "version", type=click.IntRange(1, 2**31 - 1), help="Show an older version.")
@click.option("--versions", "list_versions", is_flag=True, help="List the document's versions.")
@click.option("--annotations/--no-annotations", default=True, help="Mark annotations in the text view.")
@click.pass_context
def show_cmd(ctx, doc_id, fmt, version, list_versions, annotations) -> None:
    """Show a document: metadata and text (text), or the whole document object (json)."""
    with opened(ctx, readonly=True) as arch:
        if list_versions:
            vs = arch.versions(doc_id)
            if not vs:
                raise NotFound(f"no document {doc_id!r}")
            if fmt == "json":
                click.echo(json.dumps([v.__dict__ for v in vs], indent=2))
            else:
                for v in vs:
                    current = " (current)" if v.current else ""
                    click.echo(f"v{v.version}{current}\t{v.ingested_at}\t{v.sha256[:12]}\t{v.path}")
            return
        doc = arch.get(doc_id, version)
    if doc is None:
        raise NotFound(f"no document {doc_id!r}" + (f" version {version}" if version else ""))
    if fmt == "json":
        click.echo(json.dumps(doc.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(doc, annotations))


def render_text(doc: Document, annotations: bool = True) -> str:
    """A terminal view: header fields, then the text with headings, numbers, omissions and annotations marked."""
    out = [doc.title or doc.id, "=" * min(len(doc.title or doc.id), 100)]
    d = doc.date
    fields = [
        ("id", f"{doc.id} (version {doc.version})"),
        ("collection", doc.collection),
        ("date", f"{d.text or d.start} [{d.start}..{d.end}, {d.precision}]" if d else None),
        ("classification", f"{doc.classification.level} ({doc.classification.text})" if doc.classification else None),
        ("from", doc.originator), ("to", doc.recipient), ("place", doc.place), ("type", doc.doc_type),
        ("source", doc.source.text if doc.source else None), ("url", doc.url),
    ]
    for k, v in fields:
        if v:
            out.append(f"{k:>14}: {v}")
    out.append("")
    text = doc.text
    marks: list[tuple[int, int, str]] = []  # (offset, order, string)
    for s in doc.structure:
        if s.type == "omission":
            marks.append((s.start, 1, "⟨omitted: "))
            marks.append((s.end, 0, "⟩"))
        elif s.type == "page_break":
            marks.append((s.start, 2, f"[p. {s.number}]"))
        elif s.type == "heading":
            marks.append((s.start, 3, "#" * (s.level or 1) + " "))
        elif s.type == "paragraph" and s.number:
            marks.append((s.start, 3, f"¶{s.number} "))
        elif s.type == "list_item":
            marks.append((s.start, 3, "  • " if s.label in (None, "-") else "  "))
        elif s.type == "note":
            marks.append((s.start, 3, f"[note {s.number or ''}] "))
    if annotations:
        for a in doc.annotations:
            if a.producer == "tei" and a.type not in ENTITY_TYPES:
                continue
            marks.append((a.start, 4, "["))
            marks.append((a.end, -1, f"]{{{a.type}}}"))
    marks.sort(key=lambda m: (m[0], m[1]))
    pieces, pos = [], 0
    for off, _, s in marks:
        pieces.append(text[pos:off])
        pieces.append(s)
        pos = off
    pieces.append(text[pos:])
    out.append("".join(pieces).replace("\n", "\n\n"))
    return "\n".join(out)


@main.command("source")
@click.argument("doc_id")
@click.option("--version", "version", type=click.IntRange(1, 2**31 - 1))
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.pass_context
def source_cmd(ctx, doc_id, version, output) -> None:
    """Write the original file a document came from, byte for byte."""
    with opened(ctx, readonly=True) as arch:
        src = arch.source(doc_id, version)
    if src is None:
        raise NotFound(f"no document {doc_id!r}")
    _, data = src
    if output:
        with open(output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@main.command("stats")
@click.option("--collection", "-c")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def stats_cmd(ctx, collection, fmt) -> None:
    """Archive statistics: documents, dated documents, files, annotations by type, collections."""
    with opened(ctx, readonly=True) as arch:
        st = arch.stats(collection)
        volumes = arch.volume_stats(collection) if collection else []
        if volumes and any(v["volume"] for v in volumes):
            st["volumes"] = volumes
        else:
            volumes = []
    if fmt == "json":
        click.echo(json.dumps(st, indent=2, ensure_ascii=False))
        return
    click.echo(f"archive      {st['archive']} ({st['archive_bytes'] / 1e6:.1f} MB)")
    click.echo(f"documents    {st['documents']} ({st['dated']} dated, {st['older_versions']} older versions kept)")
    click.echo(f"characters   {st['characters']}")
    click.echo(f"files        {st['files']} originals ({st['file_bytes'] / 1e6:.1f} MB)")
    if st["annotations"]:
        click.echo("annotations  " + ", ".join(f"{k} {v}" for k, v in st["annotations"].items()))
    for c in st["collections"]:
        first, last = c["first_date"] or "", c["last_date"] or ""
        click.echo(f"  {c['name']:24} {c['documents']:>8} documents  {first:10} .. {last}")
    if volumes:
        click.echo(f"\n{'volume':24} {'docs':>6} {'date':>6} {'place':>6} {'orig.':>6} {'class.':>6}  annotations")
        for v in volumes:
            ann = ", ".join(f"{k} {n}" for k, n in v["annotations"].items())
            click.echo(f"{v['volume'] or '(none)':24} {v['documents']:>6} {v['with_date']:>6} {v['with_place']:>6} "
                       f"{v['with_originator']:>6} {v['with_classification']:>6}  {ann}")
