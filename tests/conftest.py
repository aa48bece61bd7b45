"""Shared test fixtures: a fresh archive per test, and the real corpora read in place."""

from __future__ import annotations

from pathlib import Path

import pytest

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
