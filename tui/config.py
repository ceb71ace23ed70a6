"""The user's settings (`config.toml`) and the app's own remembered state (`state.toml`).

The user writes config.toml; we only ever read it, so their comments and
layout survive. What the app itself remembers (the theme picked in the app)
goes to a separate state.toml, written atomically (temp file + os.replace).
The theme picked in the app wins over config.toml's `theme`, which is the
starting default (otherwise a choice made in the app would not stick).

    library = "~/talks"
    theme = "nord"
    quote_template = "> {text}\\n>\\n> — [{title}]({url}) at {time}"

    [keys]
    quit = "q,ctrl+q"
    search = "slash,f"
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .textio import write_atomically

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

CONFIG_FILE = "config.toml"
STATE_FILE = "state.toml"


@dataclass(slots=True)
class Config:
    library: Path | None = None
    theme: str | None = None
    quote_template: str | None = None
    # binding id -> comma-separated keys, as `App.set_keymap` takes them
    keys: dict[str, str] = field(default_factory=dict)
    # What went wrong while reading the files, for the app to show (never raised).
    problems: list[str] = field(default_factory=list)


def _read_toml(path: Path, problems: list[str]) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path} could not be read: {exc}")
        return {}


def _string(data: dict, key: str, path: Path, problems: list[str]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{path}: `{key}` should be a string, not {type(value).__name__}")
        return None
    return value


def load_config(config_dir: Path | None = None) -> Config:
    """Read config.toml (and state.toml under it); missing or broken files give defaults."""
    folder = config_dir or paths.config_dir()
    config = Config()
    problems = config.problems

    state_path = folder / STATE_FILE
    state = _read_toml(state_path, problems)
    path = folder / CONFIG_FILE
    data = _read_toml(path, problems)
    library = _string(data, "library", path, problems)
    if library:
        config.library = Path(library).expanduser()
    config.theme = _string(state, "theme", state_path, problems) or _string(data, "theme", path, problems)
    config.quote_template = _string(data, "quote_template", path, problems)
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        problems.append(f"{path}: [keys] should be a table of action = \"key1,key2\"")
        keys = {}
    for action, value in _flatten(keys):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if isinstance(value, str) and value.strip():
            config.keys[str(action)] = value
        else:
            problems.append(f"{path}: keys.{action} should be a string like \"j,down\"")
    return config


def _flatten(table: dict, prefix: str = ""):
    """`talk.search = "f"` unquoted is a nested table in TOML: read it as the id `talk.search`."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _toml_string(value: str) -> str:
    # JSON string escapes (\" \\ \n \uXXXX) are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def save_state(values: dict[str, str], config_dir: Path | None = None) -> Path:
    """Merge `values` into state.toml and write it atomically; returns its path."""
    folder = config_dir or paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STATE_FILE
    state = {k: v for k, v in _read_toml(path, []).items() if isinstance(v, str)}
    state.update(values)
    body = "# Written by talkshelf: what the app remembers between runs. Settings belong in config.toml.\n"
    body += "".join(f"{key} = {_toml_string(value)}\n" for key, value in sorted(state.items()))
    write_atomically(path, body)
    return path


def save_theme(theme: str, config_dir: Path | None = None) -> Path:
    return save_state({"theme": theme}, config_dir)
