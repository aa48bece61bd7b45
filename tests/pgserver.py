"""A throwaway PostgreSQL server for the tests: Debian's `postgresql` binaries (installed by `./dev`),
`initdb` into a temporary folder and `pg_ctl` on a free port, trust authentication on 127.0.0.1 only.

`initdb` refuses to run as root (as CI does), so as root the server is run as Debian's `postgres` user
(`runuser -u postgres --`) with the folder handed to it. The server is stopped (and its folder removed)
at the end of the test session. Each test asks `PGServer.new_database()` for an empty database of its own.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path


def pg_bin_dir() -> Path | None:
    """The newest `/usr/lib/postgresql/N/bin` holding initdb and pg_ctl (None: PostgreSQL is not installed)."""
    found = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")
             if (Path(p) / "initdb").exists() and (Path(p) / "pg_ctl").exists()]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PGServer:
    """One running server; `url(db)` gives a connection string for one of its databases."""

    PASSWORD_USER = "withpassword"
    PASSWORD = "right-password"

    def __init__(self, bindir: Path, durable: bool = False, root: Path | None = None) -> None:
        self.bindir = bindir
        self.durable = durable  # PostgreSQL's default fsync and synchronous commit (a benchmark); off for tests
        self.port = _free_port()
        # a folder of the caller's (a benchmark reusing its archives) is kept at stop and started again
        self.keep = root is not None
        self.root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="despatch-pg-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.data = self.root / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no 'postgres' user to run the server as") from None
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            os.chmod(self.root, 0o700)
            self._as = ["runuser", "-u", "postgres", "--"]
        self.user = "despatch"

    def _run(self, *args: str) -> None:
        proc = subprocess.run([*self._as, *args], capture_output=True, text=True, cwd="/")
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {proc.stdout[-2000:]} {proc.stderr[-2000:]}")

    def start(self) -> PGServer:
        if (self.data / "PG_VERSION").exists():  # a kept folder: the server as it was left
            self._opts = self._options()
            self.resume()
            return self
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust",
                  "-E", "UTF8", "--locale=C", *([] if self.durable else ["--no-sync"]))
        # One role signs in with a password (the wrong-password test); everyone else is trusted, locally only.
        (self.data / "pg_hba.conf").write_text(
            f"host all {self.PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
            "local all all trust\n")
        if self._as:
            pw = pwd.getpwnam("postgres")
            os.chown(self.data / "pg_hba.conf", pw.pw_uid, pw.pw_gid)
        self._opts = self._options()
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                  "-o", self._opts, "-w", "-t", "60", "start")
        self._wait()
        self.sql(f"CREATE ROLE {self.PASSWORD_USER} LOGIN PASSWORD '{self.PASSWORD}'")
        return self

    def _options(self) -> str:
        fast = "" if self.durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        return (f"-h 127.0.0.1 -p {self.port} -k {self.root} {fast}-c max_connections=200 "
                f"-c shared_buffers={'256MB' if self.durable else '64MB'}")

    def _wait(self) -> None:
        import psycopg

        for _ in range(200):
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("the test PostgreSQL server did not accept connections")

    def url(self, db: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.user}@127.0.0.1:{self.port}/{db}"

    def new_database(self, prefix: str = "t") -> str:
        """An empty database of its own; returns its connection string."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def sql(self, statement: str, db: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(db), autocommit=True) as conn:
            conn.execute(statement)

    def halt(self) -> None:
        """Stop the server abruptly (as a crash would), keeping its data."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def resume(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                  "-o", self._opts, "-w", "-t", "60", "start")
        self._wait()

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast" if self.keep else "immediate",
                      "-w", "stop")
        except RuntimeError:
            pass
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def unavailable_reason() -> str | None:
    """Why the PostgreSQL tests cannot run here (None: they can)."""
    if pg_bin_dir() is None:
        return "PostgreSQL is not installed (/usr/lib/postgresql/*/bin; ./dev installs Debian's postgresql)"
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]'; ./dev does)"
    return None


_SHARED: PGServer | None = None


def shared_server() -> PGServer:
    """The session's one server, started on first use (pytest.skip when PostgreSQL is not installed)."""
    import pytest

    global _SHARED
    why = unavailable_reason()
    if why:
        pytest.skip(why)
    if _SHARED is None:
        bindir = pg_bin_dir()
        assert bindir is not None
        _SHARED = PGServer(bindir).start()
    return _SHARED


def stop_shared() -> None:
    global _SHARED
    if _SHARED is not None:
        _SHARED.stop()
        _SHARED = None
