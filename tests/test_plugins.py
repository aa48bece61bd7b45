"""Components registered by name through entry points, and the pipeline as configuration.

A real third-party package (tests/fixtures/plugin/despatch_memo: a reader and an annotator) is pip-installed
into the test environment, used with no change to Despatch — from the command line in a fresh process, and
by worker processes started with fork and with spawn — and uninstalled again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import tomllib
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import despatch
from despatch import plugins
from despatch.cli import main
from despatch.errors import BadOption, NotFound
from despatch.ingest import IngestOptions, apply_setting, ingest
from despatch.store import open_archive

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FRUS_ENCLOSURES = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "frus" / "frus1872p2v5.xml"
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]

MEMO = """MEMORANDUM
FROM: Assistant Secretary Byroade
TO: The Secretary
DATE: 1956-07-{day:02d}
SUBJECT: The Suez Canal Company, note {n}

The Egyptian Government has announced the nationalisation of the Suez Canal Company.

We recommend consultation with the British and French before any statement on Suez.
"""


def _despatch(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed command line in a fresh interpreter: what a user who installed the plug-in runs."""
    env = {k: v for k, v in os.environ.items() if k != "DESPATCH_ARCHIVE"}
    return subprocess.run([sys.executable, "-m", "despatch", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


def _wheel(src: Path, out: Path) -> Path:
    """A wheel of the plug-in made from its pyproject.toml (PEP 427: the module, METADATA, WHEEL,
    entry_points.txt, RECORD), so pip installs it with no build backend and nothing from the network."""
    meta = tomllib.loads((src / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = meta["name"].replace("-", "_"), meta["version"]
    info = f"{name}-{version}.dist-info"
    files = {
        "despatch_memo.py": (src / "despatch_memo.py").read_bytes(),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: despatch-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": "".join(
            f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) + "\n"
            for group, eps in meta["entry-points"].items()).encode(),
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    files[f"{info}/RECORD"] = ("\n".join(record) + f"\n{info}/RECORD,,\n").encode()
    whl = out / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w") as z:
        for path, data in files.items():
            z.writestr(path, data)
    return whl


@pytest.fixture(scope="module")
def memo_plugin(tmp_path_factory):
    """despatch-memo installed with pip for the tests of this module, uninstalled after them."""
    whl = _wheel(FIXTURES / "plugin" / "despatch_memo", tmp_path_factory.mktemp("plugin"))
    r = subprocess.run([*PIP, "install", "--no-deps", "--no-index", str(whl)], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, f"pip could not install the test plug-in: {r.stderr[-2000:]}"
    plugins.refresh()
    try:
        yield whl
    finally:
        subprocess.run([*PIP, "uninstall", "-y", "despatch-memo"], capture_output=True, timeout=600)
        plugins.refresh()
        assert "memo" not in plugins.names("readers"), "the test plug-in was not uninstalled"


def _memos(folder: Path, n: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"memo-{i + 1}.txt"
        p.write_text(MEMO.format(day=26 + i, n=i + 1), encoding="utf-8")
        out.append(p)
    return out


# -- the registry and `despatch plugins` ----------------------------------------------------------------


def test_plugins_lists_despatchs_own_components_with_versions():
    r = CliRunner().invoke(main, ["plugins", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    own = {(c["kind"], c["name"]) for c in rows if c["package"] == "despatch" and c["builtin"]}
    assert {("readers", "tei"), ("readers", "pdf"), ("readers", "text"), ("readers", "html"),
            ("readers", "archive-record"), ("annotators", "entities"), ("annotators", "dates"),
            ("citation_styles", "chicago-note"), ("citation_styles", "csl-json"), ("exporters", "csv"),
            ("exporters", "tei")} <= own
    assert {c["version"] for c in rows if c["package"] == "despatch"} == {despatch.__version__}
    table = CliRunner().invoke(main, ["plugins", "--kind", "citation_styles"]).output.splitlines()
    assert table[0].split() == ["kind", "name", "package", "version", "defined", "in"]
    assert any(line.split()[:5] == ["citation", "style", "ris", "despatch", despatch.__version__] for line in table)


def test_every_interface_offers_what_the_registry_holds():
    from despatch.cite import styles
    from despatch.export import formats
    from despatch.readers import reader_names

    assert reader_names()[:5] == plugins.names("readers")[:5]
    assert set(styles()) == set(plugins.names("citation_styles")) and styles()[0] == "chicago-note"
    assert set(formats()) == set(plugins.names("exporters"))
    ingest_fmt = next(p for p in main.commands["ingest"].params if p.name == "fmt")
    assert list(ingest_fmt.type.choices) == reader_names()


def test_unknown_component_names_say_what_is_installed():
    with pytest.raises(NotFound, match="no reader named 'nope'; installed: archive-record"):
        plugins.find("readers", "nope")
    with pytest.raises(BadOption, match="unknown citation style 'harvard'; choose one of chicago-note"):
        despatch.cite.cite(despatch.Document(id="a/b", collection="a", text="x"), "harvard")


# -- a third-party package ------------------------------------------------------------------------------


def test_an_installed_package_adds_a_reader_and_an_annotator_without_changing_despatch(memo_plugin, tmp_path):
    listed = json.loads(_despatch("plugins", "--format", "json").stdout)
    mine = [c for c in listed if c["package"] == "despatch-memo"]
    assert {(c["kind"], c["name"], c["version"], c["builtin"]) for c in mine} == {
        ("readers", "memo", "0.3.1", False), ("annotators", "keyword", "0.3.1", False),
        ("citation_styles", "short-note", "0.3.1", False), ("exporters", "markdown", "0.3.1", False)}

    folder = tmp_path / "memos"
    _memos(folder, 2)
    (folder / "plain.txt").write_text("A plain note about the canal.\n", encoding="utf-8")
    db = str(tmp_path / "a.db")
    r = _despatch("--archive", db, "ingest", "-q", "--workers", "1", str(folder),
                  "--annotator", "dates", "--annotator", "keyword", "--setting", "keyword.word=Suez")
    assert r.returncode == 0, r.stderr
    doc = json.loads(_despatch("--archive", db, "show", "memos/memo-1", "--format", "json").stdout)
    assert doc["file"]["format"] == "memo" and doc["doc_type"] == "memorandum"  # detected by content
    assert doc["date"] == {"start": "1956-07-26", "end": "1956-07-26", "precision": "day", "text": "1956-07-26"}
    assert (doc["originator"], doc["recipient"]) == ("Assistant Secretary Byroade", "The Secretary")
    kinds = Counter(a["type"] for a in doc["annotations"])
    assert kinds["keyword"] == 2 and all(a["producer"] == "keyword@1" for a in doc["annotations"]
                                         if a["type"] == "keyword")
    plain = json.loads(_despatch("--archive", db, "show", "memos/plain", "--format", "json").stdout)
    assert plain["file"]["format"] == "text"  # the built-in readers still read what they read

    # The plug-in's reader is forced by name like a built-in one, and a wrong setting names the reader.
    r = _despatch("--archive", db, "ingest", "-q", "--format", "memo", "--setting", "memo.nonsense=1", str(folder))
    assert r.returncode == 2 and "memo" in r.stderr and "nonsense" in r.stderr and "Traceback" not in r.stderr
    hits = json.loads(_despatch("--archive", db, "search", "Suez", "--format", "json").stdout)
    assert {h["id"] for h in hits["hits"]} == {"memos/memo-1", "memos/memo-2"}

    # Its citation style and export format are choices like Despatch's own.
    r = _despatch("--archive", db, "cite", "memos/memo-2", "--style", "short-note")
    assert r.returncode == 0
    assert r.stdout.strip() == "Assistant Secretary Byroade, “The Suez Canal Company, note 2,” July 27, 1956."
    r = _despatch("--archive", db, "export", "Suez", "--format", "markdown")
    assert r.returncode == 0 and "## The Suez Canal Company, note 1\n\n*1956-07-26* · `memos/memo-1`" in r.stdout


def _snapshot(db: Path) -> dict[str, tuple]:
    arch = open_archive(db, readonly=True)
    try:
        out = {}
        for s in arch.list(None, limit=100_000):
            d = arch.get(s.id)
            out[d.id] = (d.date and (d.date.start, d.date.precision), d.metadata.get("date_source"),
                         tuple(sorted(Counter(a.type for a in d.annotations).items())))
        return out
    finally:
        arch.close()


@pytest.mark.corpus
@pytest.mark.slow
def test_reader_and_annotator_settings_reach_workers_under_fork_and_spawn(memo_plugin, tmp_path):
    """Two worker processes, started with fork and with spawn, read a FRUS volume with the TEI reader's
    enclosure dating switched off and run a plug-in annotator with its setting: both give exactly what one
    process gives, and the settings visibly took effect."""
    if not FRUS_ENCLOSURES.exists():
        pytest.skip(f"{FRUS_ENCLOSURES} is absent: the real corpora live in ../shared/corpus beside the repository")
    files = [FRUS_ENCLOSURES, *_memos(tmp_path / "memos", 3)]

    def run(label: str, workers: int, start_method: str | None, infer: bool) -> dict[str, tuple]:
        db = tmp_path / f"{label}.db"
        opts = IngestOptions(collection="c", workers=workers, start_method=start_method, annotators=("keyword",),
                             annotator_settings={"keyword": {"word": "Suez"}})
        if not infer:
            apply_setting(opts, "tei.infer_enclosure_dates=false")
        arch = open_archive(db)
        try:
            summary = ingest(arch, files, opts)
        finally:
            arch.close()
        assert summary.failed == 0 and summary.documents_added == 149 + 3, summary.to_dict()
        return _snapshot(db)

    one = run("one", 1, None, infer=False)
    assert run("fork", 2, "fork", infer=False) == one
    assert run("spawn", 2, "spawn", infer=False) == one
    covered = [i for i, v in one.items() if v[1] == "covering-document"]
    assert covered == []  # the TEI reader's setting reached the workers ...
    memo = one["c/memo-1"]
    assert dict(memo[2]) == {"keyword": 2}  # ... and so did the annotator's (without it: no keywords)
    default = run("default", 2, "spawn", infer=True)
    assert sum(1 for v in default.values() if v[1] == "covering-document") == 20  # on by default


def test_an_editable_install_with_old_metadata_still_finds_despatchs_own(monkeypatch, caplog):
    """pip writes entry points at install time; a checkout whose pyproject.toml gained them since reads
    them from the checkout, and says to reinstall."""
    before = {k: plugins.names(k) for k in plugins.GROUPS}
    real = plugins.metadata.entry_points

    def without_despatch(group: str):
        return [ep for ep in real(group=group) if ep.dist is None or ep.dist.metadata["Name"] != "despatch"]

    monkeypatch.setattr(plugins.metadata, "entry_points", without_despatch)
    plugins.components.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="despatch.plugins"):
            assert {k: plugins.names(k) for k in plugins.GROUPS} == before
        assert "run `./dev setup`" in caplog.text
    finally:
        monkeypatch.undo()
        plugins.components.cache_clear()


# -- a name list: what a field search widens to -----------------------------------------------------------


class OldSpellings:
    """A project's own list of names: the transliteration of the 1940s press for Molotov."""

    def __call__(self, type_: str, text: str) -> list[str]:
        return ["Vyacheslav Molotov"] if (type_, text.lower()) == ("person", "molotoff") else []


def test_a_registered_name_list_widens_a_field_search(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "note.txt").write_text("Vyacheslav Molotov received the Ambassador on 3 March 1953.\n")
    with open_archive(tmp_path / "a.db") as arch:
        ingest(arch, [folder], IngestOptions(collection="notes"))
        assert arch.search('place:"Soviet Union"').total == 0  # Despatch's own list is asked (no place here)
        assert arch.search("person:Molotov").total == 1 and arch.search("person:Molotoff").total == 0
        real = plugins.components
        extra = plugins.Component("name_variants", "old-spellings", f"{__name__}:OldSpellings", "my-project", "1")
        monkeypatch.setattr(plugins, "components",
                            lambda kind: real(kind) + ((extra,) if kind == "name_variants" else ()))
        assert arch.search("person:Molotoff").total == 1
        assert arch.search("person:Molotoff AND Ambassador").total == 1
