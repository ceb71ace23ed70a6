"""Shared fixtures: every test runs with its own data, cache and config folders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout, in CI too.
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = CORPUS / "seeds"
REAL = CORPUS / "real"

needs_corpus = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus is not beside the checkout")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real home folder: point every talkshelf folder at a temp dir."""
    base = tmp_path_factory.mktemp("user")
    for name in ("DATA", "CACHE", "CONFIG"):
        folder = base / name.lower()
        folder.mkdir()
        monkeypatch.setenv(f"TALKSHELF_{name}_DIR", str(folder))
    monkeypatch.delenv("TALKSHELF_LIBRARY", raising=False)
    yield


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    return SEEDS


@pytest.fixture
def real() -> Path:
    if not REAL.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    return REAL
