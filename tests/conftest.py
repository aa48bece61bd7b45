"""Shared test fixtures: a fresh archive per test, and the real corpora read in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from pgserver import PGServer, shared_server, stop_shared

from despatch.store import open_archive

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = CORPUS / "seed" / "cvce-development-of-soviet-policy-1953.txt"
FRUS = CORPUS / "frus"
UNGDC = CORPUS / "ungdc"


def need(path: Path) -> Path:
    """Skip (with the reason) when a real corpus file isn't beside the repository."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the real corpora live in ../shared/corpus beside the repository")
    return path


def pytest_sessionfinish(session, exitstatus):
    stop_shared()  # the throwaway PostgreSQL server, if a test started one


@pytest.fixture
def pg_server() -> PGServer:
    """The session's throwaway PostgreSQL server (tests/pgserver.py); skips only where it is not installed."""
    return shared_server()


@pytest.fixture
def pg_url(pg_server: PGServer) -> str:
    """A connection string to an empty database of this test's own."""
    return pg_server.new_database()


@pytest.fixture
def archive(tmp_path):
    arch = open_archive(tmp_path / "test.db")
    yield arch
    arch.close()


@pytest.fixture
def seed_path() -> Path:
    return need(SEED)


@pytest.fixture
def frus_dir() -> Path:
    return need(FRUS)


@pytest.fixture
def ungdc_dir() -> Path:
    return need(UNGDC)
