"""Where talkshelf keeps its files.

Each folder can be pointed elsewhere by an environment variable, which is how
the tests and benchmarks stay away from the real user folders.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "talkshelf"


def _dir(env: str, default: str) -> Path:
    value = os.environ.get(env)
    return Path(value) if value else Path(default)


def data_dir() -> Path:
    """Bookmarks and notes (user data: never deleted by us)."""
    return _dir("TALKSHELF_DATA_DIR", platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    """The search index and other rebuildable caches."""
    return _dir("TALKSHELF_CACHE_DIR", platformdirs.user_cache_dir(APP))


def config_dir() -> Path:
    """config.toml lives here."""
    return _dir("TALKSHELF_CONFIG_DIR", platformdirs.user_config_dir(APP))


def sample_library() -> Path:
    """The small library that ships inside the package."""
    return Path(__file__).parent / "sample"
