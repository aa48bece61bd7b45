"""`despatch serve` and `./dev run` take --port/--host (or DESPATCH_PORT/DESPATCH_HOST), and a port in use
is said in one line, not a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from despatch.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def held_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    yield s.getsockname()[1]
    s.close()


@pytest.fixture
def archive_file(tmp_path):
    from test_web import build_archive

    path = tmp_path / "a.db"
    build_archive(path)
    return path


def test_port_in_use_is_one_line(archive_file, held_port):
    r = CliRunner().invoke(main, ["--archive", str(archive_file), "serve", "--port", str(held_port)])
    assert r.exit_code != 0
    assert f"port {held_port} on 127.0.0.1 is in use" in r.output and "Traceback" not in r.output


def test_port_from_the_environment(archive_file, held_port):
    r = CliRunner().invoke(main, ["--archive", str(archive_file), "serve"], env={"DESPATCH_PORT": str(held_port)})
    assert f"port {held_port}" in r.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "despatch").exists(), reason="./dev run needs the .venv ./dev makes")
def test_dev_run_serves_on_the_port_given(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "memo.txt").write_text("A memorandum on peaceful co-existence.\n", encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "DESPATCH_ARCHIVE": str(tmp_path / "dev.db")}
    env.pop("DESPATCH_PORT", None)
    proc = subprocess.Popen([str(ROOT / "dev"), "run", str(folder), "--port", str(port), "--host", "127.0.0.1",
                             "--collection", "memos", "--no-enrich"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = ""
        deadline = time.time() + 900  # set-up, ingest and start on a loaded machine; not a speed check
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=coexistence", timeout=5) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        if not body:
            proc.terminate()
            out = proc.communicate(timeout=30)[0].decode(errors="replace")
            raise AssertionError(f"./dev run did not serve on port {port}:\n{out[-2000:]}")
        assert '"total": 1' in body.replace('"total":1', '"total": 1'), body
        assert "memos/" in body
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()
    assert sys.executable  # the test ran in the interpreter of the suite
