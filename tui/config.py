"""The user's settings (`config.toml`) and the app's own remembered state (`state.toml`).

The user writes config.toml; we only ever read it, so their comments and
layout survive. What the app itself remembers (the theme picked in the app)
goes to a separate state.toml, written atomically (temp file + os.replace).
The theme picked in the app wins over config.toml's `theme`, which is the
starting default (otherwise a choice made in the app would not stick).

state.toml also keeps where each talk was left (`[positions]`, one inline
table per talk: paragraph, time, its first words, when), so a talk reopens
there in the same run and the next. Each write reads the file again and
merges, so two windows open at once lose nothing but each other's races;
the oldest positions beyond POSITIONS_KEPT are forgotten.

    library = "~/talks"
    theme = "nord"
    quote_template = "> {text}\\n>\\n> — [{title}]({url}) at {time}"

    [keys]
    quit = "q,ctrl+q"
    search = "slash,f"

    [play]                      # play-along through mpv (the `p` key)
    video = false               # true: the video in mpv's own window; false: audio only
    mpv = "/usr/bin/mpv"        # default: mpv on PATH
    options = ["--volume=80"]   # more mpv options
"""

from __future__ import annotations

import json
import math
import shlex
import time
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
POSITIONS_KEPT = 2000  # talks whose place is remembered; a few hundred KB of TOML at most


@dataclass(slots=True)
class Config:
    # (`library` is config.toml's too, read by configured_library: the shell's commands need it alone.)
    theme: str | None = None
    quote_template: str | None = None
    # The talk screen's panes as last chosen: "transcript", "both" or "summary" (state.toml).
    talk_layout: str | None = None
    # binding id -> comma-separated keys, as `App.set_keymap` takes them
    keys: dict[str, str] = field(default_factory=dict)
    # [play]: the video in mpv's window (else audio only), which mpv, its extra options
    play_video: bool = False
    mpv: str | None = None
    mpv_options: list[str] = field(default_factory=list)
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


def configured_library(config_dir: Path | None = None) -> Path | None:
    """`library` in config.toml, read alone (a shell command needs no other setting); None when unset or unreadable."""
    path = (config_dir or paths.config_dir()) / CONFIG_FILE
    return _library(_read_toml(path, []), path, [])


def _library(data: dict, path: Path, problems: list[str]) -> Path | None:
    value = _string(data, "library", path, problems)
    return Path(value).expanduser() if value else None


def load_config(config_dir: Path | None = None) -> Config:
    """Read config.toml (and state.toml under it); missing or broken files give defaults."""
    folder = config_dir or paths.config_dir()
    config = Config()
    problems = config.problems

    state_path = folder / STATE_FILE
    state = _read_toml(state_path, problems)
    path = folder / CONFIG_FILE
    data = _read_toml(path, problems)
    _library(data, path, problems)  # only checked here: a wrong one is told in the app
    config.theme = _string(state, "theme", state_path, problems) or _string(data, "theme", path, problems)
    config.quote_template = _string(data, "quote_template", path, problems)
    config.talk_layout = _string(state, "talk_layout", state_path, problems)
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
    _read_play(data.get("play", {}), path, config)
    return config


def _read_play(play: object, path: Path, config: Config) -> None:
    problems = config.problems
    if not isinstance(play, dict):
        problems.append(f"{path}: [play] should be a table (video, mpv, options)")
        return
    video = play.get("video", False)
    if isinstance(video, bool):
        config.play_video = video
    else:
        problems.append(f"{path}: play.video should be true or false")
    config.mpv = _string(play, "mpv", path, problems)
    options = play.get("options", [])
    if isinstance(options, str):
        options = shlex.split(options)
    if isinstance(options, list) and all(isinstance(o, str) for o in options):
        config.mpv_options = list(options)
    else:
        problems.append(f"{path}: play.options should be a list of mpv options like [\"--volume=80\"]")


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


@dataclass(frozen=True, slots=True)
class Position:
    """Where a talk was left: the cursor's paragraph, its time and first words (to find it again)."""

    paragraph: int
    seconds: float | None = None
    words: str = ""
    saved: float = 0.0  # time.time() when left: the oldest are forgotten first


def _state_path(config_dir: Path | None) -> Path:
    return (config_dir or paths.config_dir()) / STATE_FILE


def _read_state(path: Path) -> tuple[dict[str, str], dict[str, Position]]:
    data = _read_toml(path, [])
    values = {k: v for k, v in data.items() if isinstance(v, str)}
    positions: dict[str, Position] = {}
    table = data.get("positions")
    if isinstance(table, dict):
        for key, entry in table.items():
            position = _position(entry)
            if position is not None:
                positions[str(key)] = position
    return values, positions


def _position(entry: object) -> Position | None:
    """A position from its TOML table; None for anything malformed (a hand-edited file)."""
    if not isinstance(entry, dict):
        return None
    paragraph, seconds = entry.get("paragraph"), entry.get("seconds")
    words, saved = entry.get("words", ""), entry.get("saved", 0.0)
    if not isinstance(paragraph, int) or isinstance(paragraph, bool) or paragraph < 0:
        return None
    if not (seconds is None or isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and math.isfinite(seconds)):
        seconds = None
    return Position(
        paragraph,
        None if seconds is None else float(seconds),
        words if isinstance(words, str) else "",
        float(saved) if isinstance(saved, (int, float)) and math.isfinite(saved) else 0.0,
    )


def _write_state(path: Path, values: dict[str, str], positions: dict[str, Position]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "# Written by talkshelf: what the app remembers between runs. Settings belong in config.toml.\n"
    body += "".join(f"{key} = {_toml_string(value)}\n" for key, value in sorted(values.items()))
    if positions:
        kept = sorted(positions.items(), key=lambda kv: kv[1].saved, reverse=True)[:POSITIONS_KEPT]
        body += "\n# Where each talk was left (talk key = paragraph, time, first words).\n[positions]\n"
        for key, p in kept:
            fields = [f"paragraph = {p.paragraph}"]
            if p.seconds is not None:
                fields.append(f"seconds = {round(p.seconds, 3)!r}")
            fields.append(f"words = {_toml_string(p.words)}")
            fields.append(f"saved = {round(p.saved, 3)!r}")
            body += f"{_toml_string(key)} = {{ {', '.join(fields)} }}\n"
    write_atomically(path, body)


def save_state(values: dict[str, str], config_dir: Path | None = None) -> Path:
    """Merge `values` into state.toml and write it atomically; returns its path."""
    path = _state_path(config_dir)
    state, positions = _read_state(path)
    state.update(values)
    _write_state(path, state, positions)
    return path


def load_positions(config_dir: Path | None = None) -> dict[str, Position]:
    """Every remembered talk position (talk key -> Position); empty when there is no state yet."""
    return _read_state(_state_path(config_dir))[1]


def save_position(key: str, position: Position, config_dir: Path | None = None) -> Path:
    """Remember where talk `key` was left, merged into state.toml atomically."""
    if not position.saved:
        position = Position(position.paragraph, position.seconds, position.words, time.time())
    path = _state_path(config_dir)
    state, positions = _read_state(path)
    positions[key] = position
    _write_state(path, state, positions)
    return path


def save_theme(theme: str, config_dir: Path | None = None) -> Path:
    return save_state({"theme": theme}, config_dir)


def save_talk_layout(layout: str, config_dir: Path | None = None) -> Path:
    return save_state({"talk_layout": layout}, config_dir)
